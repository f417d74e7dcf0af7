/**
 * The `content_version` runner parameter (spec §7.2, §7.5): the action runs from another git
 * revision of its pack, checked out into a temporary worktree for the one execution. As in
 * StackStorm the pack folder must be a git repository (or inside one); unlike StackStorm the
 * worktree is detached (two executions of the same branch at once would otherwise collide) and
 * unregistered again afterwards, not just deleted.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { JsonObject } from '../../domain/types.ts';
import type { RunContext, Runner, RunnerResult } from '../runner.ts';
import { errorResult } from './runner-results.ts';

/** StackStorm's prefix for these folders, so operators recognise them. */
const WORKTREE_PREFIX = 'st2-git-worktree-';

/** `runner`, made to honour `content_version` when an execution gives one. */
export function withContentVersion(runner: Runner): Runner {
  return {
    async run(
      runnerParameters: JsonObject,
      actionParameters: JsonObject,
      ctx: RunContext,
    ): Promise<RunnerResult> {
      const version = runnerParameters.content_version;
      if (typeof version !== 'string' || version === '' || ctx.packPath === undefined) {
        return runner.run(runnerParameters, actionParameters, ctx);
      }
      let worktree: Worktree;
      try {
        worktree = await addWorktree(ctx.packPath, ctx.action.pack, version);
      } catch (err) {
        return errorResult(err instanceof Error ? err : new Error(String(err)));
      }
      try {
        return await runner.run(runnerParameters, actionParameters, { ...ctx, packPath: worktree.packPath });
      } finally {
        await worktree.remove();
      }
    },
  };
}

interface Worktree {
  /** The pack's folder inside the worktree. */
  packPath: string;
  remove(): Promise<void>;
}

async function addWorktree(packPath: string, pack: string, version: string): Promise<Worktree> {
  const prefix = `Failed to create git worktree for pack "${pack}": `;
  let top: string;
  try {
    top = (await git(packPath, ['rev-parse', '--show-toplevel'])).trim();
  } catch (err) {
    throw new Error(
      /not a git repository/i.test(String(err))
        ? `${prefix}Pack directory "${packPath}" is not a git repository. To utilize this functionality, pack directory needs to be a git repository.`
        : `${prefix}${String(err)}`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), WORKTREE_PREFIX));
  try {
    // `--end-of-options` keeps a version such as "--help" from being read as an option.
    await git(packPath, ['worktree', 'add', '--detach', '--quiet', dir, '--end-of-options', version]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      /invalid reference|unknown revision|not a valid|bad revision/i.test(String(err))
        ? `${prefix}Invalid content_version "${version}" provided. Make sure that git repository is up to date and contains that revision.`
        : `${prefix}${String(err)}`,
    );
  }
  return {
    packPath: join(dir, relative(await realpath(top), await realpath(packPath))),
    remove: async () => {
      try {
        await git(packPath, ['worktree', 'remove', '--force', dir]);
      } catch {
        // Removed by hand below; `prune` then forgets it.
        await rm(dir, { recursive: true, force: true });
        await git(packPath, ['worktree', 'prune']).catch(() => undefined);
      }
    },
  };
}

function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', ['-C', cwd, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(stderr.trim() || err.message));
      else resolve(stdout);
    });
  });
}
