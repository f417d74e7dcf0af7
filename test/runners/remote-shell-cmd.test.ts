/**
 * remote-shell-cmd against a real OpenSSH server on 127.0.0.1: results per host, live output,
 * logins, timeouts and cancels that end the remote processes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JsonObject } from '../../src/domain/types.ts';
import { createRemoteShellCmdRunner } from '../../src/runners/remote-shell/remote-shell-cmd.ts';
import type { RemoteShellOptions } from '../../src/runners/remote-shell/options.ts';
import { testAction, testContext } from '../../src/runners/testing/run-context.ts';
import { describeWithSshd } from '../helpers/describe-with-sshd.ts';
import { startTestSshd, type TestSshd } from '../helpers/sshd.ts';

let sshd: TestSshd;
let cwd: string;

describeWithSshd('remote-shell-cmd', () => {
  beforeAll(async () => {
    sshd = await startTestSshd();
    cwd = await mkdtemp(join(tmpdir(), 'squall-remote-cwd-'));
  });
  afterAll(async () => {
    await sshd?.close();
    await rm(cwd, { recursive: true, force: true });
  });

  const runner = (options: RemoteShellOptions = {}) =>
    createRemoteShellCmdRunner({
      sshUsername: sshd.username,
      sshKeyFiles: [sshd.privateKeyFile],
      ...options,
    });
  const params = (extra: JsonObject): JsonObject => ({
    hosts: `${sshd.host}:${sshd.port}`,
    cwd: '/tmp',
    timeout: 60,
    parallel: false,
    ...extra,
  });
  const ctx = (signal?: AbortSignal) =>
    testContext({
      action: testAction({ runner_type: 'remote-shell-cmd', ref: 'core.remote', name: 'remote' }),
      env: { ST2_ACTION_EXECUTION_ID: 'e1', ST2_ACTION_AUTH_TOKEN: 'secret-token' },
      ...(signal ? { signal } : {}),
    });
  /** Whether a process whose command line holds `marker` still runs on this (the remote) machine. */
  const running = (marker: string): boolean => {
    try {
      return execFileSync('pgrep', ['-f', marker]).toString().trim() !== '';
    } catch {
      return false;
    }
  };

  it('runs the command in cwd with the environment, streams its output, and reports per host', async () => {
    const context = ctx();
    const { status, result } = await runner().run(
      params({
        cmd: 'echo "$GREETING $ST2_ACTION_EXECUTION_ID"; pwd; echo \'{"n": 1}\' >&2',
        cwd,
        env: { GREETING: 'hello there' },
      }),
      {},
      context,
    );
    expect(status).toBe('succeeded');
    expect(result).toEqual({
      '127.0.0.1': {
        stdout: `hello there e1\n${cwd}`,
        stderr: { n: 1 },
        return_code: 0,
        succeeded: true,
        failed: false,
      },
    });
    expect(context.output.text('stdout')).toBe(`hello there e1\n${cwd}\n`);
    expect(context.output.text('stderr')).toBe('{"n": 1}\n');
  });

  it('fails with the exit code of a failing command', async () => {
    const { status, result } = await runner().run(params({ cmd: 'echo out; exit 3' }), {}, ctx());
    expect(status).toBe('failed');
    expect(result['127.0.0.1']).toMatchObject({
      stdout: 'out',
      return_code: 3,
      succeeded: false,
      failed: true,
    });
  });

  it('runs on every host, keyed by hostname, without streaming; one host down fails the execution', async () => {
    const context = ctx();
    const hosts = `${sshd.host}:${sshd.port},localhost:${sshd.port}`;
    const both = await runner().run(params({ hosts, cmd: 'echo hi', parallel: true }), {}, context);
    expect(both.status).toBe('succeeded');
    expect(Object.keys(both.result).sort()).toEqual(['127.0.0.1', 'localhost']);
    expect(both.result.localhost).toMatchObject({ stdout: 'hi', return_code: 0 });
    expect(context.output.chunks).toEqual([]);

    const oneDown = await runner().run(params({ hosts: `127.0.0.2:1,${hosts}`, cmd: 'echo hi' }), {}, ctx());
    expect(oneDown.status).toBe('failed');
    expect(Object.keys(oneDown.result)).toEqual(['127.0.0.2', '127.0.0.1', 'localhost']);
    expect(oneDown.result['127.0.0.2']).toMatchObject({
      failed: true,
      succeeded: false,
      timeout: false,
      return_code: 255,
      error: expect.stringMatching(
        /^Connection error\. Error connecting to host 127\.0\.0\.2 as \S+ on port 1: .*ECONNREFUSED/,
      ),
    });
    // StackStorm's ssh_runner.allow_partial_failure: one good host is enough.
    const partial = await runner({ sshAllowPartialFailure: true }).run(
      params({ hosts: `127.0.0.2:1,${hosts}`, cmd: 'true' }),
      {},
      ctx(),
    );
    expect(partial.status).toBe('succeeded');
  });

  it("fails as a whole, with every host's reason, when no host can be logged in to", async () => {
    const { status, result } = await runner().run(
      params({ hosts: '127.0.0.2:1, 127.0.0.3:1', cmd: 'true' }),
      {},
      ctx(),
    );
    expect(status).toBe('failed');
    expect(Object.keys(result)).toEqual(['error', 'traceback']);
    expect(result.error).toMatch(
      /^Unable to connect to any one of the hosts: \['127\.0\.0\.2:1', '127\.0\.0\.3:1'\]\.\n\n connect_errors=\{/,
    );
  });

  it('refuses a missing host list and an entry point, as StackStorm does', async () => {
    const none = await runner().run(params({ hosts: ' , ', cmd: 'true' }), {}, ctx());
    expect(none).toMatchObject({
      status: 'failed',
      result: { error: 'No hosts specified to run action for action 5f00000000000000000000a1.' },
    });
    const withEntryPoint = await runner().run(
      params({ cmd: 'true' }),
      {},
      testContext({ action: testAction({ name: 'remote', entry_point: 'x.sh' }) }),
    );
    expect(withEntryPoint.result.error).toBe(
      'Action "remote" specified "entry_point" attribute. Perhaps wanted to use "remote-shell-script" runner?',
    );
  });

  it('logs in with key material, a key file, or an encrypted key and its passphrase', async () => {
    const bare = runner({ sshKeyFiles: [] });
    const material = await bare.run(
      params({ cmd: 'echo material', private_key: sshd.privateKey }),
      {},
      ctx(),
    );
    expect(material.result['127.0.0.1']).toMatchObject({ stdout: 'material' });
    const file = await bare.run(params({ cmd: 'echo file', private_key: sshd.privateKeyFile }), {}, ctx());
    expect(file.result['127.0.0.1']).toMatchObject({ stdout: 'file' });
    const encrypted = await bare.run(
      params({
        cmd: 'echo encrypted',
        private_key: sshd.encryptedKey,
        passphrase: sshd.encryptedKeyPassphrase,
      }),
      {},
      ctx(),
    );
    expect(encrypted.result['127.0.0.1']).toMatchObject({ stdout: 'encrypted' });
    const wrong = await bare.run(
      params({ cmd: 'true', private_key: sshd.encryptedKey, passphrase: 'nope' }),
      {},
      ctx(),
    );
    expect(wrong.result.error).toMatch(
      /Failed connecting to host 127\.0\.0\.1\. Invalid passphrase or invalid\/unsupported key type/,
    );
    const nothing = await bare.run(params({ cmd: 'true' }), {}, ctx());
    expect(nothing.result.error).toMatch(
      /Either password or key file location or key material should be supplied for action/,
    );
    const badPassword = await bare.run(params({ cmd: 'true', password: 'not-the-password' }), {}, ctx());
    expect(badPassword.result.error).toMatch(/All configured authentication methods failed/);
  });

  it('checks host keys against a known_hosts file when one is configured', async () => {
    const hostKey = readFileSync(join(sshd.dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/);
    const file = join(cwd, 'known_hosts');
    const withFile = runner({ sshKnownHostsFile: file });
    writeFileSync(file, `[127.0.0.1]:${sshd.port} ${hostKey[0]} ${hostKey[1]}\n`);
    const listed = await withFile.run(params({ cmd: 'echo trusted' }), {}, ctx());
    expect(listed.result['127.0.0.1']).toMatchObject({ stdout: 'trusted' });

    writeFileSync(
      file,
      `[127.0.0.1]:${sshd.port} ${hostKey[0]} ${Buffer.from('another key').toString('base64')}\n`,
    );
    const replaced = await withFile.run(params({ cmd: 'echo no' }), {}, ctx());
    expect(replaced.status).toBe('failed');
    expect(replaced.result.error).toMatch(
      /Host key verification failed: the key \[127\.0\.0\.1\]:\d+ presented is not the one .* lists for it/,
    );
    writeFileSync(file, '');
    const unknown = await withFile.run(params({ cmd: 'echo no' }), {}, ctx());
    expect(unknown.result.error).toMatch(/Host key verification failed: \[127\.0\.0\.1\]:\d+ is not in /);
  });

  it('reaches the host through a bastion', async () => {
    const { status, result } = await runner().run(
      params({ cmd: 'echo via bastion', bastion_host: `${sshd.host}:${sshd.port}` }),
      {},
      ctx(),
    );
    expect(status).toBe('succeeded');
    expect(result['127.0.0.1']).toMatchObject({ stdout: 'via bastion' });
  });

  it('runs with sudo under a pseudo-terminal, giving back plain newlines', async () => {
    const context = ctx();
    const { status, result } = await runner().run(
      params({ cmd: 'id -u; echo two', sudo: true }),
      {},
      context,
    );
    expect(status).toBe('succeeded');
    expect(result['127.0.0.1']).toMatchObject({ stdout: '0\ntwo', return_code: 0 });
    expect(context.output.text('stdout')).toBe('0\ntwo\n');
  });

  it('times out, ending the remote process, and keeps what it printed', async () => {
    const marker = `squall-timeout-${process.pid}-${Date.now()}`;
    const { status, result } = await runner().run(
      params({ cmd: `echo started; sleep 30; echo ${marker}`, timeout: 1 }),
      {},
      ctx(),
    );
    expect(status).toBe('timeout');
    expect(result['127.0.0.1']).toMatchObject({
      failed: true,
      succeeded: false,
      timeout: true,
      return_code: -9,
      stdout: 'started',
      error: expect.stringMatching(
        /^Failed executing command ".*" on host "127\.0\.0\.1" Command didn't finish in 1 seconds/,
      ),
    });
    // The token in the command shown is masked.
    expect(String((result['127.0.0.1'] as JsonObject).error)).not.toContain('secret-token');
    await expect.poll(() => running(marker), { timeout: 5000 }).toBe(false);
  });

  it('cancels: the remote process group gets SIGTERM and the execution ends canceled', async () => {
    const marker = `squall-cancel-${process.pid}-${Date.now()}`;
    const abort = new AbortController();
    const run = runner({ killGraceMs: 20_000 }).run(
      params({ cmd: `sleep 60 && echo ${marker} & sleep 61 && echo ${marker}; wait` }),
      {},
      ctx(abort.signal),
    );
    await expect.poll(() => running(marker), { timeout: 10_000 }).toBe(true);
    const started = Date.now();
    abort.abort('cancel');
    const { status } = await run;
    expect(status).toBe('canceled');
    // Ended by the SIGTERM, long before the grace period would have brought SIGKILL.
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect.poll(() => running(marker), { timeout: 5000 }).toBe(false);
  });
});
