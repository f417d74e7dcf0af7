/**
 * Squall on PostgreSQL end to end: `--database postgres://…` runs actions and serves the same API
 * as the embedded store. Skipped, saying so, when PostgreSQL is not reachable.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, TEST_DATABASE_URL, unreachableReason } from '../src/store/postgres/test-database.ts';
import { startTestSquall, type TestSquall } from './helpers/squall.ts';

const reason = await unreachableReason();
if (reason)
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${reason}): skipping Squall-on-PostgreSQL tests`,
  );

describe.skipIf(reason !== undefined)('squall serve --database postgres://…', () => {
  const database = `squall_e2e_${process.pid}_${Date.now()}`;
  let squall: TestSquall;
  const admin = () => new pg.Client({ connectionString: TEST_DATABASE_URL });

  beforeAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    squall = await startTestSquall({ databaseUrl: url.toString() });
  });

  afterAll(async () => {
    await squall?.close();
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  });

  it('runs core.local and lists it', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'core.local', parameters: { cmd: 'echo on postgres' } },
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const done = (await squall.waitFor(id)) as Record<string, any>;
    expect(done.status).toBe('succeeded');
    expect(done.result.stdout).toBe('on postgres');
    expect(await (await squall.api(`/api/v1/executions/${id}/output`)).text()).toBe('on postgres\n');
    const list = await squall.api('/api/v1/executions?action=core.local');
    expect(list.headers.get('x-total-count')).toBe('1');
    expect(((await list.json()) as { id: string }[])[0]?.id).toBe(id);
  });

  it('cancels a running action', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'core.local', parameters: { cmd: 'sleep 30' } },
    });
    const { id } = (await res.json()) as { id: string };
    await squall.waitFor(id, ['running']);
    await squall.api(`/api/v1/executions/${id}`, { method: 'DELETE' });
    expect(((await squall.waitFor(id)) as Record<string, any>).status).toBe('canceled');
  });
});
