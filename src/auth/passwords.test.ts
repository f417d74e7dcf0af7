import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashPassword, PasswordFile, PasswordFileError, verifyPassword } from './passwords.ts';

describe('password hashes', () => {
  it('are salted scrypt hashes that verify only the right password', async () => {
    const [a, b] = [await hashPassword('pw one'), await hashPassword('pw one')];
    expect(a).toMatch(/^\$scrypt\$16384\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('pw one', a)).toBe(true);
    expect(await verifyPassword('pw two', a)).toBe(false);
    expect(await verifyPassword('pw one', 'plain')).toBe(false);
  });
});

describe('PasswordFile', () => {
  it('adds and replaces users, keeps no plain password, is private to its owner', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'squall-pw-')), 'passwd');
    const file = new PasswordFile(path);
    expect(await file.verify('ann', 'x')).toBe(false);
    await file.set('ann', 'first secret');
    await file.set('ben', 'other secret');
    await file.set('ann', 'second secret');
    expect(file.users()).toEqual(['ann', 'ben']);
    expect(await file.verify('ann', 'first secret')).toBe(false);
    expect(await file.verify('ann', 'second secret')).toBe(true);
    // A second reader (the server) sees what `squall user add` wrote.
    expect(await new PasswordFile(path).verify('ben', 'other secret')).toBe(true);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('secret');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('refuses names that could break the file and empty passwords', async () => {
    const file = new PasswordFile(join(mkdtempSync(join(tmpdir(), 'squall-pw-')), 'passwd'));
    await expect(file.set('a:b', 'x')).rejects.toBeInstanceOf(PasswordFileError);
    await expect(file.set('a\nb', 'x')).rejects.toBeInstanceOf(PasswordFileError);
    await expect(file.set('ann', '')).rejects.toBeInstanceOf(PasswordFileError);
  });
});
