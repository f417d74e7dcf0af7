/**
 * Workflows on PostgreSQL: the same examples run, pause and re-run with the workflow state kept in
 * PostgreSQL. Skipped, saying so, when PostgreSQL is not reachable.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, TEST_DATABASE_URL, unreachableReason } from '../../src/store/postgres/test-database.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { children, EXAMPLE_PACKS, field, runToEnd, taskNames, type Doc } from './workflow-helpers.ts';

const reason = await unreachableReason();
if (reason)
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${reason}): skipping workflow tests on PostgreSQL`,
  );

describe.skipIf(reason !== undefined)('workflows on PostgreSQL', () => {
  const database = `squall_wf_${process.pid}_${Date.now()}`;
  let squall: TestSquall;
  const admin = () => new pg.Client({ connectionString: TEST_DATABASE_URL });

  beforeAll(async () => {
    const client = admin();
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    await client.end();
    const url = new URL(TEST_DATABASE_URL);
    url.pathname = `/${database}`;
    squall = await startTestSquall({ databaseUrl: url.toString(), packsPaths: [EXAMPLE_PACKS] });
  });

  afterAll(async () => {
    await squall?.close();
    const client = admin();
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  });

  it('runs an Orquesta with-items workflow and an ActionChain', async () => {
    const members = ['Ada', 'Grace', 'Barbara'];
    const items = await runToEnd(squall, 'examples.orquesta-with-items', { members });
    expect(items['result']).toEqual({ output: { items: members.map((m) => `${m}, resistance is futile!`) } });
    expect((await children(squall, String(items['id']))).length).toBe(3);
    const chain = await runToEnd(squall, 'examples.chain-sequential', { name: 'Ada' });
    expect(field(chain, 'result.published')).toEqual({ greeting: 'Ada, All your base are belong to us!' });
  });

  it('pauses on an inquiry and carries on with the answer', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'examples.orquesta-ask-basic' },
    });
    const id = String(((await res.json()) as Doc)['id']);
    await squall.waitFor(id, ['paused']);
    const [inquiry] = (await (await squall.api('/api/v1/inquiries')).json()) as Doc[];
    expect(inquiry).toMatchObject({ ttl: 1440, schema: { properties: { approved: { type: 'boolean' } } } });
    const answered = await squall.api(`/api/v1/inquiries/${String(inquiry?.['id'])}`, {
      method: 'PUT',
      json: { id: inquiry?.['id'], response: { approved: true } },
    });
    expect(answered.status).toBe(200);
    expect((await squall.waitFor(id))['status']).toBe('succeeded');
    expect(taskNames(await children(squall, id))).toEqual(['start', 'get_approval', 'finish']);
  });

  it('re-runs from a task, continuing the saved workflow', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'squall-pg-rerun-')), 'exit-code');
    writeFileSync(path, '1');
    const original = await runToEnd(squall, 'examples.orquesta-test-rerun', { tempfile: path });
    expect(original['status']).toBe('failed');
    writeFileSync(path, '0');
    const res = await squall.api(`/api/v1/executions/${String(original['id'])}/re_run`, {
      method: 'POST',
      json: { tasks: ['task2'] },
    });
    const again = await squall.waitFor(String(((await res.json()) as Doc)['id']));
    expect(again['status']).toBe('succeeded');
    expect(field(again, 'context.workflow_execution')).toBe(field(original, 'context.workflow_execution'));
    expect(taskNames(await children(squall, String(again['id'])))).toEqual(['task2', 'task3']);
    rmSync(dirname(path), { recursive: true, force: true });
  });
});
