/**
 * `local-shell-script`: runs the action's entry point from its pack with the action parameters as
 * arguments (spec §7.2). The script is executed directly, without a shell in between.
 */
import type { JsonObject } from '../../domain/types.ts';
import { errorResult } from '../shared/runner-results.ts';
import { shellQuote } from '../process/sudo.ts';
import type { RunContext, Runner, RunnerResult } from '../runner.ts';
import { actionScript, ensureExecutable } from './entry-point.ts';
import { resolveLocalShellOptions, type LocalShellOptions } from './options.ts';
import { scriptArguments } from './script-arguments.ts';
import { readShellParameters, runShellAction } from './shell-action.ts';

export function createLocalShellScriptRunner(options?: LocalShellOptions): Runner {
  const settings = resolveLocalShellOptions(options);
  return {
    async run(
      runnerParameters: JsonObject,
      actionParameters: JsonObject,
      ctx: RunContext,
    ): Promise<RunnerResult> {
      const { entry_point: entryPoint } = ctx.action;
      if (!entryPoint) return errorResult(new Error('Missing entry_point action metadata attribute'));
      let script: string;
      try {
        script = actionScript(ctx, entryPoint);
        await ensureExecutable(script);
      } catch (err) {
        return errorResult(err instanceof Error ? err : new Error(String(err)));
      }
      const kwargOp = typeof runnerParameters.kwarg_op === 'string' ? runnerParameters.kwarg_op : '--';
      const args = scriptArguments(actionParameters, ctx.action.parameters, kwargOp);
      const env = runnerParameters.debug === true ? { ...ctx.env, ST2_ACTION_DEBUG: 'True' } : ctx.env;
      return runShellAction(
        { file: script, args, commandLine: () => [script, ...args].map(shellQuote).join(' ') },
        readShellParameters(runnerParameters),
        { ...ctx, env },
        settings,
      );
    },
  };
}
