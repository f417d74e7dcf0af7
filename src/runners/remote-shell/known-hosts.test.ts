import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, parseKnownHosts } from './known-hosts.ts';

const KEY_A = Buffer.from('key-a');
const KEY_B = Buffer.from('key-b');
const b64 = (key: Buffer) => key.toString('base64');

function hashed(name: string): string {
  const salt = Buffer.from('0123456789abcdefghij');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known hosts', () => {
  const entries = parseKnownHosts(
    [
      '# comment',
      '',
      `web1.example,10.0.0.5 ssh-ed25519 ${b64(KEY_A)}`,
      `[db.example]:2222 ssh-ed25519 ${b64(KEY_A)} comment here`,
      `${hashed('[hidden.example]:2200')} ssh-ed25519 ${b64(KEY_A)}`,
      `*.internal,!evil.internal ssh-ed25519 ${b64(KEY_A)}`,
      `@revoked * ssh-ed25519 ${b64(KEY_B)}`,
      `@cert-authority *.example ssh-ed25519 ${b64(KEY_B)}`,
    ].join('\n'),
  );
  const check = (host: string, port: number, key: Buffer) => checkHostKey(entries, host, port, key, 'kh');

  it('accepts a listed host presenting its key: plain, with a port, hashed, by wildcard', () => {
    expect(check('web1.example', 22, KEY_A)).toBeUndefined();
    expect(check('10.0.0.5', 22, KEY_A)).toBeUndefined();
    expect(check('db.example', 2222, KEY_A)).toBeUndefined();
    expect(check('hidden.example', 2200, KEY_A)).toBeUndefined();
    expect(check('app.internal', 22, KEY_A)).toBeUndefined();
  });

  it('refuses unknown hosts, other ports, negated names, other keys and revoked keys', () => {
    expect(check('db.example', 22, KEY_A)).toBe('Host key verification failed: db.example is not in kh.');
    expect(check('evil.internal', 22, KEY_A)).toMatch(/evil\.internal is not in kh/);
    expect(check('web1.example', 22, Buffer.from('other'))).toMatch(
      /^Host key verification failed: the key web1\.example presented is not the one kh lists for it/,
    );
    expect(check('web1.example', 22, KEY_B)).toBe('The host key of web1.example is marked as revoked in kh.');
  });
});
