/**
 * The environment a local action sees: the server's environment, then the action's `env`, then the
 * `ST2_ACTION_*` variables, in StackStorm's order — so an action cannot spoof its own execution id
 * or API token through `env`.
 */
import type { Json } from '../../domain/types.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * A plain-object snapshot; `process.env` itself is an exotic object that is slow to walk. Not
 * frozen: a frozen prototype property would forbid the per-spawn layer from shadowing it.
 */
export function snapshotEnvironment(env: NodeJS.ProcessEnv): Environment {
  return { ...env };
}

/**
 * Layers the overrides on a child of `base` instead of copying it: Node's spawn walks inherited
 * keys too ("prototype values are intentionally included"), so each spawn costs only the
 * overrides.
 */
export function layerEnvironment(
  base: Environment,
  actionEnv: Json | undefined,
  contextEnv: Readonly<Record<string, string>>,
): NodeJS.ProcessEnv {
  const env = Object.create(base) as NodeJS.ProcessEnv;
  if (actionEnv !== null && typeof actionEnv === 'object' && !Array.isArray(actionEnv)) {
    for (const key of Object.keys(actionEnv)) {
      const value = actionEnv[key];
      if (value === undefined || value === null) continue;
      env[key] = typeof value === 'string' ? value : JSON.stringify(value);
    }
  }
  for (const key of Object.keys(contextEnv)) env[key] = contextEnv[key];
  return env;
}
