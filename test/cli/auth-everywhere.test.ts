/**
 * Every `squall` client command against a real Squall with authentication on: each works with
 * credentials from SQUALL_API_KEY, ST2_API_KEY or the token `squall login` saved (the event
 * streams of `run` and `tail` included, which carry them in the query string), and without
 * credentials each prints StackStorm's 401 faultstring as one line and exits 7.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { addUser, cliEnv, finished, runCliProcess, startCli, waitForOutput } from './cli-process.ts';

let squall: TestSquall;
let adminKey: string;
let ok: string;
/** One environment per way of authenticating, and one with no credentials at all. */
const envs: Record<'SQUALL_API_KEY' | 'ST2_API_KEY' | 'saved token' | 'none', Record<string, string>> = {
  SQUALL_API_KEY: {},
  ST2_API_KEY: {},
  'saved token': {},
  none: {},
};

async function execute(cmd: string): Promise<string> {
  const res = await squall.api('/api/v1/executions', {
    method: 'POST',
    headers: { 'st2-api-key': adminKey },
    json: { action: 'core.local', parameters: { cmd } },
  });
  return ((await res.json()) as { id: string }).id;
}

beforeAll(async () => {
  squall = await startTestSquall({ auth: true });
  adminKey = squall.adminApiKey ?? '';
  await addUser(squall, 'ops', 's3cret', ['admin']);
  const base = { SQUALL_URL: squall.url, COLUMNS: '200' };
  envs.SQUALL_API_KEY = cliEnv({ ...base, SQUALL_API_KEY: adminKey });
  envs.ST2_API_KEY = cliEnv({ ...base, ST2_API_KEY: adminKey });
  envs['saved token'] = cliEnv(base);
  envs.none = cliEnv(base);
  const login = await runCliProcess(['login', 'ops', '-p', 's3cret'], envs['saved token']);
  if (login.code !== 0) throw new Error(`squall login failed: ${login.stderr}`);
  ok = await execute('echo listed');
  await squall.waitFor(ok);
});
afterAll(async () => {
  await squall.close();
});

describe.each(['SQUALL_API_KEY', 'ST2_API_KEY', 'saved token'] as const)('with %s', (how) => {
  const cli = (args: string[]) => runCliProcess(args, envs[how]);

  it('run streams the output and exits 0; run -a, execution list / get / tail / re-run', async () => {
    const run = await cli(['run', 'core.local', 'cmd=echo hello; echo there']);
    expect(run.stderr).toContain('✔ succeeded');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^hello\nthere\n/);
    const started = await cli(['run', 'core.local', 'cmd=echo later', '-a']);
    expect(started.code).toBe(0);
    const id = /[0-9a-f]{24}/.exec(started.stdout)?.[0] ?? '';
    await squall.waitFor(id);
    const list = await cli(['execution', 'list', '-j', '-n', '100']);
    expect((JSON.parse(list.stdout) as { id: string }[]).map((e) => e.id)).toEqual(
      expect.arrayContaining([id, ok]),
    );
    const get = await cli(['execution', 'get', id, '-k', 'stdout']);
    expect(get.stdout).toBe('later\n');
    const tail = await cli(['execution', 'tail', id]);
    expect(tail).toMatchObject({ code: 0, stdout: 'later\n' });
    const rerun = await cli(['execution', 're-run', ok, 'cmd=echo again']);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/^again\n/);
  });

  it('execution tail follows a running execution live; cancel, pause and resume', async () => {
    const gate = join(mkdtempSync(join(tmpdir(), 'squall-auth-gate-')), 'go');
    const id = await execute(`echo early; while [ ! -f ${gate} ]; do sleep 0.05; done; echo late`);
    await squall.waitFor(id, ['running']);
    const child = startCli(['execution', 'tail', id], envs[how]);
    const done = finished(child);
    await waitForOutput(child, 'early\n');
    const pause = await cli(['execution', 'pause', id]);
    expect(pause.code).toBe(7);
    expect(pause.stderr).toContain('because it is not supported by the "local-shell-cmd" runner');
    writeFileSync(gate, '');
    expect(await done).toMatchObject({ code: 0, stdout: 'early\nlate\n' });
    const resume = await cli(['execution', 'resume', id]);
    expect(resume.stderr).toBe('squall: Execution is already in completed state.\n');

    const stuck = await execute(`while [ ! -f ${gate}.never ]; do sleep 0.05; done`);
    await squall.waitFor(stuck, ['running']);
    const cancel = await cli(['execution', 'cancel', stuck]);
    expect(cancel.code).toBe(0);
    expect((await squall.waitFor(stuck))['status']).toBe('canceled');
  });

  it('action list / get, runner list / get, whoami', async () => {
    const actions = await cli(['action', 'list', '-p', 'core']);
    expect(actions.stdout).toMatch(/^core\.local\s/m);
    const action = await cli(['action', 'get', 'core.local', '-j']);
    expect(JSON.parse(action.stdout)).toMatchObject({ ref: 'core.local' });
    const runners = await cli(['runner', 'list']);
    expect(runners.stdout).toMatch(/^local-shell-cmd\s/m);
    const runner = await cli(['runner', 'get', 'local-shell-cmd', '-j']);
    expect(JSON.parse(runner.stdout)).toMatchObject({ name: 'local-shell-cmd' });
    const whoami = await cli(['whoami']);
    expect(whoami.stdout).toBe(how === 'saved token' ? 'ops (authentication token)\n' : 'admin (API key)\n');
  });
});

describe('without credentials', () => {
  const refused =
    'squall: Unauthorized - One of Token or API key required. ' +
    '(run "squall login USER" or set SQUALL_API_KEY)\n';
  const commands = [
    ['run', 'core.local', 'cmd=true'],
    ['execution', 'list'],
    ['execution', 'get', '000000000000000000000000'],
    ['execution', 'tail'],
    ['execution', 'cancel', '000000000000000000000000'],
    ['execution', 're-run', '000000000000000000000000'],
    ['action', 'list'],
    ['runner', 'get', 'local-shell-cmd'],
    ['key', 'list'],
    ['key', 'set', 'k', 'v'],
    ['apikey', 'list'],
    ['whoami'],
  ];
  it.each(commands.map((args) => [args.join(' '), args] as const))(
    'squall %s: the 401 faultstring as one line, exit 7',
    async (_, args) => {
      const result = await runCliProcess(args, envs.none);
      expect(result).toMatchObject({ code: 7, stdout: '', stderr: refused });
    },
  );
});
