/** `local-shell-cmd`: runs the `cmd` runner parameter with bash on this host (spec §7.1). */
import type { JsonObject } from '../../domain/types.ts';
import { errorResult } from '../shared/runner-results.ts';
import type { RunContext, Runner, RunnerResult } from '../runner.ts';
import { resolveLocalShellOptions, type LocalShellOptions } from './options.ts';
import { readShellParameters, runShellAction } from './shell-action.ts';

export function createLocalShellCmdRunner(options?: LocalShellOptions): Runner {
  const settings = resolveLocalShellOptions(options);
  return {
    run(runnerParameters: JsonObject, _actionParameters: JsonObject, ctx: RunContext): Promise<RunnerResult> {
      if (ctx.action.entry_point) {
        return Promise.resolve(
          errorResult(new Error('entry_point is only valid for local-shell-script runner')),
        );
      }
      const cmd = runnerParameters.cmd;
      if (typeof cmd !== 'string') {
        return Promise.resolve(errorResult(new Error('The "cmd" runner parameter is required')));
      }
      return runShellAction(
        { file: settings.bashPath, args: ['-c', cmd], commandLine: () => cmd },
        readShellParameters(runnerParameters),
        ctx,
        settings,
      );
    },
  };
}
