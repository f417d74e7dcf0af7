/**
 * RBAC: system roles, a custom role from `rbac/roles/`, assignments from `rbac/assignments/`, a
 * role × route matrix, the admin-only inputs (limit, show_secrets, user, St2-Context) and
 * permission isolation.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSse } from '../helpers/sse.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

const USERS = ['admin2', 'watcher', 'runner', 'nobody'] as const;
type User = 'admin' | (typeof USERS)[number];

/** Writes StackStorm-layout RBAC files into a data directory before Squall starts. */
function writeRbac(dataDir: string): void {
  mkdirSync(join(dataDir, 'rbac', 'roles'), { recursive: true });
  mkdirSync(join(dataDir, 'rbac', 'assignments'), { recursive: true });
  writeFileSync(
    join(dataDir, 'rbac', 'roles', 'local_runner.yaml'),
    `---
name: local_runner
description: Runs core.local and reads its executions
enabled: true
permission_grants:
  - resource_uid: action:core:local
    permission_types: [action_execute, action_view, execution_view]
  - permission_types: [execution_list]
`,
  );
  const assign = (user: string, roles: string[]): void =>
    writeFileSync(
      join(dataDir, 'rbac', 'assignments', `${user}.yaml`),
      `---\nusername: ${user}\nroles:\n${roles.map((r) => `  - ${r}\n`).join('')}`,
    );
  assign('admin2', ['admin']);
  assign('watcher', ['observer']);
  assign('runner', ['local_runner']);
}

async function startWithUsers(
  options: { permissionIsolation?: boolean } = {},
): Promise<{ squall: TestSquall; keys: Record<User, Record<string, string>> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'squall-rbac-'));
  writeRbac(dataDir);
  const squall = await startTestSquall({ auth: true, dataDir, ...options });
  const keys: Partial<Record<User, Record<string, string>>> = {
    admin: { 'St2-Api-Key': squall.adminApiKey ?? '' },
  };
  for (const user of USERS) {
    const res = await squall.api('/api/v1/apikeys', { method: 'POST', headers: keys.admin, json: { user } });
    keys[user] = { 'St2-Api-Key': String(((await res.json()) as { key: string }).key) };
  }
  return { squall, keys: keys as Record<User, Record<string, string>> };
}

let squall: TestSquall;
let keys: Record<User, Record<string, string>>;
let localId: string;
let noopId: string;

beforeAll(async () => {
  ({ squall, keys } = await startWithUsers());
  const run = async (action: string, parameters: Record<string, unknown>): Promise<string> => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: keys.admin,
      json: { action, parameters },
    });
    return ((await res.json()) as { id: string }).id;
  };
  localId = await run('core.local', { cmd: 'echo hi' });
  noopId = await run('core.noop', {});
  // Finished, so that re-running and cancelling it behave the same on every run of the test.
  for (let i = 0; i < 500; i++) {
    const res = await squall.api(`/api/v1/executions/${localId}`, { headers: keys.admin });
    if (((await res.json()) as { status: string }).status === 'succeeded') break;
    await new Promise((r) => setTimeout(r, 20));
  }
});
afterAll(async () => {
  await squall.close();
});

describe('role × route matrix', () => {
  // [method, path, body, expected status for admin, admin2, watcher, runner, nobody]
  const matrix: [string, () => string, unknown, number[]][] = [
    ['GET', () => '/api/v1/executions', undefined, [200, 200, 200, 200, 403]],
    ['GET', () => '/api/v1/executions/views/filters', undefined, [200, 200, 200, 403, 403]],
    ['GET', () => `/api/v1/executions/${localId}`, undefined, [200, 200, 200, 200, 403]],
    ['GET', () => `/api/v1/executions/${noopId}`, undefined, [200, 200, 200, 403, 403]],
    ['GET', () => `/api/v1/executions/${localId}/output`, undefined, [200, 200, 200, 200, 403]],
    ['GET', () => `/api/v1/executions/${localId}/result`, undefined, [200, 200, 200, 200, 403]],
    ['GET', () => `/api/v1/executions/${noopId}/result`, undefined, [200, 200, 200, 403, 403]],
    ['GET', () => `/api/v1/executions/${noopId}/attribute/result`, undefined, [200, 200, 200, 403, 403]],
    ['GET', () => `/api/v1/executions/${localId}/children`, undefined, [200, 200, 200, 200, 403]],
    [
      'POST',
      () => '/api/v1/executions',
      { action: 'core.local', parameters: { cmd: 'true' } },
      [201, 201, 403, 201, 403],
    ],
    ['POST', () => '/api/v1/executions', { action: 'core.noop' }, [201, 201, 403, 403, 403]],
    ['POST', () => `/api/v1/executions/${localId}/re_run`, {}, [201, 201, 403, 201, 403]],
    ['DELETE', () => `/api/v1/executions/${noopId}`, undefined, [200, 200, 403, 403, 403]],
    ['GET', () => '/api/v1/actions', undefined, [200, 200, 200, 403, 403]],
    ['GET', () => '/api/v1/actions/core.local', undefined, [200, 200, 200, 200, 403]],
    ['GET', () => '/api/v1/actions/core.noop', undefined, [200, 200, 200, 403, 403]],
    [
      'POST',
      () => '/api/v1/actions',
      { name: 'x', pack: 'p', runner_type: 'noop' },
      [409, 409, 403, 403, 403],
    ],
    ['GET', () => '/api/v1/runnertypes', undefined, [200, 200, 200, 403, 403]],
    ['GET', () => '/api/v1/runnertypes/noop', undefined, [200, 200, 200, 403, 403]],
    ['GET', () => '/api/v1/keys', undefined, [200, 200, 200, 403, 403]],
    ['GET', () => '/api/v1/keys?scope=user', undefined, [200, 200, 200, 200, 200]],
    ['PUT', () => '/api/v1/keys/k', { name: 'k', value: 'v' }, [200, 200, 403, 403, 403]],
    ['PUT', () => '/api/v1/keys/k', { name: 'k', value: 'v', scope: 'user' }, [200, 200, 200, 200, 200]],
    ['GET', () => '/api/v1/apikeys', undefined, [200, 200, 200, 200, 200]],
    ['GET', () => '/api/v1/user', undefined, [200, 200, 200, 200, 200]],
  ];
  const order: User[] = ['admin', 'admin2', 'watcher', 'runner', 'nobody'];

  it('answers each role on each route as StackStorm would', async () => {
    // The action to conflict with, so creating it is a no-op for admins (409) after the first.
    await squall.api('/api/v1/actions', {
      method: 'POST',
      headers: keys.admin,
      json: { name: 'x', pack: 'p', runner_type: 'noop' },
    });
    const got: string[] = [];
    const want: string[] = [];
    for (const [method, path, body, statuses] of matrix) {
      for (const [i, user] of order.entries()) {
        const res = await squall.api(path(), {
          method,
          headers: keys[user],
          ...(body !== undefined ? { json: body } : {}),
        });
        await res.arrayBuffer();
        got.push(`${method} ${path()} as ${user}: ${res.status}`);
        want.push(`${method} ${path()} as ${user}: ${statuses[i] ?? '?'}`);
      }
    }
    expect(got).toEqual(want);
  });

  it('uses StackStorm 403 messages', async () => {
    const list = await squall.api('/api/v1/executions', { headers: keys.nobody });
    expect(await list.json()).toEqual({
      faultstring: 'User "nobody" doesn\'t have required permission "execution_list"',
    });
    const one = await squall.api(`/api/v1/executions/${noopId}`, { headers: keys.runner });
    expect(await one.json()).toEqual({
      faultstring: `User "runner" doesn't have required permission "execution_view" on resource "execution:${noopId}"`,
    });
    const run = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: keys.watcher,
      json: { action: 'core.local' },
    });
    expect(await run.json()).toEqual({
      faultstring:
        'User "watcher" doesn\'t have required permission "action_execute" on resource "action:core:local"',
    });
  });

  it('streams only to users with stream_view', async () => {
    const refused = await squall.api('/stream/v1/stream', { headers: keys.nobody });
    expect(refused.status).toBe(403);
    const allowed = await squall.api('/stream/v1/stream', { headers: keys.watcher });
    expect(allowed.status).toBe(200);
    // Read (and drop) until shutdown ends it.
    const reader = allowed.body?.getReader();
    void (async () => {
      while (reader && !(await reader.read()).done);
    })().catch(() => undefined);
  });
});

describe('inquiries', () => {
  it("needs inquiry_list / inquiry_view / inquiry_respond, then the inquiry's own users and roles", async () => {
    const ask = async (parameters: Record<string, unknown>): Promise<string> => {
      const res = await squall.api('/api/v1/executions', {
        method: 'POST',
        headers: keys.admin,
        json: { action: 'core.ask', parameters },
      });
      const id = ((await res.json()) as { id: string }).id;
      await squall.waitFor(id, ['pending']);
      return id;
    };
    const respond = async (user: User, id: string): Promise<{ status: number; body: unknown }> => {
      const res = await squall.api(`/api/v1/inquiries/${id}`, {
        method: 'PUT',
        headers: keys[user],
        json: { id, response: { continue: true } },
      });
      return { status: res.status, body: await res.json() };
    };
    const forRole = await ask({ roles: ['observer'] });
    // The observer reads every inquiry but may not answer one: inquiry_respond is not read-only.
    expect((await squall.api('/api/v1/inquiries', { headers: keys.watcher })).status).toBe(200);
    expect((await squall.api(`/api/v1/inquiries/${forRole}`, { headers: keys.watcher })).status).toBe(200);
    expect(await respond('watcher', forRole)).toEqual({
      status: 403,
      body: {
        faultstring: `User "watcher" doesn't have required permission "inquiry_respond" on resource "inquiry:${forRole}"`,
      },
    });
    expect((await squall.api('/api/v1/inquiries', { headers: keys.nobody })).status).toBe(403);
    // An admin passes RBAC, but the inquiry asks for the observer role, which admin2 does not hold.
    expect(await respond('admin2', forRole)).toEqual({
      status: 403,
      body: { faultstring: `User "admin2" does not have permission to respond to inquiry "${forRole}".` },
    });
    const forAdmin2 = await ask({ users: ['admin2'] });
    expect((await respond('admin', forAdmin2)).status).toBe(403);
    expect(await respond('admin2', forAdmin2)).toEqual({
      status: 200,
      body: { id: forAdmin2, response: { continue: true } },
    });
  });
});

describe('execution context', () => {
  it('records who ran an execution and their roles, as StackStorm does with RBAC on', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: keys.runner,
      json: { action: 'core.local', parameters: { cmd: 'true' } },
    });
    expect(res.status).toBe(201);
    const doc = (await res.json()) as { context: Record<string, unknown> };
    expect(doc.context['user']).toBe('runner');
    expect(doc.context['rbac']).toEqual({ user: 'runner', roles: ['local_runner'] });
  });
});

describe('admin-only inputs', () => {
  it('refuses large and unlimited pages to non-admins', async () => {
    const big = await squall.api('/api/v1/executions?limit=101', { headers: keys.watcher });
    expect(big.status).toBe(403);
    expect(await big.json()).toEqual({ faultstring: 'Limit "101" specified, maximum value is "100"' });
    const all = await squall.api('/api/v1/executions?limit=-1', { headers: keys.watcher });
    expect(await all.json()).toEqual({
      faultstring:
        'Administrator access required to be able to specify limit=-1 and retrieve all the records',
    });
    expect((await squall.api('/api/v1/executions?limit=-1', { headers: keys.admin2 })).status).toBe(200);
  });

  it('refuses "user" and an St2-Context naming someone else from non-admins', async () => {
    const asOther = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: keys.runner,
      json: { action: 'core.local', user: 'admin', parameters: { cmd: 'true' } },
    });
    expect(asOther.status).toBe(403);
    expect(await asOther.json()).toEqual({ faultstring: '"user" attribute can only be provided by admins' });
    for (const header of [
      { user: 'admin' },
      { parent: { execution_id: localId, user: 'admin' } },
      { user: null },
    ]) {
      const res = await squall.api('/api/v1/executions', {
        method: 'POST',
        headers: { ...keys.runner, 'St2-Context': JSON.stringify(header) },
        json: { action: 'core.local', parameters: { cmd: 'true' } },
      });
      expect(res.status).toBe(403);
    }
    for (const context of [{ api_user: 'admin' }, { parent: { execution_id: localId, user: 'admin' } }]) {
      const res = await squall.api('/api/v1/executions', {
        method: 'POST',
        headers: keys.runner,
        json: { action: 'core.local', parameters: { cmd: 'true' }, context },
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        faultstring: 'A context naming another user can only be provided by admins',
      });
    }
    const apiUser = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: { ...keys.runner, 'St2-Context': JSON.stringify({ api_user: 'admin' }) },
      json: { action: 'core.local', parameters: { cmd: 'true' } },
    });
    expect(apiUser.status).toBe(403);
    const reRun = await squall.api(`/api/v1/executions/${localId}/re_run`, {
      method: 'POST',
      headers: keys.runner,
      json: { user: 'admin' },
    });
    expect(reRun.status).toBe(403);
    const own = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: { ...keys.runner, 'St2-Context': JSON.stringify({ user: 'runner', note: 1 }) },
      json: { action: 'core.local', parameters: { cmd: 'true' } },
    });
    expect(own.status).toBe(201);
    expect(((await own.json()) as { context: { user: string } }).context.user).toBe('runner');
    const byAdmin = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: { ...keys.admin, 'St2-Context': JSON.stringify({ user: 'runner' }) },
      json: { action: 'core.local', parameters: { cmd: 'true' } },
    });
    expect(((await byAdmin.json()) as { context: { user: string } }).context.user).toBe('runner');
  });

  it('ignores show_secrets from non-admins and honours it for admins', async () => {
    const created = await squall.api('/api/v1/actions', {
      method: 'POST',
      headers: keys.admin,
      json: {
        name: 'secretive',
        pack: 'tests',
        runner_type: 'noop',
        parameters: { password: { type: 'string', secret: true } },
      },
    });
    expect(created.status).toBe(201);
    const run = await squall.api('/api/v1/executions', {
      method: 'POST',
      headers: keys.admin,
      json: { action: 'tests.secretive', parameters: { password: 'hunter2' } },
    });
    const { id } = (await run.json()) as { id: string };
    const masked = await squall.api(`/api/v1/executions/${id}?show_secrets=true`, { headers: keys.watcher });
    expect(((await masked.json()) as { parameters: { password: string } }).parameters.password).toBe(
      '********',
    );
    const shown = await squall.api(`/api/v1/executions/${id}?show_secrets=true`, { headers: keys.admin2 });
    expect(((await shown.json()) as { parameters: { password: string } }).parameters.password).toBe(
      'hunter2',
    );
  });
});

describe('permission isolation', () => {
  it('shows non-admins only their own executions', async () => {
    const isolated = await startWithUsers({ permissionIsolation: true });
    try {
      const run = async (user: User): Promise<string> => {
        const res = await isolated.squall.api('/api/v1/executions', {
          method: 'POST',
          headers: isolated.keys[user],
          json: { action: 'core.local', parameters: { cmd: 'true' } },
        });
        expect(res.status).toBe(201);
        return ((await res.json()) as { id: string }).id;
      };
      // A stream of their own: left open, the server's close ends it.
      const port = new URL(isolated.squall.url).port;
      const stream = await connectSse(
        `http://127.0.0.1:${port}/stream/v1/stream?events=st2.execution__create,st2.execution__update,st2.execution.output__create&st2-api-key=${encodeURIComponent(isolated.keys.watcher['St2-Api-Key'] ?? '')}`,
      );
      const mine = await run('runner');
      const theirs = await run('admin');
      const watcherRun = await isolated.squall.api('/api/v1/executions', {
        method: 'POST',
        headers: isolated.keys.admin,
        json: { action: 'core.local', user: 'watcher', parameters: { cmd: 'echo watched' } },
      });
      const watched = ((await watcherRun.json()) as { id: string }).id;
      await stream.until((frames) =>
        frames.some(
          (f) =>
            f.event === 'st2.execution__update' && f.data.includes(watched) && f.data.includes('"succeeded"'),
        ),
      );
      expect(
        stream.frames.some((f) => f.event === 'st2.execution.output__create' && f.data.includes(watched)),
      ).toBe(true);
      expect(stream.frames.filter((f) => f.data.includes(mine) || f.data.includes(theirs))).toEqual([]);
      const list = await isolated.squall.api('/api/v1/executions', { headers: isolated.keys.runner });
      expect(((await list.json()) as { id: string }[]).map((e) => e.id)).toEqual([mine]);
      const other = await isolated.squall.api(`/api/v1/executions/${theirs}`, {
        headers: isolated.keys.runner,
      });
      expect(other.status).toBe(403);
      expect(await other.json()).toEqual({
        faultstring: `User "runner" doesn't have access to resource "execution:${theirs}" due to resource permission isolation.`,
      });
      const adminList = await isolated.squall.api('/api/v1/executions', { headers: isolated.keys.admin2 });
      expect(((await adminList.json()) as unknown[]).length).toBe(3);
    } finally {
      await isolated.squall.close();
    }
  });
});
