/**
 * remote-shell-script against a real OpenSSH server: the script and its `lib` folder are uploaded
 * over SFTP to a folder of the execution's own, run with the action's arguments, then removed.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { JsonObject, ParameterSpecs } from '../../src/domain/types.ts';
import { createRemoteShellScriptRunner } from '../../src/runners/remote-shell/remote-shell-script.ts';
import { testAction, testContext } from '../../src/runners/testing/run-context.ts';
import { describeWithSshd } from '../helpers/describe-with-sshd.ts';
import { startTestSshd, type TestSshd } from '../helpers/sshd.ts';

let sshd: TestSshd;
let pack: string;
let uploads: string;

const SCRIPT = `#!/bin/bash
. "$(dirname "$0")/lib/greet.sh"
greet "$@"
echo "mode=$(stat -c %a "$0") cwd=$PWD pack=$ST2_ACTION_PACK_NAME" >&2
`;

describeWithSshd('remote-shell-script', () => {
  beforeAll(async () => {
    sshd = await startTestSshd();
    pack = await mkdtemp(join(tmpdir(), 'squall-remote-pack-'));
    uploads = await mkdtemp(join(tmpdir(), 'squall-remote-dir-'));
    await mkdir(join(pack, 'actions', 'lib'), { recursive: true });
    await writeFile(join(pack, 'actions', 'greet.sh'), SCRIPT, { mode: 0o600 });
    await writeFile(
      join(pack, 'actions', 'lib', 'greet.sh'),
      'greet() { for a in "$@"; do echo "<$a>"; done; }\n',
    );
    await writeFile(join(pack, 'actions', 'sleepy.sh'), '#!/bin/sh\necho up\nsleep 60\n');
  });
  afterAll(async () => {
    await sshd?.close();
    await rm(pack, { recursive: true, force: true });
    await rm(uploads, { recursive: true, force: true });
  });

  const runner = () =>
    createRemoteShellScriptRunner({ sshUsername: sshd.username, sshKeyFiles: [sshd.privateKeyFile] });
  const ctx = (entryPoint: string, parameters: ParameterSpecs = {}, signal?: AbortSignal) =>
    testContext({
      action: testAction({
        runner_type: 'remote-shell-script',
        name: 'greet',
        entry_point: entryPoint,
        parameters,
      }),
      packPath: pack,
      env: { ST2_ACTION_PACK_NAME: 'test' },
      ...(signal ? { signal } : {}),
    });
  const params = (extra: JsonObject = {}): JsonObject => ({
    hosts: `${sshd.host}:${sshd.port}`,
    dir: uploads,
    cwd: '/tmp',
    timeout: 60,
    kwarg_op: '--',
    ...extra,
  });

  it('uploads the script and its lib, runs it with named then positional arguments, and cleans up', async () => {
    const context = ctx('greet.sh', { who: { type: 'string', position: 0 }, loud: { type: 'boolean' } });
    const { status, result } = await runner().run(
      params(),
      { who: "it's me", loud: true, note: 'a b' },
      context,
    );
    expect(status).toBe('succeeded');
    expect(result).toEqual({
      '127.0.0.1': {
        stdout: "<--loud>\n<--note=a b>\n<it's me>",
        stderr: 'mode=744 cwd=/tmp pack=test',
        return_code: 0,
        succeeded: true,
        failed: false,
      },
    });
    expect(context.output.text('stdout')).toBe("<--loud>\n<--note=a b>\n<it's me>\n");
    // The folder made for the execution (<dir>/<liveaction id>) is gone again.
    expect(await readdir(uploads)).toEqual([]);
  });

  it('cleans up after a cancel too', async () => {
    const abort = new AbortController();
    const context = ctx('sleepy.sh', {}, abort.signal);
    const run = runner().run(params(), {}, context);
    await expect.poll(() => context.output.text('stdout'), { timeout: 10_000 }).toBe('up\n');
    expect(existsSync(join(uploads, context.liveactionId, 'sleepy.sh'))).toBe(true);
    abort.abort('cancel');
    expect((await run).status).toBe('canceled');
    expect(await readdir(uploads)).toEqual([]);
  });

  it('reports a host it could not upload to, and refuses an action without an entry point', async () => {
    const { status, result } = await runner().run(
      params({ dir: '/nonexistent/squall' }),
      {},
      ctx('greet.sh'),
    );
    expect(status).toBe('failed');
    expect(result['127.0.0.1']).toMatchObject({
      failed: true,
      return_code: 255,
      error: expect.stringMatching(/^Failed "mkdir \/nonexistent\/squall\/\w+" on host 127\.0\.0\.1\. /),
    });
    const none = await runner().run(params(), {}, ctx(''));
    expect(none.result.error).toBe(
      'Action "greet" is missing "entry_point" attribute. Perhaps wanted to use "remote-shell-cmd" runner?',
    );
  });
});
