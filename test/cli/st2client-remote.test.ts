/**
 * StackStorm's own `st2` CLI running core.remote against Squall and a real OpenSSH server: the
 * per-host result is printed as st2 prints StackStorm's. How to set up st2client:
 * test/cli/st2client.ts.
 */
import { loadConfig } from '../../src/config.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithSshd } from '../helpers/describe-with-sshd.ts';
import { startTestSshd, type TestSshd } from '../helpers/sshd.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { runSt2, st2clientUnavailable, st2Env } from './st2client.ts';

const reason = st2clientUnavailable();

let sshd: TestSshd;
let squall: TestSquall;
let env: Record<string, string>;

describeWithSshd('st2 run core.remote', () => {
  describe.skipIf(reason !== undefined)(`with st2client${reason ? ` (skipped: ${reason})` : ''}`, () => {
    beforeAll(async () => {
      sshd = await startTestSshd();
      squall = await startTestSquall({
        auth: true,
        ssh: {
          ...loadConfig([], {}).ssh,
          user: sshd.username,
          keyFiles: [sshd.privateKeyFile],
          connectTimeoutSeconds: 10,
        },
      });
      env = st2Env(squall.url, { ST2_API_KEY: squall.adminApiKey ?? '' });
    });
    afterAll(async () => {
      await squall?.close();
      await sshd?.close();
    });

    it('prints each host with its stdout, and exits 1 when a host failed', async () => {
      const hosts = `hosts=127.0.0.1:${sshd.port},localhost:${sshd.port}`;
      const ok = await runSt2(['run', 'core.remote', hosts, 'cmd=echo hi from $(id -un)'], env);
      expect(ok.stderr).not.toContain('ERROR');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('action.ref: core.remote');
      expect(ok.stdout).toContain('status: succeeded');
      expect(ok.stdout).toMatch(/ {2}127\.0\.0\.1:\n(?: {4}.*\n)*? {4}stdout: hi from \S+/);
      expect(ok.stdout).toMatch(/ {2}localhost:\n(?: {4}.*\n)*? {4}return_code: 0/);
      const bad = await runSt2(['run', 'core.remote', `hosts=127.0.0.1:${sshd.port}`, 'cmd=exit 4'], env);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain('status: failed');
      expect(bad.stdout).toContain('return_code: 4');
    });
  });
});
