/**
 * The datastore over HTTP: scopes, secrets encrypted at rest and revealed only on request by those
 * allowed, TTL expiry, and `st2kv` in parameter templates with StackStorm's render errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordFile } from '../../src/auth/passwords.ts';
import { passwordFilePath } from '../../src/auth/index.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let squall: TestSquall;
let admin: Record<string, string>;
let bob: Record<string, string>;

beforeAll(async () => {
  squall = await startTestSquall({ auth: true });
  admin = { 'St2-Api-Key': squall.adminApiKey ?? '' };
  await new PasswordFile(passwordFilePath(squall.dataDir)).set('bob', 'builder');
  const login = await squall.api('/auth/v1/tokens', {
    method: 'POST',
    headers: { authorization: `Basic ${Buffer.from('bob:builder').toString('base64')}` },
  });
  bob = { 'X-Auth-Token': ((await login.json()) as { token: string }).token };
});
afterAll(async () => {
  await squall.close();
});

const put = (name: string, body: Record<string, unknown>, headers = admin): Promise<Response> =>
  squall.api(`/api/v1/keys/${name}`, { method: 'PUT', headers, json: { name, ...body } });

describe('/keys', () => {
  it('sets, reads, lists and deletes system items with StackStorm shapes', async () => {
    const res = await put('greeting', { value: 'hello', description: 'says hi' });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/) as unknown,
      uid: 'key_value_pair:st2kv.system:greeting',
      name: 'greeting',
      value: 'hello',
      secret: false,
      encrypted: false,
      scope: 'st2kv.system',
      description: 'says hi',
    });
    const again = await squall.api('/api/v1/keys/greeting?scope=system', { headers: admin });
    expect(await again.json()).toEqual(doc);
    const list = await squall.api('/api/v1/keys?prefix=gree', { headers: admin });
    expect(list.headers.get('x-total-count')).toBe('1');
    expect(((await list.json()) as { name: string }[]).map((i) => i.name)).toEqual(['greeting']);
    expect((await squall.api('/api/v1/keys/greeting', { method: 'DELETE', headers: admin })).status).toBe(
      204,
    );
    const missing = await squall.api('/api/v1/keys/greeting', { headers: admin });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      faultstring: 'KeyValuePair with name: greeting and scope: st2kv.system not found in db.',
    });
    const badScope = await squall.api('/api/v1/keys/x?scope=nope', { headers: admin });
    expect(badScope.status).toBe(400);
  });

  it('encrypts secrets at rest and decrypts only with decrypt=true for those allowed', async () => {
    const marker = 'S3CRET-marker-4711';
    const res = await put('db_password', { value: marker, secret: true });
    const doc = (await res.json()) as { value: string; encrypted: boolean; secret: boolean };
    expect(doc.secret).toBe(true);
    expect(doc.encrypted).toBe(true);
    expect(doc.value).not.toContain(marker);

    const plain = await squall.api('/api/v1/keys/db_password?decrypt=true', { headers: admin });
    expect(((await plain.json()) as { value: string; encrypted: boolean }).value).toBe(marker);

    const db = readFileSync(join(squall.dataDir, 'squall.db'));
    expect(db.includes(marker)).toBe(false);
    expect(readFileSync(join(squall.dataDir, 'datastore.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);

    const refused = await squall.api('/api/v1/keys?decrypt=true', { headers: bob });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ faultstring: 'Decrypt option requires administrator access' });
    const notViewable = await squall.api('/api/v1/keys/db_password', { headers: bob });
    expect(notViewable.status).toBe(403);
    expect(await notViewable.json()).toEqual({
      faultstring:
        'User "bob" doesn\'t have required permission "key_value_pair_view" on resource "key_value_pair:st2kv.system:db_password"',
    });
  });

  it('keeps user items per user; users manage their own, only admins name another user', async () => {
    const mine = await put('token', { value: 'bob-only', scope: 'st2kv.user', secret: true }, bob);
    expect(mine.status).toBe(200);
    const doc = (await mine.json()) as Record<string, unknown>;
    expect(doc['uid']).toBe('key_value_pair:st2kv.user:bob:token');
    expect(doc['user']).toBe('bob');
    const decrypted = await squall.api('/api/v1/keys/token?scope=user&decrypt=true', { headers: bob });
    expect(((await decrypted.json()) as { value: string }).value).toBe('bob-only');
    const asAdmin = await squall.api('/api/v1/keys/token?user=bob&decrypt=true', { headers: admin });
    expect(((await asAdmin.json()) as { value: string }).value).toBe('bob-only');
    const adminsOwn = await squall.api('/api/v1/keys/token?scope=user', { headers: admin });
    expect(adminsOwn.status).toBe(404);
    const impersonate = await squall.api('/api/v1/keys/token?user=admin', { headers: bob });
    expect(impersonate.status).toBe(403);
    expect(await impersonate.json()).toEqual({
      faultstring: '"user" attribute can only be provided by admins when RBAC is enabled',
    });
    const listed = await squall.api('/api/v1/keys?scope=all', { headers: bob });
    expect(
      ((await listed.json()) as { name: string; scope: string }[]).map((i) => `${i.scope}:${i.name}`),
    ).toEqual(['st2kv.user:token']);
  });

  it('forgets items after their TTL', async () => {
    const res = await put('short', { value: 'v', ttl: 1 });
    expect((await res.json()) as Record<string, unknown>).toHaveProperty('expire_timestamp');
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await squall.api('/api/v1/keys/short', { headers: admin })).status;
    }
    expect(status).toBe(404);
  });
});

describe('st2kv in parameter templates', () => {
  it('renders system and user items and decrypts with decrypt_kv', async () => {
    await put('who', { value: 'world' });
    await put('pin', { value: '1234', secret: true });
    await put('mine', { value: 'admin-value', scope: 'user' });
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: admin,
      json: {
        action: 'core.local',
        parameters: {
          cmd: 'echo {{ st2kv.system.who }} {{ st2kv.system.pin | decrypt_kv }} {{ st2kv.user.mine }} [{{ st2kv.system.absent }}]',
        },
      },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; parameters: { cmd: string } };
    expect(created.parameters.cmd).toBe('echo world 1234 admin-value []');
  });

  it('fails with StackStorm render error for decrypt_kv of a missing item', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: admin,
      json: { action: 'core.local', parameters: { cmd: 'echo {{ st2kv.system.nothing | decrypt_kv }}' } },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      faultstring:
        'Failed to render parameter "cmd": Referenced datastore item "st2kv.system.nothing" doesn\'t exist or it contains an empty string',
    });
  });
});
