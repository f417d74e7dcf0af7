/**
 * `content_version`: local-shell-script and python-script actions run from another git revision
 * of their pack, in a temporary worktree, with a real git repository whose pack is a subfolder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunners } from '../../src/runners/registry.ts';
import { testAction, testContext } from '../../src/runners/testing/run-context.ts';

let repo: string;
let pack: string;
let plain: string;
const runners = createRunners();
const script = runners.get('local-shell-script');
const python = runners.get('python-script');

function git(...args: string[]): string {
  return execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    encoding: 'utf8',
  });
}

function writeVersion(version: string): void {
  writeFileSync(join(pack, 'actions', 'which.sh'), `#!/bin/sh\necho "${version} $1"\n`, { mode: 0o755 });
  writeFileSync(
    join(pack, 'actions', 'which.py'),
    `from st2common.runners.base_action import Action\n\n\nclass Which(Action):\n    def run(self):\n        return "${version}"\n`,
  );
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'squall-content-version-'));
  pack = join(repo, 'packs', 'mypack');
  mkdirSync(join(pack, 'actions'), { recursive: true });
  git('init', '--quiet', '--initial-branch=main');
  writeVersion('one');
  git('add', '-A');
  git('commit', '--quiet', '-m', 'one');
  git('tag', 'v1');
  writeVersion('two');
  git('commit', '--quiet', '-am', 'two');
  writeVersion('working copy');
  plain = mkdtempSync(join(tmpdir(), 'squall-not-git-'));
});
afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
  rmSync(plain, { recursive: true, force: true });
});

const ctx = (runnerType: string, entryPoint: string, packPath = pack) =>
  testContext({
    action: testAction({
      runner_type: runnerType,
      pack: 'mypack',
      entry_point: entryPoint,
      parameters: { word: { type: 'string', position: 0 } },
    }),
    packPath,
  });

describe('content_version', () => {
  it('runs a shell script from a tag, a branch or a commit, and from the working copy without it', async () => {
    const run = (version?: string) =>
      script?.run(
        version ? { content_version: version } : {},
        { word: 'w' },
        ctx('local-shell-script', 'which.sh'),
      );
    expect((await run('v1'))?.result.stdout).toBe('one w');
    expect((await run('main'))?.result.stdout).toBe('two w');
    expect((await run(git('rev-parse', 'HEAD~1').trim()))?.result.stdout).toBe('one w');
    expect((await run())?.result.stdout).toBe('working copy w');
    // Two executions of the same branch at once: the worktrees are detached, so both run.
    const both = await Promise.all([run('main'), run('main')]);
    expect(both.map((r) => r?.result.stdout)).toEqual(['two w', 'two w']);
    // Every worktree is gone again, from disk and from git's list.
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('runs a Python action from another revision', async () => {
    const done = await python?.run({ content_version: 'v1' }, {}, ctx('python-script', 'which.py'));
    expect(done?.status).toBe('succeeded');
    expect(done?.result.result).toBe('one');
  });

  it("fails with StackStorm's messages for an unknown revision and a pack outside git", async () => {
    const unknown = await script?.run({ content_version: 'v9' }, {}, ctx('local-shell-script', 'which.sh'));
    expect(unknown?.status).toBe('failed');
    expect(unknown?.result.error).toBe(
      'Failed to create git worktree for pack "mypack": Invalid content_version "v9" provided. Make sure that git repository is up to date and contains that revision.',
    );
    const notGit = await script?.run(
      { content_version: 'v1' },
      {},
      ctx('local-shell-script', 'which.sh', plain),
    );
    expect(notGit?.result.error).toBe(
      `Failed to create git worktree for pack "mypack": Pack directory "${plain}" is not a git repository. To utilize this functionality, pack directory needs to be a git repository.`,
    );
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });
});
