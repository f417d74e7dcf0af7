/**
 * The datastore (StackStorm's key-value store): system and per-user items, optional expiry, and
 * secret values encrypted at rest. Reads return what is stored (ciphertext for secrets); only
 * `reveal` decrypts, and callers decide who may call it.
 */
import { ValidationError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { KeyValueScope, type KeyValueFilter, type KeyValueRecord } from '../../domain/key-value.ts';
import { nowMicros } from '../../domain/time.ts';
import type { Page, PageOf, Store } from '../../store/store.ts';
import { st2kvRoot, type DatastoreKeyRef, type LoadedItem } from '../parameters/index.ts';
import { decrypt, DecryptionError, encrypt } from './crypto.ts';

export interface SetKeyValue {
  scope: KeyValueScope;
  user: string;
  name: string;
  value: string;
  secret: boolean;
  /** The value is already ciphertext made with this instance's key (moving items between hosts). */
  encrypted: boolean;
  description: string;
  ttlSeconds?: number;
}

/** `system`, `user`, their full names; anything else is not a scope. */
export function fullScope(scope: string): KeyValueScope | 'all' | undefined {
  switch (scope) {
    case 'system':
    case KeyValueScope.system:
      return KeyValueScope.system;
    case 'user':
    case KeyValueScope.user:
      return KeyValueScope.user;
    case 'all':
    case 'st2kv.all':
      return 'all';
    default:
      return undefined;
  }
}

/** StackStorm's name for an item in messages and uids: `user:name` in user scope. */
export function keyReference(item: { scope: KeyValueScope; user: string; name: string }): string {
  return item.scope === KeyValueScope.user ? `${item.user}:${item.name}` : item.name;
}

export class Datastore {
  readonly #store: Store;
  readonly #key: Buffer;

  constructor(store: Store, key: Buffer) {
    this.#store = store;
    this.#key = key;
  }

  async set(input: SetKeyValue): Promise<KeyValueRecord> {
    if (input.encrypted && !input.secret) {
      throw new ValidationError('encrypted option can only be used in combination with secret option');
    }
    let value = input.value;
    if (input.encrypted) {
      try {
        decrypt(this.#key, value);
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        throw new ValidationError(
          `Failed to verify the integrity of the provided value for key "${input.name}". Ensure that the value is encrypted with the correct key and not corrupted.`,
        );
      }
    } else if (input.secret) {
      value = encrypt(this.#key, value);
    }
    return this.#store.putKeyValue({
      id: newId(),
      scope: input.scope,
      user: input.scope === KeyValueScope.user ? input.user : '',
      name: input.name,
      value,
      secret: input.secret,
      description: input.description,
      expireAt: input.ttlSeconds ? nowMicros() + input.ttlSeconds * 1_000_000 : null,
    });
  }

  get(scope: KeyValueScope, user: string, name: string): Promise<KeyValueRecord | undefined> {
    return this.#store.getKeyValue(scope, scope === KeyValueScope.user ? user : '', name, nowMicros());
  }

  list(filter: Omit<KeyValueFilter, 'now'>, page: Page): Promise<PageOf<KeyValueRecord>> {
    return this.#store.listKeyValues({ ...filter, now: nowMicros() }, page);
  }

  delete(scope: KeyValueScope, user: string, name: string): Promise<boolean> {
    return this.#store.deleteKeyValue(scope, scope === KeyValueScope.user ? user : '', name);
  }

  /** The plain value of an item (decrypted when secret). */
  reveal(item: KeyValueRecord): string {
    return item.secret ? decrypt(this.#key, item.value) : item.value;
  }
}

/**
 * The `st2kv` root for rendering templates that read `refs`: system items, and user items of
 * `user`. Secret items carry their plain value for `decrypt_kv`; they print as ciphertext.
 */
export async function templateDatastore(
  datastore: Datastore,
  refs: readonly DatastoreKeyRef[],
  user: string,
): Promise<object> {
  const system = new Map<string, LoadedItem>();
  const users = new Map<string, LoadedItem>();
  for (const ref of refs) {
    const scope = ref.scope === 'system' ? KeyValueScope.system : KeyValueScope.user;
    const item = await datastore.get(scope, user, ref.name);
    if (!item) continue;
    const loaded: LoadedItem = item.secret
      ? { stored: item.value, plain: datastore.reveal(item) }
      : { stored: item.value };
    (ref.scope === 'system' ? system : users).set(ref.name, loaded);
  }
  return st2kvRoot(system, users);
}
