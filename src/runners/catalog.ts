/**
 * Every StackStorm runner type as `GET /api/v1/runnertypes` shows it, whether or not Squall can run
 * it yet: actions of any registered pack must resolve their runner type, and executions embed it.
 * Which runner types Squall can *run* is `registry.ts`'s business.
 */
import { createHash } from 'node:crypto';
import type { Json, RunnerType } from '../domain/types.ts';
import { announcement, inquirer, noop } from './metadata/builtin.ts';
import { httpRequest } from './metadata/http.ts';
import { localShellCmd, localShellScript } from './metadata/local.ts';
import { pythonScript } from './metadata/python.ts';
import { remoteShellCmd, remoteShellScript } from './metadata/remote.ts';
import type { RunnerTypeMetadata } from './metadata/types.ts';
import { winrmCmd, winrmPsCmd, winrmPsScript } from './metadata/winrm.ts';
import { actionChain, orquesta } from './metadata/workflow.ts';

/**
 * Runner types have no creation time worth encoding, and every Squall node must agree on their ids
 * without talking to each other, so the id is a hash of the name (24 hex characters, shaped like
 * the ObjectIds StackStorm clients expect).
 */
export function runnerTypeId(name: string): string {
  return createHash('sha1').update(name).digest('hex').slice(0, 24);
}

function deepFreeze<T extends Json | RunnerType>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child as Json);
  }
  return value;
}

function toRunnerType(metadata: RunnerTypeMetadata): RunnerType {
  // `id` and `uid` first, as StackStorm's API lists them.
  return deepFreeze({
    id: runnerTypeId(metadata.name),
    uid: `runner_type:${metadata.name}`,
    ...metadata,
  });
}

/** Frozen: copy before changing (e.g. `structuredClone`). Ordered as StackStorm registers them. */
export const RUNNER_TYPES: readonly RunnerType[] = Object.freeze(
  [
    actionChain,
    announcement,
    httpRequest,
    inquirer,
    localShellCmd,
    localShellScript,
    noop,
    orquesta,
    pythonScript,
    remoteShellCmd,
    remoteShellScript,
    winrmCmd,
    winrmPsCmd,
    winrmPsScript,
  ].map(toRunnerType),
);

const BY_NAME: ReadonlyMap<string, RunnerType> = new Map(RUNNER_TYPES.map((r) => [r.name, r]));
const BY_ID: ReadonlyMap<string, RunnerType> = new Map(RUNNER_TYPES.map((r) => [r.id, r]));

export function getRunnerTypeByName(name: string): RunnerType | undefined {
  return BY_NAME.get(name);
}

export function getRunnerTypeById(id: string): RunnerType | undefined {
  return BY_ID.get(id);
}
