/**
 * A pack written into a temporary directory for one test file: workflows and chains the examples
 * pack does not have, registered beside it (`startTestSquall({ packsPaths: [EXAMPLE_PACKS, dir] })`).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ScratchAction {
  /** The action's metadata YAML (name, runner_type, entry_point, parameters …). */
  readonly meta: string;
  /** The entry point's path under `actions/` and its text. */
  readonly entryPoint: readonly [string, string];
}

/** Writes pack `name` with `actions` (by file name); returns the directory holding the pack. */
export function writeScratchPack(name: string, actions: Record<string, ScratchAction>): string {
  const packsDir = mkdtempSync(join(tmpdir(), 'squall-scratch-pack-'));
  const pack = join(packsDir, name);
  mkdirSync(join(pack, 'actions'), { recursive: true });
  writeFileSync(join(pack, 'pack.yaml'), `---\nname: ${name}\ndescription: Test pack.\nversion: 0.1.0\n`);
  for (const [file, action] of Object.entries(actions)) {
    writeFileSync(join(pack, 'actions', `${file}.yaml`), action.meta);
    const [path, text] = action.entryPoint;
    mkdirSync(dirname(join(pack, 'actions', path)), { recursive: true });
    writeFileSync(join(pack, 'actions', path), text);
  }
  return packsDir;
}
