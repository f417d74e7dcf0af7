import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAction, testContext } from '../testing/run-context.ts';
import { createLocalShellScriptRunner } from './local-shell-script.ts';

const runner = createLocalShellScriptRunner();
let pack: string;

const PRINT_ARGS =
  '#!/bin/bash\nfor a in "$@"; do echo "<$a>"; done\necho "pack=$ST2_ACTION_PACK_NAME" >&2\n';

beforeAll(async () => {
  pack = await mkdtemp(join(tmpdir(), 'squall-pack-'));
  await mkdir(join(pack, 'actions', 'sub'), { recursive: true });
  await writeFile(join(pack, 'actions', 'args.sh'), PRINT_ARGS, { mode: 0o644 });
  await writeFile(join(pack, 'actions', 'sub', 'no-shebang'), 'echo "plain $1"\n', { mode: 0o755 });
  await writeFile(join(pack, 'actions', 'fail.sh'), '#!/bin/sh\necho \'{"ok": false}\'\nexit 4\n', {
    mode: 0o755,
  });
  await writeFile(join(pack, 'actions', 'slow.sh'), '#!/bin/bash\nsleep 30\n', { mode: 0o755 });
});
afterAll(async () => {
  await rm(pack, { recursive: true, force: true });
});

function ctxFor(entryPoint: string, parameters = {}) {
  return testContext({
    action: testAction({ runner_type: 'local-shell-script', entry_point: entryPoint, parameters }),
    packPath: pack,
    env: { ST2_ACTION_PACK_NAME: 'test' },
  });
}

describe('local-shell-script', () => {
  it('makes the script executable and passes named then positional arguments', async () => {
    const parameters = {
      to: { type: 'string', position: 0 },
      count: { type: 'integer', position: 1 },
      loud: { type: 'boolean' },
      tags: { type: 'array', position: 2 },
    };
    const { status, result } = await runner.run(
      { kwarg_op: '--', timeout: 60 },
      { to: 'a b', count: 3, loud: true, tags: ['x', 'y'], extra: 'e f' },
      ctxFor('args.sh', parameters),
    );
    expect(status).toBe('succeeded');
    expect(result.stdout).toBe(['<--loud>', '<--extra=e f>', '<a b>', '<3>', '<x,y>'].join('\n'));
    expect(result.stderr).toBe('pack=test');
    expect((await stat(join(pack, 'actions', 'args.sh'))).mode & 0o111).toBe(0o111);
  });

  it('runs a script without a shebang with /bin/sh, as a shell would', async () => {
    const { result } = await runner.run(
      {},
      { word: 'text' },
      ctxFor('sub/no-shebang', { word: { type: 'string', position: 0 } }),
    );
    expect(result.stdout).toBe('plain text');
  });

  it('maps the exit code and parses JSON output', async () => {
    const { status, result } = await runner.run({}, {}, ctxFor('fail.sh'));
    expect(status).toBe('failed');
    expect(result).toMatchObject({ return_code: 4, stdout: { ok: false }, succeeded: false });
  });

  it('times out', async () => {
    const { status, result } = await runner.run({ timeout: 1 }, {}, ctxFor('slow.sh'));
    expect(status).toBe('timeout');
    expect(result.return_code).toBe(-9);
  });

  it('requires an entry point', async () => {
    const { status, result } = await runner.run({}, {}, ctxFor(''));
    expect(status).toBe('failed');
    expect(result.error).toBe('Missing entry_point action metadata attribute');
  });

  it('refuses entry points outside the pack', async () => {
    expect((await runner.run({}, {}, ctxFor('../../etc/passwd'))).result.error).toMatch(/^Invalid file path/);
    expect((await runner.run({}, {}, ctxFor('/etc/passwd'))).result.error).toBe(
      'Entry point file "/etc/passwd" is located outside of the pack directory',
    );
  });

  it('reports a missing script as a failure', async () => {
    const { status, result } = await runner.run({}, {}, ctxFor('missing.sh'));
    expect(status).toBe('failed');
    expect(result.error).toMatch(/ENOENT/);
  });

  it('still runs a script it may not chmod when it is already executable', async () => {
    await chmod(join(pack, 'actions', 'fail.sh'), 0o755);
    expect((await runner.run({}, {}, ctxFor('fail.sh'))).result.return_code).toBe(4);
  });
});
