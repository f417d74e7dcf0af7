/**
 * The action catalogue behind `/api/v1/actions`: lookups by ref or id, and create / update /
 * delete with StackStorm's validation and messages.
 */
import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { Action, JsonObject } from '../../domain/types.ts';
import type { ActionFilter, Page, PageOf, Store, StoredAction } from '../../store/store.ts';
import type { RunnerTypeRegistry } from '../runner-types.ts';
import { buildAction } from './action-document.ts';

export class ActionCatalog {
  readonly #store: Store;
  readonly #runners: RunnerTypeRegistry;

  constructor(store: Store, runners: RunnerTypeRegistry) {
    this.#store = store;
    this.#runners = runners;
  }

  list(filter: ActionFilter, page: Page): Promise<PageOf<Action>> {
    return this.#store.listActions(filter, page);
  }

  async get(refOrId: string): Promise<Action> {
    return (await this.#find(refOrId)).action;
  }

  async #find(refOrId: string): Promise<StoredAction> {
    const stored = await this.#store.getAction(refOrId);
    if (!stored) throw new NotFoundError(`Resource with a reference or id "${refOrId}" not found`);
    return stored;
  }

  async create(body: JsonObject): Promise<Action> {
    const pack = typeof body['pack'] === 'string' && body['pack'] !== '' ? body['pack'] : 'default';
    const action = buildAction({ ...body, pack }, { pack, metadataFile: '' }, (name) =>
      this.#runners.byNameOrId(name),
    );
    const existing = await this.#store.getAction(action.ref);
    if (existing) {
      throw new ConflictError(
        `Tried to save duplicate unique keys (action with ref "${action.ref}" already exists)`,
        existing.action.id,
      );
    }
    return (await this.#store.saveAction(action)).action;
  }

  async update(refOrId: string, body: JsonObject): Promise<Action> {
    const existing = await this.#find(refOrId);
    const pack =
      typeof body['pack'] === 'string' && body['pack'] !== '' ? body['pack'] : existing.action.pack;
    const action = buildAction(
      { ...body, pack },
      { pack, metadataFile: existing.action.metadata_file, id: existing.action.id },
      (name) => this.#runners.byNameOrId(name),
    );
    if (action.ref !== existing.action.ref) {
      const clash = await this.#store.getAction(action.ref);
      if (clash)
        throw new ConflictError(
          `Tried to save duplicate unique keys (action with ref "${action.ref}" already exists)`,
          clash.action.id,
        );
      // The store upserts by ref: a rename replaces the old row rather than adding a second one.
      await this.#store.deleteAction(existing.action.id);
    }
    return (await this.#store.saveAction(action)).action;
  }

  async delete(refOrId: string): Promise<void> {
    const existing = await this.#find(refOrId);
    await this.#store.deleteAction(existing.action.id);
  }
}
