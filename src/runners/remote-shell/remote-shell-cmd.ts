/**
 * `remote-shell-cmd` (StackStorm's `remote_command_runner`, spec §7.3): runs `cmd` over SSH on
 * every host in `hosts` and reports each host's outcome.
 */
import type { Runner } from '../runner.ts';
import { errorResult } from '../shared/runner-results.ts';
import { resolveRemoteShellOptions, type RemoteShellOptions } from './options.ts';
import { commandLine, commandParts } from './remote-command.ts';
import { readRemoteParameters, type RemoteParameters } from './remote-parameters.ts';
import { runOnHosts } from './run-on-hosts.ts';

export function createRemoteShellCmdRunner(options?: RemoteShellOptions): Runner {
  const settings = resolveRemoteShellOptions(options);
  return {
    async run(runnerParameters, _actionParameters, ctx) {
      if (ctx.action.entry_point) {
        return errorResult(
          new Error(
            `Action "${ctx.action.name}" specified "entry_point" attribute. Perhaps wanted to use "remote-shell-script" runner?`,
          ),
        );
      }
      let params: RemoteParameters;
      try {
        params = readRemoteParameters(runnerParameters, ctx.liveactionId);
      } catch (err) {
        return errorResult(err as Error);
      }
      const cmd = typeof runnerParameters.cmd === 'string' ? runnerParameters.cmd : '';
      const command = commandLine(cmd, commandParts(params, ctx.env));
      return runOnHosts(params, ctx, settings, (host) => host.runCommand(command));
    },
  };
}
