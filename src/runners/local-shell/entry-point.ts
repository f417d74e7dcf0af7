/** Locating and preparing an action's script (StackStorm's entry point rules). */
import { chmod, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { RunContext } from '../runner.ts';

/** The script an action runs: its entry point in its pack. Throws the reason when there is none. */
export function actionScript(ctx: Pick<RunContext, 'action' | 'packPath'>, entryPoint: string): string {
  if (ctx.packPath === undefined) {
    throw new Error(`Pack "${ctx.action.pack}" has no path to find "${entryPoint}" in`);
  }
  return resolveEntryPoint(ctx.packPath, entryPoint);
}

/**
 * `<pack>/actions/<entry_point>`; an absolute entry point must still lie inside the pack. Paths
 * escaping the pack are refused so an action cannot run arbitrary files on the host.
 */
export function resolveEntryPoint(packPath: string, entryPoint: string): string {
  const packDir = resolve(packPath);
  if (isAbsolute(entryPoint)) {
    if (!isInside(packDir, resolve(entryPoint))) {
      throw new Error(`Entry point file "${entryPoint}" is located outside of the pack directory`);
    }
    return entryPoint;
  }
  const actionsDir = join(packDir, 'actions');
  const path = resolve(actionsDir, entryPoint);
  if (!isInside(actionsDir, path)) {
    throw new Error(
      `Invalid file path: "${entryPoint}". File path needs to be relative to the pack actions directory (${actionsDir}). For example "my_action.py".`,
    );
  }
  return path;
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * StackStorm `chmod +x`es the script before every run. We only do it when a bit is missing, and
 * carry on when we may not (read-only mounts, someone else's file): exec will tell if it matters.
 */
export async function ensureExecutable(path: string): Promise<void> {
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch {
    return; // A missing file is reported by the spawn, with the path in the message.
  }
  if ((mode & 0o111) === 0o111) return;
  try {
    await chmod(path, mode | 0o111);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EROFS' && code !== 'EPERM' && code !== 'EACCES') throw err;
  }
}
