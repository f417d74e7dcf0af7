/**
 * What local-shell-cmd and local-shell-script share: reading the runner parameters they have in
 * common, sudo wrapping, the environment, and running the process to a StackStorm-shaped result.
 */
import type { Json, JsonObject } from '../../domain/types.ts';
import { layerEnvironment } from '../process/environment.ts';
import { runProcess } from '../process/run-process.ts';
import { shellResult } from '../process/shell-result.ts';
import { abortStatus } from '../shared/runner-results.ts';
import { sudoArgv } from '../process/sudo.ts';
import type { RunContext, RunnerResult } from '../runner.ts';
import type { LocalShellSettings } from './options.ts';

export interface ShellParameters {
  cwd: string | undefined;
  env: Json | undefined;
  sudo: boolean;
  sudoPassword: string | undefined;
  timeoutSeconds: number;
}

const DEFAULT_TIMEOUT_SECONDS = 60;

export function readShellParameters(params: JsonObject): ShellParameters {
  const { cwd, env, sudo, sudo_password: sudoPassword, timeout } = params;
  return {
    cwd: typeof cwd === 'string' && cwd !== '' ? cwd : undefined,
    env,
    sudo: sudo === true,
    sudoPassword: typeof sudoPassword === 'string' && sudoPassword !== '' ? sudoPassword : undefined,
    timeoutSeconds: typeof timeout === 'number' ? timeout : DEFAULT_TIMEOUT_SECONDS,
  };
}

export interface ShellInvocation {
  /** Executed directly when sudo is off. */
  file: string;
  args: readonly string[];
  /** The same invocation as one shell command line, which sudo runs with `bash -c`. */
  commandLine: () => string;
}

export async function runShellAction(
  invocation: ShellInvocation,
  params: ShellParameters,
  ctx: RunContext,
  settings: LocalShellSettings,
): Promise<RunnerResult> {
  if (ctx.signal.aborted) {
    return {
      status: abortStatus(ctx.signal.reason),
      result: { error: 'Action was aborted before it started' },
    };
  }
  const sudo = params.sudo;
  const outcome = await runProcess({
    file: sudo ? settings.sudoPath : invocation.file,
    args: sudo ? sudoArgv(invocation.commandLine(), params.sudoPassword !== undefined) : invocation.args,
    cwd: params.cwd,
    env: layerEnvironment(settings.baseEnv, params.env, ctx.env),
    // StackStorm feeds the password through `echo`, hence the newline.
    stdin: sudo && params.sudoPassword !== undefined ? `${params.sudoPassword}\n` : undefined,
    timeoutMs: params.timeoutSeconds * 1000,
    signal: ctx.signal,
    output: ctx.output,
    maxOutputBytes: settings.maxOutputBytes,
    killGraceMs: settings.killGraceMs,
    fifos: settings.fifos,
  });
  return shellResult(outcome, {
    timeoutSeconds: params.timeoutSeconds,
    sudoPassword: sudo ? params.sudoPassword : undefined,
    abortReason: ctx.signal.reason,
  });
}
