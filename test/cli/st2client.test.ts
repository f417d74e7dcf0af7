/**
 * StackStorm's own `st2` CLI, unchanged, against a real Squall on one port (three URLs set as in
 * st2-cli-requests.md §1), with authentication on as Squall runs by default: every command here
 * authenticates with the first-start admin's key in ST2_API_KEY. Logging in, API keys and the
 * datastore are in st2client-auth.test.ts. How to set up st2client: test/cli/st2client.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { writeScratchPack } from '../workflows/scratch-pack.ts';
import { finished, waitForOutput, type CliResult } from './cli-process.ts';
import { runSt2, st2clientUnavailable, st2Env, st2Process as spawnSt2 } from './st2client.ts';

const reason = st2clientUnavailable();

let squall: TestSquall;
let env: Record<string, string>;

const st2Process = (args: readonly string[]) => spawnSt2(args, env);
const st2 = (args: readonly string[]): Promise<CliResult> => runSt2(args, env);

const ID = /[0-9a-f]{24}/;

async function getExecution(id: string): Promise<unknown> {
  const res = await squall.api(`/api/v1/executions/${id}`, {
    headers: { 'st2-api-key': squall.adminApiKey ?? '' },
  });
  return res.json();
}

async function start(action: string, parameters: Record<string, unknown>): Promise<string> {
  const res = await squall.api('/api/v1/executions', {
    method: 'POST',
    headers: { 'st2-api-key': squall.adminApiKey ?? '' },
    json: { action, parameters },
  });
  return ((await res.json()) as { id: string }).id;
}

const execute = (cmd: string): Promise<string> => start('core.local', { cmd });

/**
 * `st2 execution tail` of a running execution that prints `tick` until `gate` exists: st2 shows
 * only output produced after it connects, so the gate opens once st2 has shown a tick.
 */
async function tailThroughGate(id: string, gate: string): Promise<CliResult> {
  await squall.waitFor(id, ['running']);
  const child = st2Process(['execution', 'tail', id]);
  const done = finished(child);
  await waitForOutput(child, 'tick\n');
  writeFileSync(gate, '');
  return done;
}

/** A workflow of two shell tasks; the first ticks until its gate file exists. */
const TAIL_PACK = writeScratchPack('tailing', {
  two_tasks: {
    meta: `---
name: two_tasks
runner_type: orquesta
entry_point: workflows/two_tasks.yaml
parameters:
  gate:
    type: string
    required: true
`,
    entryPoint: [
      'workflows/two_tasks.yaml',
      `version: 1.0
input:
  - gate
tasks:
  first:
    action: core.local
    input:
      cmd: while [ ! -f <% ctx(gate) %> ]; do echo tick; sleep 0.1; done; echo two
    next:
      - when: <% succeeded() %>
        do: second
  second:
    action: core.local
    input:
      cmd: echo three
`,
    ],
  },
});

function gated(first: string, then: string): { cmd: string; open: () => void } {
  const gate = join(mkdtempSync(join(tmpdir(), 'squall-st2-gate-')), 'go');
  return {
    cmd: `echo ${first}; while [ ! -f ${gate} ]; do sleep 0.05; done; echo ${then}`,
    open: () => writeFileSync(gate, ''),
  };
}

describe.skipIf(reason !== undefined)(
  `StackStorm's st2 CLI against Squall${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    let ran = '';
    beforeAll(async () => {
      squall = await startTestSquall({ auth: true, packsPaths: [TAIL_PACK] });
      env = st2Env(squall.url, { ST2_API_KEY: squall.adminApiKey ?? '' });
    });
    afterAll(async () => {
      await squall?.close();
    });

    it('st2 run core.local (sync) prints the result; a failing command exits 1', async () => {
      const ok = await st2(['run', 'core.local', 'cmd=echo hi from st2']);
      expect(ok.stderr).not.toContain('ERROR');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^id: [0-9a-f]{24}$/m);
      expect(ok.stdout).toContain('action.ref: core.local');
      expect(ok.stdout).toContain('status: succeeded');
      expect(ok.stdout).toMatch(/result: \n(?:.*\n)*? {2}stdout: hi from st2/);
      ran = ok.stdout.match(ID)?.[0] ?? '';
      const bad = await st2(['run', 'core.local', 'cmd=exit 3']);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain('status: failed');
      expect(bad.stdout).toContain('return_code: 3');
    });

    it('st2 run --tail streams the output; typed runner parameters and words after -- are sent right', async () => {
      // st2 shows only output produced after its stream connects (§3.11): tick until it shows one.
      const gateDir = mkdtempSync(join(tmpdir(), 'squall-st2-gate-'));
      const cmd = `while [ ! -f ${gateDir}/go ]; do echo tick; sleep 0.1; done; echo $A; echo second`;
      const child = st2Process(['run', '--tail', 'core.local', `cmd=${cmd}`, 'env=A=first', 'timeout=30']);
      const done = finished(child);
      await waitForOutput(child, 'tick\n');
      writeFileSync(join(gateDir, 'go'), '');
      const tail = await done;
      expect(tail.code).toBe(0);
      expect(tail.stdout).toMatch(/Tailing execution "[0-9a-f]{24}"\n(tick\n)+first\nsecond\n/);
      expect(tail.stdout).toMatch(/has completed \(status=succeeded\)/);
      const id = tail.stdout.match(ID)?.[0] ?? '';
      const doc = (await getExecution(id)) as any;
      expect(doc.parameters).toEqual({ cmd, env: { A: 'first' }, timeout: 30 });
      const words = await st2(['run', '-a', 'core.local', '--', 'echo', 'hi', 'there']);
      const wordsId = words.stdout.match(ID)?.[0] ?? '';
      expect((await squall.waitFor(wordsId))['result']).toMatchObject({ stdout: 'hi there' });
    });

    it('st2 run -a returns the id with the follow-up commands', async () => {
      const result = await st2(['run', 'core.local', 'cmd=echo async', '-a']);
      expect(result.code).toBe(0);
      const id = result.stdout.match(/st2 execution get ([0-9a-f]{24})/)?.[1] ?? '';
      expect(result.stdout).toContain(`st2 execution tail ${id}`);
      expect((await squall.waitFor(id))['status']).toBe('succeeded');
    });

    it('st2 execution list with -n, --status and --action', async () => {
      const failedId = await execute('exit 1');
      await squall.waitFor(failedId);
      const all = await st2(['execution', 'list', '-n', '50']);
      expect(all.code).toBe(0);
      expect(all.stdout).toContain(ran);
      expect(all.stdout).toContain(failedId);
      const one = await st2(['execution', 'list', '-n', '1']);
      expect(one.stdout).toContain(failedId);
      expect(one.stdout).not.toContain(ran);
      const failed = await st2(['execution', 'list', '--status', 'failed']);
      expect(failed.stdout).toContain(failedId);
      expect(failed.stdout).not.toContain(ran);
      const byAction = await st2(['execution', 'list', '--action', 'core.noop']);
      expect(byAction.stdout).not.toContain(ran);
      const local = await st2(['execution', 'list', '--action', 'core.local']);
      expect(local.stdout).toContain(ran);
    });

    it('st2 execution get, also -j and -k', async () => {
      const get = await st2(['execution', 'get', ran]);
      expect(get.code).toBe(0);
      expect(get.stdout).toMatch(/status: succeeded \(\d+s elapsed\)/);
      const json = await st2(['execution', 'get', ran, '-j']);
      expect(JSON.parse(json.stdout)).toMatchObject({
        id: ran,
        status: 'succeeded',
        result: { stdout: 'hi from st2' },
      });
      const key = await st2(['execution', 'get', ran, '-k', 'stdout']);
      expect(key.stdout.trim()).toBe('hi from st2');
      const missing = await st2(['execution', 'get', '000000000000000000000000']);
      expect(missing.code).toBe(1);
      expect(missing.stdout + missing.stderr).toContain(
        'Action Execution "000000000000000000000000" is not found.',
      );
    });

    it('st2 execution re-run runs the same command again', async () => {
      const result = await st2(['execution', 're-run', ran]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('status: succeeded');
      expect(result.stdout).toContain('stdout: hi from st2');
      const newId = result.stdout.match(/^id: ([0-9a-f]{24})$/m)?.[1] ?? '';
      expect(newId).not.toBe(ran);
      const doc = (await getExecution(newId)) as any;
      expect(doc.context['re-run']).toEqual({ ref: ran });
    });

    it('st2 execution cancel stops a running command; a finished one gets the faultstring', async () => {
      const gate = gated('started', 'never');
      const id = await execute(gate.cmd);
      await squall.waitFor(id, ['running']);
      const cancel = await st2(['execution', 'cancel', id]);
      expect(cancel.code).toBe(0);
      expect(cancel.stdout).toContain(`action execution with id ${id} canceled.`);
      expect((await squall.waitFor(id))['status']).toBe('canceled');
      const again = await st2(['execution', 'cancel', ran]);
      expect(again.stdout).toContain('Action cannot be canceled. State = succeeded.');
    });

    it("st2 execution pause / resume on a shell command show StackStorm's errors", async () => {
      const gate = gated('started', 'done');
      const id = await execute(gate.cmd);
      await squall.waitFor(id, ['running']);
      const pause = await st2(['execution', 'pause', id]);
      gate.open();
      expect(pause.code).toBe(1);
      expect(pause.stdout + pause.stderr).toContain(
        'because it is not supported by the "local-shell-cmd" runner',
      );
      await squall.waitFor(id);
      const resume = await st2(['execution', 'resume', id]);
      expect(resume.code).toBe(1);
      expect(resume.stdout + resume.stderr).toContain('Execution is already in completed state.');
    });

    it('st2 execution tail follows a running execution live, and replays a finished one', async () => {
      const gate = join(mkdtempSync(join(tmpdir(), 'squall-st2-gate-')), 'go');
      const id = await execute(`while [ ! -f ${gate} ]; do echo tick; sleep 0.1; done; echo late`);
      const live = await tailThroughGate(id, gate);
      expect(live.code).toBe(0);
      expect(live.stdout).toMatch(/tick\nlate\n/);
      expect(live.stdout).toContain(`Execution ${id} has completed (status=succeeded).`);
      const replay = await st2(['execution', 'tail', id]);
      expect(replay.stdout).toMatch(/^(tick\n)+late\n/);
      expect(replay.stdout).toContain(`Execution ${id} has completed (status=succeeded).`);
    });

    it('st2 execution tail follows a workflow: each task starts, prints and finishes, then the workflow ends', async () => {
      const gate = join(mkdtempSync(join(tmpdir(), 'squall-st2-gate-')), 'go');
      const id = await start('tailing.two_tasks', { gate });
      const tail = await tailThroughGate(id, gate);
      expect(tail.code).toBe(0);
      const first = /Child execution \(task=first\) ([0-9a-f]{24}) has finished \(status=succeeded\)\./;
      const second = /Child execution \(task=second\) ([0-9a-f]{24}) has started\./;
      expect(tail.stdout).toMatch(/(tick\n)+two\n/);
      expect(tail.stdout).toMatch(first);
      expect(tail.stdout).toMatch(second);
      expect(tail.stdout).toMatch(
        /has started\.\n\nthree\n\nChild execution \(task=second\) [0-9a-f]{24} has finished \(status=succeeded\)\./,
      );
      expect(tail.stdout.trimEnd().endsWith(`Execution ${id} has completed (status=succeeded).`)).toBe(true);
      // In order: the first task's output and end, then the second task's start.
      const at = (re: RegExp): number => tail.stdout.search(re);
      expect(at(/two\n/)).toBeLessThan(at(first));
      expect(at(first)).toBeLessThan(at(second));
    });

    it('st2 inquiry list / get / respond answer a core.ask', async () => {
      const id = await start('core.ask', { route: 'ops' });
      await squall.waitFor(id, ['pending']);
      const list = await st2(['inquiry', 'list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`\\| ${id} +\\| +\\| +\\| ops +\\| 1440 +\\|`));
      const get = await st2(['inquiry', 'get', id, '-j']);
      expect(get.code).toBe(0);
      expect(JSON.parse(get.stdout)).toMatchObject({ id, route: 'ops', schema: { title: 'response_data' } });
      const wrong = await st2(['inquiry', 'respond', id, '-r', '{"continue": "maybe"}']);
      expect(wrong.code).toBe(1);
      expect(wrong.stdout + wrong.stderr).toContain("'maybe' is not of type 'boolean'");
      const answered = await st2(['inquiry', 'respond', id, '-r', '{"continue": true}']);
      expect(answered.stderr).toBe('');
      expect(answered.stdout).toContain(`Response accepted for inquiry ${id}.`);
      const done = await squall.waitFor(id, ['succeeded']);
      expect((done['result'] as Record<string, unknown>)['response']).toEqual({ continue: true });
    });

    it('st2 action list / get and st2 runner list', async () => {
      const list = await st2(['action', 'list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/\| core\.local +\| core +\|/);
      const get = await st2(['action', 'get', 'core.local']);
      expect(get.code).toBe(0);
      expect(get.stdout).toMatch(/\| runner_type +\| local-shell-cmd/);
      const missing = await st2(['action', 'get', 'core.nope']);
      expect(missing.code).toBe(1);
      expect(missing.stdout + missing.stderr).toContain('Action "core.nope" is not found.');
      const runners = await st2(['runner', 'list']);
      expect(runners.code).toBe(0);
      expect(runners.stdout).toMatch(/\| local-shell-cmd +\|/);
    });
  },
);
