/**
 * The engine's typed lifecycle events. Listeners are isolated: one that throws is reported and the
 * others still run, so a broken subscriber can never break the engine.
 *
 * Events have an origin: `local` ones happened in this process; `remote` ones happened in another
 * process sharing the database and were relayed here (see cluster/event-relay.ts). Relaying means
 * reading rows, so it is done only while someone here holds demand for remote events (an open
 * stream); the dispatcher gets lighter signals from the relay directly.
 */
import type { ExecutionRecord, JsonObject, OutputChunk } from '../domain/types.ts';

export type EngineEvent =
  | { type: 'execution.created'; record: ExecutionRecord }
  | { type: 'execution.updated'; record: ExecutionRecord }
  | { type: 'output.appended'; chunks: readonly OutputChunk[] }
  /** An `announcement` action's payload; `user` is who ran it (permission isolation filters on it). */
  | { type: 'announcement'; route: string; payload: JsonObject; user: string | null };

export type EventOrigin = 'local' | 'remote';

export type EngineListener = (event: EngineEvent, origin: EventOrigin) => void;

export class EventBus {
  readonly #listeners = new Set<EngineListener>();
  readonly #onListenerError: (error: unknown) => void;
  #demand = 0;

  constructor(onListenerError: (error: unknown) => void) {
    this.#onListenerError = onListenerError;
  }

  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(event: EngineEvent, origin: EventOrigin = 'local'): void {
    for (const listener of this.#listeners) {
      try {
        listener(event, origin);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  /** Asks for other processes' events to be relayed here too, until the returned release is called. */
  holdDemand(): () => void {
    this.#demand++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#demand--;
    };
  }

  /** Whether anybody here wants other processes' events. */
  get remoteDemanded(): boolean {
    return this.#demand > 0;
  }
}
