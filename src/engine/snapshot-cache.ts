/**
 * Executions embed the action and runner type as they were when created. Those copies are stored
 * once, content-addressed, so they are immutable: caching them forever is always correct. The
 * cache is bounded so a long-lived process with many action revisions stays small.
 */
import type { JsonObject } from '../domain/types.ts';
import type { Store } from '../store/store.ts';

export class SnapshotCache {
  readonly #store: Store;
  readonly #entries = new Map<string, JsonObject>();
  readonly #capacity: number;

  constructor(store: Store, capacity = 2048) {
    this.#store = store;
    this.#capacity = capacity;
  }

  remember(id: string, doc: JsonObject): void {
    if (this.#entries.size >= this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(id, doc);
  }

  async getMany(ids: Iterable<string>): Promise<Map<string, JsonObject>> {
    const found = new Map<string, JsonObject>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const doc = this.#entries.get(id);
      if (doc) found.set(id, doc);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const [id, doc] of await this.#store.getSnapshots(missing)) {
        this.remember(id, doc);
        found.set(id, doc);
      }
    }
    return found;
  }

  async get(id: string): Promise<JsonObject | undefined> {
    return (await this.getMany([id])).get(id);
  }
}
