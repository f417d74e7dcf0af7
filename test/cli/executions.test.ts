/**
 * `squall execution …` as a child process against a real Squall: list filters and paging, get
 * with -k/-d/JSON, live tail (also of a workflow's children), cancel, pause refused, re-run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { cliEnv, finished, runCliProcess, startCli, waitForOutput } from './cli-process.ts';

const PACKS = join(import.meta.dirname, 'fixtures', 'packs');
let squall: TestSquall;
let env: Record<string, string>;
const squallCli = (args: string[], extra: Record<string, string> = {}) =>
  runCliProcess(args, { ...env, ...extra });

async function execute(
  parameters: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const res = await squall.api('/api/v1/executions', {
    method: 'POST',
    json: { action: 'core.local', parameters, ...extra },
  });
  const doc = (await res.json()) as { id: string };
  return doc.id;
}

/** A command that prints `first`, then waits until the test creates the returned file. */
function gated(first: string, then: string): { cmd: string; open: () => void } {
  const gate = join(mkdtempSync(join(tmpdir(), 'squall-cli-gate-')), 'go');
  return {
    cmd: `echo ${first}; while [ ! -f ${gate} ]; do sleep 0.05; done; echo ${then}`,
    open: () => writeFileSync(gate, ''),
  };
}

let ok: string;
let bad: string;
beforeAll(async () => {
  squall = await startTestSquall({ packsPaths: [PACKS] });
  env = cliEnv({ SQUALL_URL: squall.url, COLUMNS: '200' });
  ok = await execute({ cmd: 'echo listed' });
  await squall.waitFor(ok);
  bad = await execute({ cmd: 'echo no; exit 2' });
  await squall.waitFor(bad);
});
afterAll(async () => {
  await squall.close();
});

describe('squall execution list', () => {
  it('prints a table, newest first, filtered by status and action', async () => {
    const all = await squallCli(['execution', 'list']);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+ACTION\s+STATUS\s+USER\s+STARTED\s+ELAPSED$/);
    expect(lines[1]).toMatch(
      new RegExp(`^${bad}\\s+core\\.local\\s+failed\\s+stanley\\s+(just now|\\d+s ago)`),
    );
    expect(lines[2]).toContain(ok);
    const failed = await squallCli(['execution', 'list', '--status', 'failed', '-j']);
    expect((JSON.parse(failed.stdout) as { id: string }[]).map((e) => e.id)).toEqual([bad]);
    const byAction = await squallCli(['execution', 'list', '--action', 'clitest.types', '-j']);
    expect(JSON.parse(byAction.stdout)).toEqual([]);
  });

  it('pages with -n and --offset, and says what is left on stderr', async () => {
    const first = await squallCli(['execution', 'list', '-n', '1']);
    expect(first.stdout).toContain(bad);
    expect(first.stdout).not.toContain(ok);
    expect(first.stderr).toMatch(/1–1 of \d+; next page: --offset 1/);
    const second = await squallCli(['execution', 'list', '-n', '1', '--offset', '1', '-j']);
    expect(JSON.parse(second.stdout)[0].id).toBe(ok);
    const everything = await squallCli(['execution', 'list', '-n', '-1', '-j']);
    expect(JSON.parse(everything.stdout).length).toBeGreaterThanOrEqual(2);
    const oldest = await squallCli(['execution', 'list', '--sort', 'asc', '-j']);
    expect(JSON.parse(oldest.stdout)[0].id).toBe(ok);
  });
});

describe('squall execution get', () => {
  it('shows the fields, -k one result key, -j the document, and fails on an unknown id', async () => {
    const human = await squallCli(['execution', 'get', ok]);
    expect(human.stdout).toMatch(new RegExp(`^id: +${ok}\\naction: +core\\.local\\nstatus: +succeeded`));
    expect(human.stdout).toContain('parameters:\n  cmd: echo listed\n');
    expect(human.stdout).toContain('result:\n');
    const key = await squallCli(['execution', 'get', ok, '-k', 'stdout']);
    expect(key.stdout).toBe('listed\n');
    const code = await squallCli(['execution', 'get', bad, '-k', 'result.return_code', '-j']);
    expect(JSON.parse(code.stdout)).toBe(2);
    const json = await squallCli(['execution', 'get', ok, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: ok, status: 'succeeded' });
    const details = await squallCli(['execution', 'get', ok, '-d']);
    expect(details.stdout).toMatch(/runner: +local-shell-cmd/);
    expect(details.stdout).toMatch(/log:\n .*requested\n/);
    const missing = await squallCli(['execution', 'get', '000000000000000000000000']);
    expect(missing.code).toBe(7);
    expect(missing.stderr).toBe('squall: Unable to identify resource with id "000000000000000000000000".\n');
  });
});

describe('squall execution get --show-secrets', () => {
  it('masks secret parameters unless asked', async () => {
    const run = await squallCli(['run', 'clitest.types', 'token=hunter2', '-j']);
    const id = JSON.parse(run.stdout).id as string;
    const masked = await squallCli(['execution', 'get', id]);
    expect(masked.stdout).toContain('token: "********"');
    expect(masked.stdout).not.toContain('hunter2');
    const shown = await squallCli(['execution', 'get', id, '--show-secrets', '-j']);
    expect(JSON.parse(shown.stdout).parameters.token).toBe('hunter2');
  });
});

describe('squall execution tail', () => {
  it('follows output live and exits by the final status', async () => {
    const gate = gated('early', 'late');
    const id = await execute({ cmd: gate.cmd });
    const child = startCli(['execution', 'tail', id], env);
    const done = finished(child);
    await waitForOutput(child, 'early\n');
    gate.open();
    const result = await done;
    expect(result.stdout).toBe('early\nlate\n');
    expect(result.stderr).toContain('✔ succeeded');
    expect(result.code).toBe(0);
  });

  it("replays a finished execution's output (tail last, and --type)", async () => {
    const id = await execute({ cmd: 'echo out; echo err >&2; exit 1' });
    await squall.waitFor(id);
    const last = await squallCli(['execution', 'tail']);
    expect(last.stdout).toBe('out\n');
    expect(last.stderr).toContain('err\n');
    expect(last.code).toBe(1);
    const stderrOnly = await squallCli(['execution', 'tail', id, '--type', 'stderr']);
    expect(stderrOnly.stdout).toBe('');
    expect(stderrOnly.stderr).toMatch(/^err\n/);
  });

  it("follows a workflow's children through the event stream", async () => {
    // A workflow parent that stays delayed while the test adds children to it.
    const parentRes = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'clitest.flow', parameters: {}, delay: 600_000 },
    });
    const parent = ((await parentRes.json()) as { id: string }).id;
    const child = startCli(['execution', 'tail', parent], env);
    const done = finished(child);
    // The tail is listening once it reports a child: add quiet children until it does.
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    const context = { parent: { execution_id: parent }, chain: { name: 'first' } };
    for (let i = 0; i < 100 && !stderr.includes('── first'); i++) {
      await squall.waitFor(await execute({ cmd: 'true' }, { context }));
      await new Promise((r) => setTimeout(r, 100));
    }
    const gate = gated('child-one', 'child-two');
    const seen = waitForOutput(child, 'child-one\n');
    const childId = await execute({ cmd: gate.cmd }, { context });
    await seen;
    gate.open();
    await waitForOutput(child, 'child-two\n');
    await squall.waitFor(childId);
    await squall.api(`/api/v1/executions/${parent}`, { method: 'DELETE' });
    const result = await done;
    expect(result.stdout).toBe('child-one\nchild-two\n');
    expect(result.stderr).toContain('── first');
    expect(result.code).toBe(4);
  });
});

describe('squall execution cancel, pause, re-run', () => {
  it('cancels a running execution; canceling a finished one is an error line', async () => {
    const gate = gated('started', 'never');
    const id = await execute({ cmd: gate.cmd });
    await squall.waitFor(id, ['running']);
    const cancel = await squallCli(['execution', 'cancel', id]);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toMatch(new RegExp(`^${id} (canceling|canceled)\\n$`));
    expect((await squall.waitFor(id))['status']).toBe('canceled');
    const again = await squallCli(['execution', 'cancel', ok]);
    expect(again.code).toBe(7);
    expect(again.stderr).toBe('squall: Action cannot be canceled. State = succeeded.\n');
  });

  it("pause of a shell command shows StackStorm's refusal", async () => {
    const gate = gated('started', 'done');
    const id = await execute({ cmd: gate.cmd });
    await squall.waitFor(id, ['running']);
    const pause = await squallCli(['execution', 'pause', id]);
    gate.open();
    expect(pause.code).toBe(7);
    expect(pause.stderr).toContain('because it is not supported by the "local-shell-cmd" runner');
    await squall.waitFor(id);
    const resume = await squallCli(['execution', 'resume', id]);
    expect(resume.code).toBe(7);
    expect(resume.stderr).toBe('squall: Execution is already in completed state.\n');
  });

  it('re-runs with the original parameters merged with typed overrides', async () => {
    const same = await squallCli(['execution', 're-run', ok, '-j']);
    const first = JSON.parse(same.stdout);
    expect(first).toMatchObject({ status: 'succeeded', result: { stdout: 'listed' } });
    expect(first.context['re-run']).toEqual({ ref: ok });
    const changed = await squallCli(['execution', 're-run', ok, 'cmd=echo changed']);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toMatch(/^changed\n/);
    const wrong = await squallCli(['execution', 're-run', ok, 'timeout=soon']);
    expect(wrong.code).toBe(2);
    const tasks = await squallCli(['execution', 're-run', ok, '--tasks', 'a', '--no-reset', 'b']);
    expect(tasks.code).toBe(2);
    expect(tasks.stderr).toContain('--no-reset names tasks not in --tasks: b');
  });
});
