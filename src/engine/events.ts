/**
 * The engine's typed lifecycle events. Listeners are isolated: one that throws is reported and the
 * others still run, so a broken subscriber can never break the engine.
 */
import type { ExecutionRecord, OutputChunk } from '../domain/types.ts';

export type EngineEvent =
  | { type: 'execution.created'; record: ExecutionRecord }
  | { type: 'execution.updated'; record: ExecutionRecord }
  | { type: 'output.appended'; chunks: readonly OutputChunk[] };

export type EngineListener = (event: EngineEvent) => void;

export class EventBus {
  readonly #listeners = new Set<EngineListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }
}
