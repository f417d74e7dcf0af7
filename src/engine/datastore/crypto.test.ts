import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decrypt, DecryptionError, encrypt, loadOrCreateKey } from './crypto.ts';

describe('datastore encryption', () => {
  it('creates a private key file once and round-trips values', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'squall-key-')), 'sub', 'datastore.key');
    const key = loadOrCreateKey(path);
    expect(loadOrCreateKey(path).equals(key)).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const sealed = encrypt(key, 'päss wörd');
    expect(sealed).toMatch(/^[0-9A-F]+$/);
    expect(sealed).not.toBe(encrypt(key, 'päss wörd'));
    expect(decrypt(key, sealed)).toBe('päss wörd');
  });

  it('refuses tampered values and other keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'squall-key-'));
    const key = loadOrCreateKey(join(dir, 'a.key'));
    const other = loadOrCreateKey(join(dir, 'b.key'));
    const sealed = encrypt(key, 'secret');
    const flipped = sealed.slice(0, -1) + (sealed.endsWith('0') ? '1' : '0');
    expect(() => decrypt(key, flipped)).toThrow(DecryptionError);
    expect(() => decrypt(other, sealed)).toThrow(DecryptionError);
    expect(() => decrypt(key, 'not hex')).toThrow(DecryptionError);
  });
});
