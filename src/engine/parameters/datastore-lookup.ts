/**
 * `st2kv.system.<name>` and `st2kv.user.<name>` inside templates. Rendering is synchronous, so the
 * items a template names are read beforehand (see `datastoreKeysOf`) and handed in as a map; a
 * name not in the map renders as an empty string, as a missing item does in StackStorm.
 *
 * A looked-up item is a `String` (so it prints and converts like its stored text: ciphertext for
 * secrets) that also knows its reference, for `decrypt_kv` and its error message.
 */

export interface LoadedItem {
  /** As stored: ciphertext for secrets. */
  stored: string;
  /** The plain value of a secret item; undefined for non-secret items. */
  plain?: string;
}

export class DatastoreLookup extends String {
  readonly ref: string;
  readonly #items: ReadonlyMap<string, LoadedItem>;
  readonly #name: string | undefined;

  constructor(scopeRef: string, items: ReadonlyMap<string, LoadedItem>, name?: string) {
    super(name === undefined ? '' : (items.get(name)?.stored ?? ''));
    this.ref = name === undefined ? scopeRef : `${scopeRef}.${name}`;
    this.#items = items;
    this.#name = name;
  }

  /** `st2kv.system.a.b`: the item named `a.b`. */
  member(key: string): DatastoreLookup {
    const scopeRef =
      this.#name === undefined ? this.ref : this.ref.slice(0, this.ref.length - this.#name.length - 1);
    return new DatastoreLookup(
      scopeRef,
      this.#items,
      this.#name === undefined ? key : `${this.#name}.${key}`,
    );
  }

  /** `decrypt_kv`: the plain value; an error naming the item when it is missing or empty. */
  decrypted(): string {
    const item = this.#name === undefined ? undefined : this.#items.get(this.#name);
    if (!item || item.stored === '') {
      throw new Error(`Referenced datastore item "${this.ref}" doesn't exist or it contains an empty string`);
    }
    return item.plain ?? item.stored;
  }
}

/** The `st2kv` root of a render context. */
export function st2kvRoot(
  system: ReadonlyMap<string, LoadedItem>,
  user: ReadonlyMap<string, LoadedItem>,
): { system: DatastoreLookup; user: DatastoreLookup } {
  return {
    system: new DatastoreLookup('st2kv.system', system),
    user: new DatastoreLookup('st2kv.user', user),
  };
}
