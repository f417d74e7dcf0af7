import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let squall: TestSquall;
let scratch: string;
beforeAll(async () => {
  squall = await startTestSquall();
  scratch = mkdtempSync(join(tmpdir(), 'squall-control-'));
});
afterAll(async () => {
  await squall.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function post(body: unknown): Promise<Record<string, any>> {
  const res = await squall.api('/api/v1/executions', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, any>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('DELETE /api/v1/executions/{id} (cancel)', () => {
  it('cancels a running action and kills its whole process group', async () => {
    const pidFile = join(scratch, 'grandchild.pid');
    const exec = await post({
      action: 'core.local',
      parameters: { cmd: `sleep 60 & echo $! > ${pidFile}; wait` },
    });
    await squall.waitFor(exec.id, ['running']);
    await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const grandchild = Number(readFileSync(pidFile, 'utf8').trim());
    expect(alive(grandchild)).toBe(true);

    const res = await squall.api(`/api/v1/executions/${exec.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const canceling = (await res.json()) as Record<string, any>;
    expect(['canceling', 'canceled']).toContain(canceling.status);
    expect(canceling.result).toEqual({ message: 'Action canceled by user.', user: 'stanley' });
    expect(canceling.context.cancelled_by).toBe('stanley');

    const done = (await squall.waitFor(exec.id)) as Record<string, any>;
    expect(done.status).toBe('canceled');
    expect(done.result).toEqual({ message: 'Action canceled by user.', user: 'stanley' });
    expect(done.end_timestamp).toBeDefined();
    await waitUntil(() => !alive(grandchild));
    expect(done.log.map((e: { status: string }) => e.status)).toEqual([
      'requested',
      'scheduled',
      'running',
      'canceling',
      'canceled',
    ]);
  });

  it('cancels a delayed execution at once, and it never runs', async () => {
    const exec = await post({ action: 'core.noop', delay: 500 });
    await squall.waitFor(exec.id, ['delayed']);
    const res = await squall.api(`/api/v1/executions/${exec.id}`, { method: 'DELETE' });
    const doc = (await res.json()) as Record<string, any>;
    expect(doc.status).toBe('canceled');
    expect(doc.end_timestamp).toBeDefined();
    await new Promise((r) => setTimeout(r, 800));
    const later = (await (await squall.api(`/api/v1/executions/${exec.id}`)).json()) as Record<string, any>;
    expect(later.status).toBe('canceled');
    expect(later.log.map((e: { status: string }) => e.status)).toEqual(['requested', 'delayed', 'canceled']);
  });

  it('is idempotent and refuses finished executions with 200 and a faultstring', async () => {
    const exec = await post({ action: 'core.noop' });
    await squall.waitFor(exec.id);
    const refused = await squall.api(`/api/v1/executions/${exec.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(200);
    expect(await refused.json()).toEqual({ faultstring: 'Action cannot be canceled. State = succeeded.' });

    const delayed = await post({ action: 'core.noop', delay: 10_000 });
    const first = (await (
      await squall.api(`/api/v1/executions/${delayed.id}`, { method: 'DELETE' })
    ).json()) as Record<string, any>;
    const second = await squall.api(`/api/v1/executions/${delayed.id}`, { method: 'DELETE' });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual(first);
    expect(
      (await squall.api('/api/v1/executions/000000000000000000000000', { method: 'DELETE' })).status,
    ).toBe(404);
  });
});

describe('an action process killed from outside', () => {
  it('ends abandoned, not running or failed', async () => {
    const pidFile = join(scratch, 'killed.pid');
    const exec = await post({ action: 'core.local', parameters: { cmd: `echo $$ > ${pidFile}; sleep 60` } });
    await squall.waitFor(exec.id, ['running']);
    await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGKILL');
    const done = (await squall.waitFor(exec.id)) as Record<string, any>;
    expect(done.status).toBe('abandoned');
    expect(done.result.error).toBe("The action's process was killed by SIGKILL, which Squall did not send.");
  });
});

describe('PUT /api/v1/executions/{id}', () => {
  it('completes a running execution from outside and stops its process', async () => {
    const pidFile = join(scratch, 'external.pid');
    const exec = await post({ action: 'core.local', parameters: { cmd: `echo $$ > ${pidFile}; sleep 60` } });
    await squall.waitFor(exec.id, ['running']);
    await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    const res = await squall.api(`/api/v1/executions/${exec.id}`, {
      method: 'PUT',
      json: { status: 'succeeded', result: { done: 'outside' } },
    });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, any>;
    expect(doc.status).toBe('succeeded');
    expect(doc.result).toEqual({ done: 'outside' });
    expect(doc.result_size).toBe(JSON.stringify({ done: 'outside' }).length);
    await waitUntil(() => !alive(pid));
    await new Promise((r) => setTimeout(r, 200));
    const later = (await (await squall.api(`/api/v1/executions/${exec.id}`)).json()) as Record<string, any>;
    expect(later.status).toBe('succeeded');
    expect(later.result).toEqual({ done: 'outside' });
  });

  it('answers StackStorm errors', async () => {
    const done = await post({ action: 'core.noop' });
    await squall.waitFor(done.id);
    const put = (id: string, json: unknown) =>
      squall.api(`/api/v1/executions/${id}`, { method: 'PUT', json });
    expect(await (await put(done.id, { status: 'failed' })).json()).toEqual({
      faultstring: 'Execution is already in completed state.',
    });
    expect(await (await put(done.id, {})).json()).toEqual({ faultstring: "'status' is a required property" });
    expect((await put(done.id, { status: 'married' })).status).toBe(400);
    expect(await (await put(done.id, { status: 'running', foo: 1 })).json()).toEqual({
      faultstring: "Additional properties are not allowed ('foo' was unexpected)",
    });
    const delayed = await post({ action: 'core.noop', delay: 10_000 });
    const pause = await put(delayed.id, { status: 'pausing' });
    expect(pause.status).toBe(400);
    expect(await pause.json()).toEqual({
      faultstring: `Failed updating execution. Unable to pause liveaction "${delayed.liveaction.id}" because it is not supported by the "noop" runner.`,
    });
    expect(await (await put(delayed.id, { status: 'resuming' })).json()).toEqual({
      faultstring: `Failed updating execution. Unable to resume liveaction "${delayed.liveaction.id}" because it is not supported by the "noop" runner.`,
    });
    expect((await put('000000000000000000000000', { status: 'failed' })).status).toBe(404);
    const canceled = (await (await put(delayed.id, { status: 'canceled' })).json()) as Record<string, any>;
    expect(canceled.status).toBe('canceled');
  });
});

describe('POST /api/v1/executions/{id}/re_run', () => {
  it('re-runs with the original parameters merged with overrides', async () => {
    const original = await post({ action: 'core.local', parameters: { cmd: 'echo first' } });
    await squall.waitFor(original.id);
    const res = await squall.api(`/api/v1/executions/${original.id}/re_run`, { method: 'POST', json: {} });
    expect(res.status).toBe(201);
    const again = (await res.json()) as Record<string, any>;
    expect(again.id).not.toBe(original.id);
    expect(again.parameters).toEqual({ cmd: 'echo first' });
    expect(again.context).toEqual({ 're-run': { ref: original.id }, user: 'stanley', pack: 'core' });
    expect(((await squall.waitFor(again.id)) as Record<string, any>).result.stdout).toBe('first');

    const overridden = (await (
      await squall.api(`/api/v1/executions/${original.id}/re_run`, {
        method: 'POST',
        json: { parameters: { cmd: 'echo second' }, delay: 100, user: 'carol' },
      })
    ).json()) as Record<string, any>;
    expect(overridden.parameters).toEqual({ cmd: 'echo second' });
    expect(overridden.delay).toBe(100);
    expect(overridden.context.user).toBe('carol');
    expect(((await squall.waitFor(overridden.id)) as Record<string, any>).result.stdout).toBe('second');
  });

  it('answers StackStorm errors', async () => {
    const original = await post({ action: 'core.noop' });
    const rerun = (json: unknown, id = original.id) =>
      squall.api(`/api/v1/executions/${id}/re_run`, { method: 'POST', json });
    expect(await (await rerun({ tasks: ['a'] })).json()).toEqual({
      faultstring: 'Task option is only supported for Orquesta workflows.',
    });
    expect(await (await rerun({ tasks: ['a'], parameters: { x: 1 } })).json()).toEqual({
      faultstring: 'Parameters override is not supported when re-running task(s) for a workflow.',
    });
    expect(await (await rerun({ tasks: ['a'], reset: ['b'] })).json()).toEqual({
      faultstring: 'List of tasks to reset does not match the tasks to rerun.',
    });
    expect((await rerun({ delay: 'soon' })).status).toBe(400);
    expect((await rerun({}, '000000000000000000000000')).status).toBe(404);
    expect((await rerun({}, 'last')).status).toBe(404);
    const local = await post({ action: 'core.local', parameters: { cmd: 'true' } });
    expect(await (await rerun({ parameters: { nope: 1 } }, local.id)).json()).toEqual({
      faultstring: "Additional properties are not allowed ('nope' was unexpected)",
    });
    expect(await (await rerun({ parameters: { cmd: 5 } }, local.id)).json()).toEqual({
      faultstring: 'Value "5" must either be a string or None. Got "int".',
    });
  });
});
