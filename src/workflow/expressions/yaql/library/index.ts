/** Every YAQL function Squall provides: yaql's standard library and Orquesta's/st2's functions. */
import { SHARED_FUNCTIONS } from '../../functions/st2.ts';
import type { YaqlFunction } from '../runtime.ts';
import { setKey } from '../../types.ts';
import { registerCollections } from './collections.ts';
import { registerCommon } from './common.ts';
import type { Library } from './define.ts';
import { registerStrings } from './strings.ts';

function build(): ReadonlyMap<string, YaqlFunction> {
  const lib: Library = new Map();
  registerCommon(lib);
  registerStrings(lib);
  registerCollections(lib);
  // Orquesta and st2 register theirs after yaql's standard library, so theirs win (`zip`).
  for (const [name, fn] of Object.entries(SHARED_FUNCTIONS)) {
    lib.set(name, (call) => {
      const args = call.positional.map((arg) => arg());
      if (call.named.size > 0) {
        const keywords: Record<string, unknown> = { __keywords: true };
        for (const [k, v] of call.named) setKey(keywords, k, v());
        args.push(keywords);
      }
      return fn(...args);
    });
  }
  return lib;
}

export const STANDARD_FUNCTIONS = build();
