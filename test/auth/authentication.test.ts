/**
 * Authentication end to end: first-start admin key, logins with tokens, API keys, the order
 * credentials are read in and StackStorm's 401 messages, on every route of the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registeredRoutes } from '../../src/api/auth/authenticate.ts';
import { PasswordFile } from '../../src/auth/passwords.ts';
import { passwordFilePath } from '../../src/auth/index.ts';
import { tokenHash } from '../../src/auth/secrets.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let squall: TestSquall;
let adminKey: string;

const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

beforeAll(async () => {
  squall = await startTestSquall({ auth: true });
  adminKey = squall.adminApiKey ?? '';
  await new PasswordFile(passwordFilePath(squall.dataDir)).set('alice', 'wonder land');
});
afterAll(async () => {
  await squall.close();
});

describe('first start', () => {
  it('creates an admin API key that works, and does not create another on the next start', async () => {
    expect(adminKey).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const res = await squall.api('/api/v1/user', { headers: { 'St2-Api-Key': adminKey } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      username: 'admin',
      authentication: { method: 'API key', location: 'header' },
      rbac: { enabled: true, roles: ['system_admin'], is_admin: true },
    });
  });
});

describe('every route needs credentials', () => {
  it('answers 401 "One of Token or API key required." on each route but the token routes', async () => {
    const routes = registeredRoutes(squall.app);
    expect(routes.length).toBeGreaterThan(50);
    const open = new Set(['/auth/v1/tokens', '/v1/tokens', '/tokens']);
    const failures: string[] = [];
    for (const { method, url } of routes) {
      if (method === 'OPTIONS') continue;
      const path = url.replace(/\/$/, '');
      if (open.has(path) || open.has(path.replace(/\/validate$/, ''))) continue;
      const concrete = url.replace(/:(\w+)/g, (_, name: string) =>
        name === 'id' ? '5f0000000000000000000000' : 'x',
      );
      const res = await squall.api(concrete, { method });
      const body = (await res.json()) as { faultstring?: string };
      if (res.status !== 401 || body.faultstring !== 'Unauthorized - One of Token or API key required.') {
        failures.push(`${method} ${url} → ${res.status} ${JSON.stringify(body)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('still answers CORS preflights and unknown routes without credentials', async () => {
    expect((await squall.api('/api/v1/executions', { method: 'OPTIONS' })).status).toBe(200);
    const res = await squall.api('/api/v1/nothing-here');
    expect(res.status).toBe(404);
  });
});

describe('tokens', () => {
  it('logs in with HTTP Basic and uses the token from header, query and cookie', async () => {
    for (const path of ['/auth/v1/tokens', '/v1/tokens', '/tokens']) {
      const res = await squall.api(path, {
        method: 'POST',
        headers: { authorization: basic('alice', 'wonder land') },
      });
      expect(res.status).toBe(201);
      const doc = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(doc)).toEqual(['user', 'token', 'expiry', 'id', 'metadata']);
      expect(doc['user']).toBe('alice');
      expect(doc['token']).toMatch(/^[0-9a-f]{32}$/);
      expect(doc['expiry']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
    const login = await squall.api('/auth/v1/tokens', {
      method: 'POST',
      headers: { authorization: basic('alice', 'wonder land') },
      json: { ttl: 60 },
    });
    const { token, expiry } = (await login.json()) as { token: string; expiry: string };
    const seconds = (Date.parse(expiry) - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(30);
    expect(seconds).toBeLessThanOrEqual(60);

    const viaHeader = await squall.api('/api/v1/user', { headers: { 'X-Auth-Token': token } });
    expect(viaHeader.status).toBe(200);
    expect(viaHeader.headers.get('set-cookie')).toMatch(/^auth-token=[0-9a-f]{32}; Max-Age=\d+; HttpOnly/);
    const me = (await viaHeader.json()) as { username: string; authentication: Record<string, string> };
    expect(me.username).toBe('alice');
    expect(me.authentication['method']).toBe('authentication token');
    expect(me.authentication['token_expire']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const viaQuery = await squall.api(`/api/v1/user?x-auth-token=${token}`);
    expect(
      ((await viaQuery.json()) as { authentication: { location: string } }).authentication.location,
    ).toBe('query');
    const viaCookie = await squall.api('/api/v1/user', { headers: { cookie: `x=1; auth-token=${token}` } });
    expect(
      ((await viaCookie.json()) as { authentication: { location: string } }).authentication.location,
    ).toBe('cookie');

    const valid = await squall.api('/auth/v1/tokens/validate', { method: 'POST', json: { token } });
    expect(await valid.json()).toEqual({ valid: true });
    const invalid = await squall.api('/auth/v1/tokens/validate', { method: 'POST', json: { token: 'nope' } });
    expect(await invalid.json()).toEqual({ valid: false });
    const viaGet = await squall.api('/auth/v1/tokens/validate', { headers: { 'X-Auth-Token': token } });
    expect(await viaGet.json()).toEqual({ valid: true });
  });

  it('refuses wrong passwords, unknown users and TTLs over the maximum with StackStorm messages', async () => {
    for (const authorization of [basic('alice', 'wrong'), basic('nobody', 'x'), 'Bearer abc']) {
      const res = await squall.api('/auth/v1/tokens', { method: 'POST', headers: { authorization } });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ faultstring: 'Invalid or missing credentials' });
    }
    const res = await squall.api('/auth/v1/tokens', { method: 'POST' });
    expect(res.status).toBe(401);
    const tooLong = await squall.api('/auth/v1/tokens', {
      method: 'POST',
      headers: { authorization: basic('alice', 'wonder land') },
      json: { ttl: 86401 },
    });
    expect(tooLong.status).toBe(400);
    expect(await tooLong.json()).toEqual({
      faultstring: 'TTL specified 86401 is greater than max allowed 86400.',
    });
  });

  it('answers an unknown or expired token with StackStorm 401 messages', async () => {
    const unknown = await squall.api('/api/v1/executions', { headers: { 'X-Auth-Token': 'f'.repeat(32) } });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ faultstring: 'Unauthorized' });

    const token = 'e'.repeat(32);
    await squall.store.saveToken({
      id: '5f0000000000000000000001',
      user: 'alice',
      tokenHash: tokenHash(token),
      expiry: Date.now() * 1000 - 1,
      metadata: {},
    });
    const expired = await squall.api('/api/v1/executions', { headers: { 'X-Auth-Token': token } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ faultstring: 'Unauthorized - Token has expired.' });
  });
});

describe('API keys', () => {
  const admin = (): Record<string, string> => ({ 'St2-Api-Key': adminKey });

  it('creates a key shown once, lists it masked, disables, enables and deletes it', async () => {
    const created = await squall.api('/api/v1/apikeys', {
      method: 'POST',
      headers: admin(),
      json: { user: 'alice', metadata: { why: 'ci' } },
    });
    expect(created.status).toBe(201);
    const doc = (await created.json()) as Record<string, unknown>;
    expect(Object.keys(doc).sort()).toEqual([
      'created_at',
      'enabled',
      'id',
      'key',
      'metadata',
      'uid',
      'user',
    ]);
    const key = String(doc['key']);
    const id = String(doc['id']);

    const me = await squall.api('/api/v1/user', { headers: { 'St2-Api-Key': key } });
    expect(((await me.json()) as { username: string }).username).toBe('alice');
    const viaQuery = await squall.api(`/api/v1/user?st2-api-key=${encodeURIComponent(key)}`);
    expect(viaQuery.status).toBe(200);

    const one = (await (await squall.api(`/api/v1/apikeys/${id}`, { headers: admin() })).json()) as Record<
      string,
      unknown
    >;
    expect(one['key_hash']).toBe('********');
    expect(one['uid']).toBe('********');
    expect(JSON.stringify(one)).not.toContain(key);
    const shown = (await (
      await squall.api(`/api/v1/apikeys/${id}?show_secrets=true`, { headers: admin() })
    ).json()) as {
      key_hash: string;
    };
    expect(shown.key_hash).toMatch(/^[0-9a-f]{128}$/);

    const byKey = await squall.api(`/api/v1/apikeys/${encodeURIComponent(key)}`, { headers: admin() });
    expect(((await byKey.json()) as { id: string }).id).toBe(id);
    const list = await squall.api('/api/v1/apikeys', { headers: admin() });
    expect(list.headers.get('x-total-count')).toBe('2');
    expect(((await list.json()) as unknown[]).length).toBe(2);

    const disabled = await squall.api(`/api/v1/apikeys/${id}`, {
      method: 'PUT',
      headers: admin(),
      json: { ...one, enabled: false },
    });
    expect(disabled.status).toBe(200);
    const refused = await squall.api('/api/v1/user', { headers: { 'St2-Api-Key': key } });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ faultstring: 'Unauthorized - API key is disabled.' });

    const changeHash = await squall.api(`/api/v1/apikeys/${id}`, {
      method: 'PUT',
      headers: admin(),
      json: { key_hash: 'abc', enabled: true },
    });
    expect(changeHash.status).toBe(400);
    expect(await changeHash.json()).toEqual({ faultstring: 'Update of key_hash is not allowed.' });

    expect((await squall.api(`/api/v1/apikeys/${id}`, { method: 'DELETE', headers: admin() })).status).toBe(
      204,
    );
    const gone = await squall.api('/api/v1/user', { headers: { 'St2-Api-Key': key } });
    expect(gone.status).toBe(401);
    const { faultstring } = (await gone.json()) as { faultstring: string };
    expect(faultstring).toMatch(/^Unauthorized - ApiKey with key_hash=[0-9a-f]{128} not found\.$/);
    const missing = await squall.api(`/api/v1/apikeys/${id}`, { headers: admin() });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      faultstring: `ApiKey matching ${id} for reference and id not found.`,
    });
  });

  it('reads credentials in StackStorm order: a header token wins over a header API key', async () => {
    const res = await squall.api('/api/v1/user', {
      headers: { 'X-Auth-Token': 'bogus', 'St2-Api-Key': adminKey },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ faultstring: 'Unauthorized' });
    const keyFirst = await squall.api('/api/v1/user?x-auth-token=bogus', {
      headers: { 'St2-Api-Key': adminKey },
    });
    expect(keyFirst.status).toBe(200);
  });
});
