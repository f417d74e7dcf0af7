/**
 * Generating and hashing the credentials clients hold. Tokens and API keys are random (256 bits
 * from the OS), so a fast one-way hash is enough to make the stored form useless to a thief.
 */
import { createHash, randomBytes } from 'node:crypto';

/** A login token: 32 hex characters, as StackStorm's. */
export function newToken(): string {
  return randomBytes(16).toString('hex');
}

/** How a token is stored. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** An API key: 256 random bits, URL-safe, like StackStorm's base64-looking keys. */
export function newApiKey(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * StackStorm's `key_hash`: SHA-512 over its fixed salt and the key. Kept identical so a key hash
 * exported from StackStorm (`st2 apikey load`) keeps working and 401 messages name the same hash.
 */
export function apiKeyHash(key: string): string {
  return createHash('sha512').update('saltnpepper').update(key).digest('hex');
}
