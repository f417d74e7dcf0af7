import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAction, testContext, writeTimes } from '../testing/run-context.ts';
import { createFifoPool } from '../process/fifo-pool.ts';
import { createLocalShellCmdRunner } from './local-shell-cmd.ts';
import type { LocalShellOptions } from './options.ts';

// Every behaviour holds whether the output arrives through Node's socket pairs or through FIFOs.
const fifos = createFifoPool();
const transports = [
  ['socket pairs', undefined],
  ['FIFOs', fifos],
] as const;

/** A killed process can linger as a zombie until something reaps it; that counts as gone. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'squall-shell-'));
  expect(await fifos.ready()).toBe(true);
});
afterAll(async () => {
  fifos.close();
  await rm(dir, { recursive: true, force: true });
});

describe.each(transports)('local-shell-cmd over %s', (_transport, pool) => {
  const make = (options: LocalShellOptions = {}) => createLocalShellCmdRunner({ ...options, fifos: pool });
  const runner = make();
  const run = (cmd: string, params: Record<string, unknown> = {}, ctx = testContext()) =>
    runner.run({ cmd, timeout: 60, ...(params as object) }, {}, ctx);

  it('separates stdout and stderr and streams both', async () => {
    const ctx = testContext();
    const { status, result } = await run('echo out; echo err >&2', {}, ctx);
    expect(status).toBe('succeeded');
    expect(result).toEqual({ failed: false, succeeded: true, return_code: 0, stdout: 'out', stderr: 'err' });
    expect(ctx.output.text('stdout')).toBe('out\n');
    expect(ctx.output.text('stderr')).toBe('err\n');
  });

  it('streams chunks as they arrive, not at the end', async () => {
    const ctx = testContext();
    const seen = writeTimes(ctx.output);
    await run('echo a; sleep 0.4; echo b', {}, ctx);
    const finished = Date.now();
    expect(ctx.output.chunks.map((c) => c.data)).toEqual(['a\n', 'b\n']);
    // The first chunk reached the sink while the command was still sleeping.
    expect(finished - (seen[0] as number)).toBeGreaterThan(300);
  });

  it('gives the action a pipe for its output when there are FIFOs, as StackStorm does', async () => {
    const { result } = await run('[ -p /dev/stdout ] && [ -p /dev/stderr ] && echo pipes || echo sockets');
    expect(result.stdout).toBe(pool ? 'pipes' : 'sockets');
  });

  it("never leaks one action's pipes into another started beside it", async () => {
    // If a long action inherited a quick one's write end, the quick one would end with the long one.
    const started = Date.now();
    const before = Array.from({ length: 5 }, (_, i) => run(`echo ${i}`));
    const long = run('sleep 2');
    const after = Array.from({ length: 5 }, (_, i) => run(`echo ${i + 5}`));
    const quick = await Promise.all([...before, ...after]);
    expect(quick.map((r) => r.result.stdout)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await long).status).toBe('succeeded');
  });

  it('parses JSON output and strips one trailing newline and carriage return', async () => {
    expect((await run('echo 5')).result.stdout).toBe(5);
    expect((await run(`echo '{"a": [1, true, null]}'`)).result.stdout).toEqual({ a: [1, true, null] });
    expect((await run(`printf 'x\\r\\n'`)).result.stdout).toBe('x');
    expect((await run(`printf 'a\\n\\n'`)).result.stdout).toBe('a\n');
    expect((await run('echo "not json"')).result.stdout).toBe('not json');
    expect((await run('echo 12345678901234567890')).result.stdout).toBe('12345678901234567890');
    expect((await run('true')).result.stdout).toBe('');
    expect((await run('echo \'"s"\' >&2')).result.stderr).toBe('s');
  });

  it('maps exit codes and signals to statuses', async () => {
    expect(await run('exit 3')).toMatchObject({ status: 'failed', result: { return_code: 3, failed: true } });
    expect(await run('kill -TERM $$')).toMatchObject({ status: 'abandoned', result: { return_code: -15 } });
    expect(await run('kill -KILL $$')).toMatchObject({
      status: 'abandoned',
      result: {
        return_code: -9,
        error: "The action's process was killed by SIGKILL, which Squall did not send.",
      },
    });
  });

  it('runs with bash, not sh', async () => {
    expect((await run('echo ${BASH_VERSION:+bash}; [[ 1 == 1 ]] && echo ok')).result.stdout).toBe('bash\nok');
  });

  it('layers server env, action env and ST2_ACTION_* variables', async () => {
    const custom = make({ baseEnv: { PATH: process.env.PATH, BASE: 'base', FOO: 'x' } });
    const ctx = testContext({ env: { ST2_ACTION_EXECUTION_ID: 'exec-1' } });
    const { result } = await custom.run(
      {
        cmd: 'echo "$BASE $FOO $NUM $ST2_ACTION_EXECUTION_ID"',
        env: { FOO: 'bar', NUM: 7, ST2_ACTION_EXECUTION_ID: 'spoofed' },
      },
      {},
      ctx,
    );
    expect(result.stdout).toBe('base bar 7 exec-1');
  });

  it('runs in cwd', async () => {
    expect((await run('pwd', { cwd: dir })).result.stdout).toBe(await realpath(dir));
  });

  it('fails cleanly when the process cannot start', async () => {
    const { status, result } = await run('true', { cwd: join(dir, 'missing') });
    expect(status).toBe('failed');
    expect(result.error).toMatch(/ENOENT/);
  });

  it('times out, killing the whole process group', async () => {
    const ctx = testContext();
    const started = Date.now();
    const { status, result } = await run('sleep 30 & echo $!; sleep 30; wait', { timeout: 1 }, ctx);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(status).toBe('timeout');
    expect(result).toMatchObject({
      failed: true,
      succeeded: false,
      return_code: -9,
      error: 'Action failed to complete in 1 seconds',
    });
    const grandchild = Number(ctx.output.text('stdout').trim());
    expect(grandchild).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(grandchild)).toBe(false);
  });

  it('finishes when a timed-out action left a descendant outside its group holding the pipes', async () => {
    const { status } = await run('setsid sleep 3 & sleep 30', { timeout: 1 });
    expect(status).toBe('timeout');
  });

  it('cancels on abort: SIGTERM to the group, status canceled', async () => {
    const controller = new AbortController();
    const ctx = testContext({ signal: controller.signal });
    setTimeout(() => controller.abort('cancel'), 300);
    const { status, result } = await run('sleep 30 & echo $!; sleep 30; wait', {}, ctx);
    expect(status).toBe('canceled');
    expect(result.return_code).toBe(-15);
    const grandchild = Number(ctx.output.text('stdout').trim());
    await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(grandchild)).toBe(false);
  });

  it('abandons on a non-cancel abort and escalates to SIGKILL after the grace period', async () => {
    const quick = make({ killGraceMs: 300 });
    const controller = new AbortController();
    const ctx = testContext({ signal: controller.signal });
    setTimeout(() => controller.abort('shutdown'), 300);
    const started = Date.now();
    const { status, result } = await quick.run({ cmd: "trap '' TERM; sleep 30", timeout: 60 }, {}, ctx);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(status).toBe('abandoned');
    expect(result.return_code).toBe(-9);
  });

  it('does not start when already aborted', async () => {
    const controller = new AbortController();
    controller.abort('cancel');
    const ctx = testContext({ signal: controller.signal });
    const { status } = await run(`touch ${join(dir, 'should-not-exist')}`, {}, ctx);
    expect(status).toBe('canceled');
    await expect(realpath(join(dir, 'should-not-exist'))).rejects.toThrow();
  });

  it('caps the output kept in the result but streams all of it', async () => {
    const capped = make({ maxOutputBytes: 1024 * 1024 });
    const ctx = testContext();
    let streamed = 0;
    ctx.output.write = (_stream, data) => {
      streamed += data.length;
    };
    const total = 20 * 1024 * 1024;
    const { status, result } = await capped.run(
      { cmd: `head -c ${total} /dev/zero | tr '\\0' a`, timeout: 60 },
      {},
      ctx,
    );
    expect(status).toBe('succeeded');
    expect(typeof result.stdout === 'string' && result.stdout.length).toBe(1024 * 1024);
    expect(result.stdout_truncated_bytes).toBe(total - 1024 * 1024);
    expect(streamed).toBe(total);
  });

  it('only counts output once neither the result nor the sink keeps any more of it', async () => {
    const capped = make({ maxOutputBytes: 1024 * 1024 });
    const ctx = testContext();
    let streamed = 0;
    let skipped = 0;
    ctx.output.write = (_stream, data) => {
      streamed += data.length;
    };
    // The sink stops accepting after 2 MiB, like the engine's output writer at its cap.
    ctx.output.accepting = () => streamed < 2 * 1024 * 1024;
    ctx.output.skipped = (_stream, bytes) => {
      skipped += bytes;
    };
    const total = 20 * 1024 * 1024;
    const { status, result } = await capped.run(
      { cmd: `head -c ${total} /dev/zero | tr '\\0' a`, timeout: 60 },
      {},
      ctx,
    );
    expect(status).toBe('succeeded');
    expect(result.stdout_truncated_bytes).toBe(total - 1024 * 1024);
    expect(streamed).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(streamed).toBeLessThan(3 * 1024 * 1024);
    expect(streamed + skipped).toBe(total);
  });

  it('keeps multi-byte characters intact across chunks and at the cap', async () => {
    const capped = make({ maxOutputBytes: 1000 });
    const { result } = await capped.run(
      { cmd: `for i in $(seq 1 2000); do printf 'é'; done` },
      {},
      testContext(),
    );
    expect(result.stdout).toBe('é'.repeat(500));
  });

  it('refuses an entry_point', async () => {
    const ctx = testContext({ action: testAction({ entry_point: 'script.sh' }) });
    const { status, result } = await run('true', {}, ctx);
    expect(status).toBe('failed');
    expect(result.error).toBe('entry_point is only valid for local-shell-script runner');
  });

  describe('sudo', () => {
    let fakeSudo: string;
    beforeAll(async () => {
      // Stands in for sudo: shows the argv it got and what arrived on stdin.
      fakeSudo = join(dir, 'fake-sudo');
      await writeFile(fakeSudo, '#!/bin/bash\nprintf "[%s]" "$@"; echo; cat\n', { mode: 0o755 });
    });

    it('wraps the command as sudo -E -- bash -c <cmd>', async () => {
      const sudoRunner = make({ sudoPath: fakeSudo });
      const { result } = await sudoRunner.run({ cmd: "echo 'hi there'", sudo: true }, {}, testContext());
      expect(result.stdout).toBe("[-E][--][bash][-c][echo 'hi there']");
    });

    it('passes -S and feeds the password on stdin', async () => {
      const sudoRunner = make({ sudoPath: fakeSudo });
      const { result } = await sudoRunner.run(
        { cmd: 'id', sudo: true, sudo_password: 's3cret' },
        {},
        testContext(),
      );
      expect(result.stdout).toBe('[-S][-E][--][bash][-c][id]\ns3cret');
    });

    it('recognises a wrong sudo password', async () => {
      const badSudo = join(dir, 'bad-sudo');
      await writeFile(
        badSudo,
        '#!/bin/bash\necho "[sudo] password for bob: " >&2\necho "sudo: 3 incorrect password attempts" >&2\nexit 1\n',
        { mode: 0o755 },
      );
      const sudoRunner = make({ sudoPath: badSudo });
      const { status, result } = await sudoRunner.run(
        { cmd: 'id', sudo: true, sudo_password: 'wrong' },
        {},
        testContext(),
      );
      expect(status).toBe('failed');
      expect(result.return_code).toBe(-1);
      expect(result.error).toBe(
        'Invalid sudo password provided or sudo is not configured for this user (bob)',
      );
    });
  });
});
