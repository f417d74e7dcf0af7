/**
 * Credentials as stored: authentication tokens and API keys. Neither is ever kept in plain text:
 * the store holds a one-way hash, and the plain value exists only in the response that created it.
 */
import type { JsonObject } from './types.ts';

/** A login token (`POST /auth/v1/tokens`). */
export interface TokenRecord {
  /** 24-hex id, as StackStorm's token ids. */
  id: string;
  user: string;
  /** Hash of the token the client holds. */
  tokenHash: string;
  /** Microseconds since the epoch after which the token is refused. */
  expiry: number;
  metadata: JsonObject;
}

/** An API key (`/api/v1/apikeys`). */
export interface ApiKeyRecord {
  id: string;
  user: string;
  /** StackStorm's `key_hash`: the only form of the key that is stored. */
  keyHash: string;
  metadata: JsonObject;
  /** Microseconds since the epoch. */
  createdAt: number;
  enabled: boolean;
}
