/**
 * Datastore items (StackStorm's key-value pairs). System items are shared; user items belong to
 * one user. Secret values are stored encrypted: `value` then holds the ciphertext.
 */

/** The two scopes as StackStorm names them in full. */
export const KeyValueScope = {
  system: 'st2kv.system',
  user: 'st2kv.user',
} as const;
export type KeyValueScope = (typeof KeyValueScope)[keyof typeof KeyValueScope];

export interface KeyValueRecord {
  id: string;
  scope: KeyValueScope;
  /** Owner of a user-scope item; '' for system items. */
  user: string;
  name: string;
  /** Plain text, or the ciphertext when `secret`. */
  value: string;
  secret: boolean;
  description: string;
  /** Microseconds since the epoch at which the item disappears; null: never. */
  expireAt: number | null;
}

/** Which items to list; expired items are never returned. */
export interface KeyValueFilter {
  scope?: KeyValueScope;
  /** Only user-scope items of this user (system items are unaffected). */
  user?: string;
  prefix?: string;
  /** Now, microseconds: items with `expireAt <= now` are gone. */
  now: number;
}
