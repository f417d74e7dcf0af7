/** `POST /api/v1/workflows/inspect`: StackStorm's inspection of a definition sent as YAML text. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSquall } from '../helpers/squall.ts';
import { EXAMPLE_PACKS, startWorkflowSquall } from './workflow-helpers.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startWorkflowSquall();
});
afterAll(async () => {
  await squall.close();
});

const workflow = (name: string): string =>
  readFileSync(join(EXAMPLE_PACKS, 'examples', 'actions', 'workflows', `${name}.yaml`), 'utf8');

async function inspect(body: string, contentType = 'text/plain'): Promise<{ status: number; json: unknown }> {
  const res = await squall.api('/api/v1/workflows/inspect', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  return { status: res.status, json: await res.json() };
}

describe('POST /api/v1/workflows/inspect', () => {
  it('answers [] for a workflow that can run', async () => {
    expect(await inspect(workflow('orquesta-sequential'))).toEqual({ status: 200, json: [] });
  });

  it('lists every error, content checks against the registered actions included', async () => {
    const { status, json } = await inspect(workflow('tests/orquesta-fail-inspection'));
    expect(status).toBe(200);
    expect((json as { type: string; spec_path: string }[]).map((e) => [e.type, e.spec_path])).toEqual([
      ['content', 'tasks.task3.action'],
      ['context', 'tasks.task1.input'],
      ['expression', 'tasks.task2.next[0].when'],
      ['syntax', 'tasks.task2.input'],
    ]);
  });

  it('reports YAML that does not parse as a syntax error, also under its aliases', async () => {
    const res = await squall.api('/v1/workflows/inspect', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'version: 1.0\ntasks: [unclosed',
    });
    const errors = (await res.json()) as { type: string }[];
    expect(res.status).toBe(200);
    expect(errors.map((e) => e.type)).toEqual(['syntax']);
  });

  it('accepts the definition as a JSON string', async () => {
    expect(await inspect(JSON.stringify(workflow('orquesta-join')), 'application/json')).toEqual({
      status: 200,
      json: [],
    });
  });
});
