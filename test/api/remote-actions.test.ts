/**
 * core.remote and core.remote_sudo through the API, on a real OpenSSH server: what `st2 run
 * core.remote hosts=… cmd=…` does, including secrets masked and a cancel that ends the remote work.
 */
import { execFileSync } from 'node:child_process';
import { loadConfig } from '../../src/config.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithSshd } from '../helpers/describe-with-sshd.ts';
import { startTestSshd, type TestSshd } from '../helpers/sshd.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let sshd: TestSshd;
let squall: TestSquall;

describeWithSshd('remote actions over the API', () => {
  beforeAll(async () => {
    sshd = await startTestSshd();
    squall = await startTestSquall({
      ssh: {
        ...loadConfig([], {}).ssh,
        user: sshd.username,
        keyFiles: [sshd.privateKeyFile],
        connectTimeoutSeconds: 10,
      },
    });
  });
  afterAll(async () => {
    await squall?.close();
    await sshd?.close();
  });

  async function run(action: string, parameters: Record<string, unknown>): Promise<Record<string, any>> {
    const res = await squall.api('/api/v1/executions', { method: 'POST', json: { action, parameters } });
    expect(res.status).toBe(201);
    return (await res.json()) as Record<string, any>;
  }

  it('runs core.remote on a host: per-host result, stored output, runner parameters as given', async () => {
    const created = await run('core.remote', {
      hosts: `${sshd.host}:${sshd.port}`,
      cmd: 'echo "on $(hostname) as $(id -un)"; echo oops >&2; exit 2',
    });
    const done = (await squall.waitFor(created.id)) as Record<string, any>;
    expect(done.status).toBe('failed');
    expect(done.runner.name).toBe('remote-shell-cmd');
    const host = execFileSync('hostname').toString().trim();
    expect(done.result).toEqual({
      '127.0.0.1': {
        stdout: `on ${host} as ${sshd.username}`,
        stderr: 'oops',
        return_code: 2,
        succeeded: false,
        failed: true,
      },
    });
    const output = await (await squall.api(`/api/v1/executions/${created.id}/output`)).text();
    expect(output).toBe(`on ${host} as ${sshd.username}\noops\n`);
  });

  it('masks the private key and sudo password in what the API returns', async () => {
    const created = await run('core.remote_sudo', {
      hosts: `${sshd.host}:${sshd.port}`,
      cmd: 'id -u',
      private_key: sshd.privateKey,
      // Root is not asked for it, but it still goes through sudo -S and must never be shown.
      sudo_password: 'pa$$word',
    });
    const done = (await squall.waitFor(created.id)) as Record<string, any>;
    expect(done.status).toBe('succeeded');
    expect(done.result['127.0.0.1']).toMatchObject({ stdout: 0, return_code: 0 });
    expect(done.parameters.private_key).toBe('********');
    expect(done.parameters.sudo_password).toBe('********');
    expect(JSON.stringify(done)).not.toContain('pa$$word');
  });

  it('reuses the login for the next execution on the same host', async () => {
    // $SSH_CLIENT names the client's port: the same port means the same connection.
    const clientPort = async (): Promise<string> => {
      const created = await run('core.remote', {
        hosts: `${sshd.host}:${sshd.port}`,
        cmd: 'echo $SSH_CLIENT',
      });
      const done = (await squall.waitFor(created.id)) as Record<string, any>;
      return String(done.result['127.0.0.1'].stdout).split(' ')[1] ?? '';
    };
    const first = await clientPort();
    expect(first).toMatch(/^\d+$/);
    expect(await clientPort()).toBe(first);
  });

  it('cancels a remote execution and ends the remote process', async () => {
    const marker = `squall-api-cancel-${process.pid}-${Date.now()}`;
    const created = await run('core.remote', {
      hosts: `${sshd.host}:${sshd.port}`,
      cmd: `echo started; sleep 120; echo ${marker}`,
    });
    await squall.waitFor(created.id, ['running']);
    const deadline = Date.now() + 10_000;
    while (
      !(await (await squall.api(`/api/v1/executions/${created.id}/output`)).text()).includes('started')
    ) {
      if (Date.now() > deadline) throw new Error('no output from the remote command');
      await new Promise((r) => setTimeout(r, 50));
    }
    const canceled = await squall.api(`/api/v1/executions/${created.id}`, { method: 'DELETE' });
    expect(canceled.status).toBe(200);
    const done = (await squall.waitFor(created.id)) as Record<string, any>;
    expect(done.status).toBe('canceled');
    const stillThere = (): boolean => {
      try {
        return execFileSync('pgrep', ['-f', marker]).toString().trim() !== '';
      } catch {
        return false;
      }
    };
    await expect.poll(stillThere, { timeout: 5000 }).toBe(false);
  });
});
