/**
 * The runner types this process knows, with the id of each one's stored snapshot (what new
 * executions embed as `runner`).
 */
import type { JsonObject, RunnerType } from '../domain/types.ts';
import { snapshotIdOf } from '../store/snapshot-id.ts';
import type { Store } from '../store/store.ts';
import type { SnapshotCache } from './snapshot-cache.ts';

export interface RegisteredRunnerType {
  runnerType: RunnerType;
  snapshotId: string;
}

export class RunnerTypeRegistry {
  readonly #byName = new Map<string, RegisteredRunnerType>();
  readonly #byId = new Map<string, RegisteredRunnerType>();
  readonly all: readonly RunnerType[];

  private constructor(entries: RegisteredRunnerType[]) {
    for (const entry of entries) {
      this.#byName.set(entry.runnerType.name, entry);
      this.#byId.set(entry.runnerType.id, entry);
    }
    this.all = entries.map((e) => e.runnerType);
  }

  static async register(
    store: Store,
    cache: SnapshotCache,
    runnerTypes: readonly RunnerType[],
  ): Promise<RunnerTypeRegistry> {
    const entries: RegisteredRunnerType[] = [];
    for (const runnerType of runnerTypes) {
      const doc = runnerType as unknown as JsonObject;
      const snapshotId = snapshotIdOf(doc);
      await store.putSnapshot(snapshotId, doc);
      cache.remember(snapshotId, doc);
      entries.push({ runnerType, snapshotId });
    }
    return new RunnerTypeRegistry(entries);
  }

  byName(name: string): RegisteredRunnerType | undefined {
    return this.#byName.get(name);
  }

  byNameOrId(nameOrId: string): RunnerType | undefined {
    return (this.#byName.get(nameOrId) ?? this.#byId.get(nameOrId))?.runnerType;
  }
}
