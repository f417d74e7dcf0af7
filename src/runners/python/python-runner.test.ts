/** The python-script runner against real Python processes and a pack written for the test. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../domain/types.ts';
import { testAction, testContext, writeTimes } from '../testing/run-context.ts';
import { createPythonRunner } from './python-runner.ts';

let root: string;
let packPath: string;
let configsDir: string;

/** Writes `actions/<name>.py` into the test pack. */
function action(name: string, body: string): string {
  writeFileSync(
    join(packPath, 'actions', `${name}.py`),
    `from st2common.runners.base_action import Action\n\n\nclass TheAction(Action):\n${body
      .trim()
      .split('\n')
      .map((l) => `    ${l}`)
      .join('\n')}\n`,
  );
  return `${name}.py`;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'squall-python-pack-'));
  packPath = join(root, 'packs', 'mypack');
  configsDir = join(root, 'configs');
  mkdirSync(join(packPath, 'actions', 'lib'), { recursive: true });
  mkdirSync(configsDir);
  writeFileSync(
    join(packPath, 'actions', 'lib', 'helpers.py'),
    'def shout(s):\n    return s.upper() + "!"\n',
  );
  writeFileSync(join(configsDir, 'mypack.yaml'), 'region: eu-west-1\nretries: 3\n');
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

const runner = () => createPythonRunner({ baseEnv: process.env, configsDir });

function run(
  entryPoint: string,
  parameters: JsonObject = {},
  runnerParameters: JsonObject = {},
  ctx = testContext(),
) {
  const context = {
    ...ctx,
    action: testAction({ pack: 'mypack', entry_point: entryPoint, runner_type: 'python-script' }),
    packPath,
  };
  return runner().run({ timeout: 60, log_level: 'DEBUG', ...runnerParameters }, parameters, context);
}

describe('python-script', () => {
  it('runs run(**parameters) and returns its value with stdout, stderr and the exit code', async () => {
    const entry = action(
      'greet',
      `def run(self, name, punctuation="."):\n    print("greeting", name)\n    return {"greeting": "Hello, " + name + punctuation}`,
    );
    expect(await run(entry, { name: 'Ada' })).toEqual({
      status: 'succeeded',
      result: { stdout: 'greeting Ada\n', stderr: '', exit_code: 0, result: { greeting: 'Hello, Ada.' } },
    });
  });

  it('takes the status from a (bool, value) pair, and "None" when nothing is returned', async () => {
    const failing = action('refuse', 'def run(self):\n    return (False, "no way")');
    expect(await run(failing)).toMatchObject({
      status: 'failed',
      result: { exit_code: 0, result: 'no way' },
    });
    const fine = action('agree', 'def run(self):\n    return (True, [1, 2])');
    expect(await run(fine)).toMatchObject({ status: 'succeeded', result: { result: [1, 2] } });
    const silent = action('silent', 'def run(self):\n    pass');
    expect(await run(silent)).toMatchObject({ status: 'succeeded', result: { result: 'None' } });
  });

  it('fails on a non-boolean status with exit code 220, and on an exception with its traceback', async () => {
    const odd = action('odd', 'def run(self):\n    return ("yes", 1)');
    const oddRun = await run(odd);
    expect(oddRun.status).toBe('failed');
    expect(oddRun.result).toMatchObject({ exit_code: 220, result: 'None' });
    expect(oddRun.result['stderr']).toContain('must either be True or False, got: yes');
    const raising = action('raising', 'def run(self):\n    raise ValueError("bad input")');
    const raised = await run(raising);
    expect(raised).toMatchObject({ status: 'failed', result: { exit_code: 1, result: 'None' } });
    expect(raised.result['stderr']).toMatch(/Traceback[\s\S]*ValueError: bad input/);
  });

  it("gives the action its pack's config, its actions/lib, and a logger on stderr at the log level", async () => {
    const entry = action(
      'configured',
      `def run(self):\n    from helpers import shout\n    self.logger.debug("hidden")\n    self.logger.info("shown")\n    return {"region": self.config["region"], "retries": self.config["retries"], "shout": shout("hi")}`,
    );
    const done = await run(entry, {}, { log_level: 'INFO' });
    expect(done.result['result']).toEqual({ region: 'eu-west-1', retries: 3, shout: 'HI!' });
    expect(done.result['stderr']).toContain('shown');
    expect(done.result['stderr']).not.toContain('hidden');
  });

  it('streams prints as they happen', async () => {
    const entry = action(
      'slow',
      'def run(self):\n    import time\n    print("first")\n    time.sleep(0.5)\n    print("second")',
    );
    const ctx = testContext();
    const seen = writeTimes(ctx.output);
    await run(entry, {}, {}, ctx);
    expect(ctx.output.text('stdout')).toBe('first\nsecond\n');
    expect((seen[seen.length - 1] ?? 0) - (seen[0] ?? 0)).toBeGreaterThan(300);
  });

  it('times out, killing the process, and cancels', async () => {
    const entry = action('sleepy', 'def run(self):\n    import time\n    time.sleep(30)');
    const timedOut = await run(entry, {}, { timeout: 1 });
    expect(timedOut).toMatchObject({
      status: 'timeout',
      result: { exit_code: -9, result: 'None', error: 'Action failed to complete in 1 seconds' },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort('cancel'), 300);
    const canceled = await run(entry, {}, {}, testContext({ signal: controller.signal }));
    expect(canceled.status).toBe('canceled');
  });

  it('fails clearly without an entry point, with a missing file, or without an Action class', async () => {
    expect((await run('')).result['error']).toBe('Missing entry_point action metadata attribute');
    expect(String((await run('nope.py')).result['error'])).toMatch(/nope\.py" does not exist/);
    writeFileSync(join(packPath, 'actions', 'plain.py'), 'x = 1\n');
    const plain = await run('plain.py');
    expect(plain.status).toBe('failed');
    expect(plain.result['stderr']).toContain('Failed to find an Action class');
  });
});
