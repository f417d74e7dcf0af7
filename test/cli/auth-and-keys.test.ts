/**
 * `squall login|logout`, `apikey` and `key` send StackStorm's requests. Squall's own auth and
 * datastore endpoints are built elsewhere; until they are merged these commands are checked against
 * a small recording HTTP server standing in for them (the requests are StackStorm's, documented in
 * st2-openapi.yaml). End-to-end runs against a real Squall belong with those endpoints.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cliEnv, runCliProcess } from './cli-process.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

let server: Server;
let url: string;
let seen: Seen[] = [];
const EXPIRY = '2099-01-01T00:00:00.000000Z';

/** Answers as StackStorm does for the few routes these commands use. */
function answer(req: Seen): [number, unknown] {
  const path = req.url.split('?')[0] ?? '';
  if (req.method === 'POST' && path === '/auth/v1/tokens') {
    const basic = Buffer.from(
      String(req.headers.authorization ?? '').replace(/^Basic /, ''),
      'base64',
    ).toString();
    if (basic !== 'ops:s3cret') return [401, { faultstring: 'Invalid or missing credentials' }];
    return [201, { user: 'ops', token: 'tok-123', expiry: EXPIRY, id: 't1', metadata: {} }];
  }
  if (req.method === 'GET' && path === '/api/v1/executions')
    return req.headers['x-auth-token'] || req.headers['st2-api-key']
      ? [200, []]
      : [401, { faultstring: 'Unauthorized - One of Token or API key required.' }];
  if (req.method === 'POST' && path === '/api/v1/apikeys')
    return [201, { id: 'k1', key: 'secret-key', user: 'ops', enabled: true, metadata: {} }];
  if (req.method === 'GET' && path === '/api/v1/apikeys')
    return [200, [{ id: 'k1', user: 'ops', enabled: true, created_at: '2026-01-01T00:00:00Z' }]];
  if (req.method === 'DELETE' && path.startsWith('/api/v1/apikeys/')) return [204, undefined];
  if (req.method === 'PUT' && path.startsWith('/api/v1/keys/'))
    return [200, { ...(req.body as object), scope: 'st2kv.system' }];
  if (req.method === 'GET' && path === '/api/v1/keys/greeting')
    return [200, { name: 'greeting', value: 'hello' }];
  if (req.method === 'GET' && path === '/api/v1/keys')
    return [200, [{ name: 'greeting', value: 'hello', scope: 'st2kv.system', secret: false }]];
  if (req.method === 'DELETE' && path.startsWith('/api/v1/keys/')) return [204, undefined];
  return [404, { faultstring: 'The resource could not be found.' }];
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += String(d)));
    req.on('end', () => {
      const record: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      seen.push(record);
      const [status, body] = answer(record);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body === undefined ? '' : JSON.stringify(body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  seen = [];
});

describe('squall login', () => {
  it('POSTs Basic credentials, saves the token privately, and later commands send it', async () => {
    const env = cliEnv({ SQUALL_URL: url });
    const login = await runCliProcess(['login', 'ops', '--ttl', '3600'], env, 's3cret\n');
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/auth/v1/tokens', body: { ttl: 3600 } });
    expect(seen[0]?.headers.authorization).toBe(`Basic ${Buffer.from('ops:s3cret').toString('base64')}`);
    const saved = join(env['XDG_CONFIG_HOME'] ?? '', 'squall', 'token.json');
    expect(JSON.parse(readFileSync(saved, 'utf8'))).toEqual({
      url,
      user: 'ops',
      token: 'tok-123',
      expiry: EXPIRY,
    });
    expect(statSync(saved).mode & 0o777).toBe(0o600);

    const list = await runCliProcess(['execution', 'list', '-j'], env);
    expect(list.code).toBe(0);
    expect(seen[1]?.headers['x-auth-token']).toBe('tok-123');

    // An API key from the environment wins over the saved token.
    await runCliProcess(['execution', 'list', '-j'], { ...env, ST2_API_KEY: 'env-key' });
    expect(seen[2]?.headers['st2-api-key']).toBe('env-key');
    expect(seen[2]?.headers['x-auth-token']).toBeUndefined();

    const logout = await runCliProcess(['logout'], env);
    expect(logout.code).toBe(0);
    const anonymous = await runCliProcess(['execution', 'list'], env);
    expect(anonymous.code).toBe(7);
    expect(anonymous.stderr).toBe('squall: Unauthorized - One of Token or API key required.\n');
  });

  it('bad credentials: the faultstring, exit 7, nothing saved', async () => {
    const env = cliEnv({ SQUALL_URL: url });
    const login = await runCliProcess(['login', 'ops', '-p', 'wrong'], env);
    expect(login.code).toBe(7);
    expect(login.stderr).toBe('squall: Invalid or missing credentials\n');
    expect(existsSync(join(env['XDG_CONFIG_HOME'] ?? '', 'squall', 'token.json'))).toBe(false);
  });
});

describe('squall apikey and key', () => {
  it('apikey create / list / delete', async () => {
    const env = cliEnv({ SQUALL_URL: url, SQUALL_API_KEY: 'admin-key' });
    const created = await runCliProcess(['apikey', 'create', '-u', 'ops', '-m', '{"for":"ci"}'], env);
    expect(created.stdout).toMatch(/^secret-key\n/);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/apikeys',
      body: { user: 'ops', metadata: { for: 'ci' } },
    });
    expect(seen[0]?.headers['st2-api-key']).toBe('admin-key');
    const list = await runCliProcess(['apikey', 'list'], env);
    expect(list.stdout).toMatch(/^ID\s+USER\s+ENABLED\s+CREATED\nk1\s+ops\s+yes/);
    const deleted = await runCliProcess(['apikey', 'delete', 'k1'], env);
    expect(deleted.code).toBe(0);
    expect(seen[2]).toMatchObject({ method: 'DELETE', url: '/api/v1/apikeys/k1' });
  });

  it('key set / get / list / delete', async () => {
    const env = cliEnv({ SQUALL_URL: url });
    await runCliProcess(['key', 'set', 'greeting', 'hello', '--secret', '--ttl', '60'], env);
    expect(seen[0]).toMatchObject({
      method: 'PUT',
      url: '/api/v1/keys/greeting',
      body: { name: 'greeting', value: 'hello', scope: 'system', secret: true, ttl: 60 },
    });
    const get = await runCliProcess(['key', 'get', 'greeting'], env);
    expect(get.stdout).toBe('hello\n');
    expect(seen[1]?.url).toBe('/api/v1/keys/greeting?scope=system&decrypt=false');
    const list = await runCliProcess(['key', 'list', '-j'], env);
    expect(JSON.parse(list.stdout)[0].name).toBe('greeting');
    expect(seen[2]?.url).toBe('/api/v1/keys?scope=all&decrypt=false&limit=-1');
    await runCliProcess(['key', 'delete', 'greeting'], env);
    expect(seen[3]).toMatchObject({ method: 'DELETE', url: '/api/v1/keys/greeting?scope=system' });
  });
});
