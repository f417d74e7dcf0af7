/**
 * Encryption at rest for secret datastore values: AES-256-GCM with a key file created on first
 * start in the data directory (mode 0600). GCM authenticates, so a value altered in the database
 * fails to decrypt instead of decrypting to garbage.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const IV_BYTES = 12;
const TAG_BYTES = 16;

export class DecryptionError extends Error {}

/** Reads the key file, creating it (256 random bits, hex) when it does not exist. */
export function loadOrCreateKey(path: string): Buffer {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  if (key.length !== 32) throw new Error(`${path} does not hold a 256-bit hex key`);
  return key;
}

/** Uppercase hex of iv | tag | ciphertext (StackStorm's encrypted values are uppercase hex too). */
export function encrypt(key: Buffer, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('hex').toUpperCase();
}

export function decrypt(key: Buffer, sealed: string): string {
  const bytes = Buffer.from(sealed, 'hex');
  if (!/^[0-9a-fA-F]*$/.test(sealed) || bytes.length < IV_BYTES + TAG_BYTES) {
    throw new DecryptionError('not an encrypted value');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  } catch (error) {
    throw new DecryptionError('value does not decrypt with this key', { cause: error });
  }
}
