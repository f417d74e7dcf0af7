import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { originOf, resolveSettings, saveToken } from './settings.ts';

const home = (): string => mkdtempSync(join(tmpdir(), 'squall-settings-'));
const NOW = Date.parse('2026-11-29T12:00:00Z');

describe('originOf keeps the origin of StackStorm-style URLs', () => {
  it('drops /api/v1 and /v1, keeps other paths', () => {
    expect(originOf('http://h:9101/api/v1', 'x')).toBe('http://h:9101');
    expect(originOf('http://h:9101/v1/', 'x')).toBe('http://h:9101');
    expect(originOf('https://h/squall/', 'x')).toBe('https://h/squall');
    expect(() => originOf('h:9101', 'SQUALL_URL')).toThrow('SQUALL_URL must be an http:// or https:// URL');
  });
});

describe('resolveSettings', () => {
  it('flag > SQUALL_URL > ST2_API_URL > ST2_BASE_URL (port 9101) > config file > default', () => {
    const h = home();
    const env = { HOME: h };
    expect(resolveSettings({}, env, NOW).url).toBe('http://127.0.0.1:9101');
    mkdirSync(join(h, '.config', 'squall'), { recursive: true });
    writeFileSync(join(h, '.config', 'squall', 'config.yaml'), 'url: http://file:1\napi_key: from-file\n');
    expect(resolveSettings({}, env, NOW)).toMatchObject({ url: 'http://file:1', apiKey: 'from-file' });
    expect(resolveSettings({}, { ...env, ST2_BASE_URL: 'http://base' }, NOW).url).toBe('http://base:9101');
    expect(resolveSettings({}, { ...env, ST2_API_URL: 'http://api:1/api/v1' }, NOW).url).toBe('http://api:1');
    expect(
      resolveSettings({}, { ...env, SQUALL_URL: 'http://sq:2', ST2_API_URL: 'http://api:1' }, NOW).url,
    ).toBe('http://sq:2');
    expect(resolveSettings({ url: 'http://flag:3' }, { ...env, SQUALL_URL: 'http://sq:2' }, NOW).url).toBe(
      'http://flag:3',
    );
  });

  it('uses the saved token only for its URL, unexpired, and when no key or token is given', () => {
    const h = home();
    const env = { XDG_CONFIG_HOME: join(h, 'cfg') };
    const dir = join(h, 'cfg', 'squall');
    saveToken(dir, {
      url: 'http://127.0.0.1:9101',
      user: 'u',
      token: 'saved',
      expiry: '2026-11-30T00:00:00Z',
    });
    expect(resolveSettings({}, env, NOW)).toMatchObject({
      token: 'saved',
      credentialFrom: 'the token "squall login" saved',
      savedTokenUnused: undefined,
    });
    expect(resolveSettings({ url: 'http://other:1' }, env, NOW)).toMatchObject({
      token: undefined,
      credentialFrom: undefined,
      savedTokenUnused: 'the token "squall login" saved is for http://127.0.0.1:9101',
    });
    expect(resolveSettings({}, env, Date.parse('2026-12-01T00:00:00Z'))).toMatchObject({
      token: undefined,
      savedTokenUnused: 'the token "squall login" saved expired on 2026-11-30T00:00:00Z',
    });
    expect(resolveSettings({}, { ...env, ST2_API_KEY: 'k' }, NOW)).toMatchObject({
      apiKey: 'k',
      token: undefined,
      credentialFrom: 'the API key from ST2_API_KEY',
    });
    expect(resolveSettings({ apiKey: 'f' }, { ...env, SQUALL_API_KEY: 'k' }, NOW).credentialFrom).toBe(
      'the API key from --api-key',
    );
    expect(resolveSettings({}, { ...env, ST2_AUTH_TOKEN: 't' }, NOW)).toMatchObject({
      token: 't',
      credentialFrom: 'the token from ST2_AUTH_TOKEN',
    });
  });

  it('refuses a config file that is not a mapping, and a missing --config', () => {
    const h = home();
    writeFileSync(join(h, 'bad.yaml'), '- a\n- b\n');
    expect(() => resolveSettings({ config: join(h, 'bad.yaml') }, {}, NOW)).toThrow(
      'must hold a YAML mapping',
    );
    expect(() => resolveSettings({ config: join(h, 'none.yaml') }, {}, NOW)).toThrow('config file not found');
  });
});
