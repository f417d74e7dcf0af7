/**
 * `squall run` as a child process against a real Squall: live output, the result, exit codes by
 * status, JSON and YAML modes, typed parameters, and the one-line errors.
 */
import { join } from 'node:path';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { freePort } from '../helpers/processes.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { cliEnv, finished, runCliProcess, startCli, waitForOutput } from './cli-process.ts';

const PACKS = join(import.meta.dirname, 'fixtures', 'packs');
let squall: TestSquall;
let env: Record<string, string>;
const squallCli = (args: string[], extra: Record<string, string> = {}) =>
  runCliProcess(args, { ...env, ...extra });

beforeAll(async () => {
  squall = await startTestSquall({ packsPaths: [PACKS] });
  env = cliEnv({ SQUALL_URL: squall.url });
});
afterAll(async () => {
  await squall.close();
});

describe('squall run', () => {
  it('streams the output while the action runs, then prints the result and exits 0', async () => {
    const gate = join(mkdtempSync(join(tmpdir(), 'squall-cli-gate-')), 'go');
    const child = startCli(
      [
        'run',
        'core.local',
        `cmd=echo one; echo two >&2; while [ ! -f ${gate} ]; do sleep 0.05; done; echo three`,
      ],
      env,
    );
    const done = finished(child);
    // "one" arrives while the action still waits: the output is streamed, not printed at the end.
    await waitForOutput(child, 'one\n');
    const [running] = (await (await squall.api('/api/v1/executions?limit=1')).json()) as any[];
    expect(running.status).toBe('running');
    writeFileSync(gate, '');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^one\nthree\n/);
    expect(result.stderr).toContain('two\n');
    expect(result.stderr).toMatch(/✔ succeeded {2}core\.local {2}[0-9a-f]{24}/);
    expect(result.stdout).toContain('return_code: 0');
    // Already shown live, so not repeated in the result block.
    expect(result.stdout).not.toContain('stdout:');
  });

  it('exits 1 when the action fails and 3 when it times out', async () => {
    const failed = await squallCli(['run', 'core.local', 'cmd=echo bad; exit 4']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('✖ failed');
    expect(failed.stdout).toContain('return_code: 4');
    const timedOut = await squallCli(['run', 'core.local', 'cmd=sleep 5', 'timeout=1']);
    expect(timedOut.code).toBe(3);
    expect(timedOut.stderr).toContain('timeout');
  });

  it('-a returns at once with the id; the execution runs on', async () => {
    const result = await squallCli(['run', '-a', 'core.local', 'cmd=echo later']);
    expect(result.code).toBe(0);
    const id = result.stdout.split('\n')[0] ?? '';
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(result.stdout).toContain(`squall execution tail ${id}`);
    const done = await squall.waitFor(id);
    expect(done['result']).toMatchObject({ stdout: 'later' });
  });

  it('-j prints the final execution as JSON only; -y as YAML', async () => {
    const json = await squallCli(['run', 'core.local', '-j', 'cmd=echo json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc).toMatchObject({
      status: 'succeeded',
      result: { stdout: 'json' },
      action: { ref: 'core.local' },
    });
    const yaml = await squallCli(['run', 'core.local', '--yaml', 'cmd=echo yaml']);
    expect(yaml.code).toBe(0);
    expect(parse(yaml.stdout)).toMatchObject({ status: 'succeeded', result: { stdout: 'yaml' } });
  });

  it("types key=value by the action's schema: integer, number, boolean, array, object", async () => {
    const result = await squallCli([
      'run',
      'clitest.types',
      '-j',
      'count=42',
      'ratio=0.5',
      'flag=yes',
      'items=a,b',
      'opts=x=1,y=2',
    ]);
    expect(result.stderr).toBe('');
    const doc = JSON.parse(result.stdout);
    expect(doc.parameters).toEqual({
      count: 42,
      ratio: 0.5,
      flag: true,
      items: ['a', 'b'],
      opts: { x: '1', y: '2' },
    });
    const asJson = await squallCli([
      'run',
      'clitest.types',
      '-j',
      'items=[1,"two"]',
      'opts={"deep":{"n":1}}',
    ]);
    expect(JSON.parse(asJson.stdout).parameters).toEqual({ items: [1, 'two'], opts: { deep: { n: 1 } } });
  });

  it('types runner parameters too, and joins loose words into cmd like st2', async () => {
    const result = await squallCli([
      'run',
      'core.local',
      '-j',
      'env=GREETING=hi',
      '--',
      'echo',
      '$GREETING',
      'there',
    ]);
    const doc = JSON.parse(result.stdout);
    expect(doc.parameters).toEqual({ cmd: 'echo $GREETING there', env: { GREETING: 'hi' } });
    expect(doc.result.stdout).toBe('hi there');
  });

  it('sends --delay, --trace-tag and --user as st2 does', async () => {
    const result = await squallCli([
      'run',
      '-a',
      '-j',
      'core.local',
      'cmd=true',
      '--delay',
      '50',
      '--trace-tag',
      'cli-trace',
      '--user',
      'alice',
    ]);
    const doc = JSON.parse(result.stdout);
    expect(doc.delay).toBe(50);
    expect(doc.context.user).toBe('alice');
    const stored = (await (await squall.api(`/api/v1/executions/${doc.id}`)).json()) as any;
    expect(stored.context.trace_context).toEqual({ trace_tag: 'cli-trace' });
  });
});

describe('errors are one line on stderr with a non-zero exit', () => {
  it('a bad parameter value is refused before anything is sent (exit 2)', async () => {
    const result = await squallCli(['run', 'clitest.types', 'count=many']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('parameter "count" must be an integer, got "many"');
    const list = (await (
      await squall.api('/api/v1/executions?action=clitest.types&status=requested')
    ).json()) as [];
    expect(list).toEqual([]);
  });

  it("the server's faultstring is shown as is (exit 7)", async () => {
    const unknown = await squallCli(['run', 'no.such_action']);
    expect(unknown.code).toBe(7);
    expect(unknown.stderr).toBe('squall: Resource with a reference or id "no.such_action" not found\n');
    const missing = await squallCli(['run', 'core.local']);
    expect(missing.code).toBe(7);
    expect(missing.stderr).toBe("squall: 'cmd' is a required property\n");
  });

  it('a server that is not there: which URL, and why', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const result = await squallCli(['execution', 'list'], { SQUALL_URL: url });
    expect(result.code).toBe(7);
    expect(result.stderr).toBe(`squall: cannot reach Squall at ${url}: connection refused\n`);
    const bad = await squallCli(['action', 'list', '--url', 'not a url']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--url is not a URL: "not a url"');
  });

  it('unknown commands and options exit 2', async () => {
    expect((await squallCli(['frobnicate'])).code).toBe(2);
    const option = await squallCli(['execution', 'list', '--bogus']);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("Unknown option '--bogus'");
    const sub = await squallCli(['execution', 'explode']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain('unknown command "execution explode"');
  });
});

describe('where the server is', () => {
  it('falls back to ST2_API_URL (its /api/v1 dropped), then ST2_BASE_URL, then the config file', async () => {
    const bare = cliEnv();
    const viaSt2 = await runCliProcess(['action', 'get', 'core.local', '-j'], {
      ...bare,
      ST2_API_URL: `${squall.url}/api/v1`,
    });
    expect(JSON.parse(viaSt2.stdout).ref).toBe('core.local');
    const viaBase = await runCliProcess(['action', 'get', 'core.local', '-j'], {
      ...bare,
      ST2_BASE_URL: squall.url,
    });
    expect(JSON.parse(viaBase.stdout).ref).toBe('core.local');
    mkdirSync(join(bare['XDG_CONFIG_HOME'] ?? '', 'squall'), { recursive: true });
    writeFileSync(join(bare['XDG_CONFIG_HOME'] ?? '', 'squall', 'config.yaml'), `url: ${squall.url}\n`);
    const viaFile = await runCliProcess(['action', 'get', 'core.local', '-j'], bare);
    expect(JSON.parse(viaFile.stdout).ref).toBe('core.local');
    // Flags win over the environment.
    const flagWins = await runCliProcess(['--url', squall.url, 'action', 'get', 'core.local', '-j'], {
      ...bare,
      SQUALL_URL: 'http://127.0.0.1:1',
    });
    expect(flagWins.code).toBe(0);
  });
});
