/**
 * `remote-shell-script` (StackStorm's `remote_script_runner`, spec §7.3): uploads the action's
 * script (and the `lib` folder beside it) to `<dir>/<liveaction id>` on every host over SFTP, runs
 * it there with the action parameters as arguments, then removes the folder.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import { actionScript } from '../local-shell/entry-point.ts';
import { scriptArguments } from '../local-shell/script-arguments.ts';
import type { Runner } from '../runner.ts';
import { errorResult } from '../shared/runner-results.ts';
import { hostError } from './host-results.ts';
import { resolveRemoteShellOptions, type RemoteShellOptions } from './options.ts';
import { commandParts, scriptCommandLine } from './remote-command.ts';
import { readRemoteParameters, type RemoteParameters } from './remote-parameters.ts';
import { runOnHosts, type HostRun } from './run-on-hosts.ts';

/** StackStorm uploads scripts owner-writable, executable by all. */
const SCRIPT_MODE = 0o744;

export function createRemoteShellScriptRunner(options?: RemoteShellOptions): Runner {
  const settings = resolveRemoteShellOptions(options);
  return {
    async run(runnerParameters, actionParameters, ctx) {
      const { entry_point: entryPoint } = ctx.action;
      if (!entryPoint) {
        return errorResult(
          new Error(
            `Action "${ctx.action.name}" is missing "entry_point" attribute. Perhaps wanted to use "remote-shell-cmd" runner?`,
          ),
        );
      }
      let params: RemoteParameters;
      let script: string;
      try {
        script = actionScript(ctx, entryPoint);
        if (!existsSync(script)) throw new Error(`Local path ${script} does not exist.`);
        params = readRemoteParameters(runnerParameters, ctx.liveactionId);
      } catch (err) {
        return errorResult(err as Error);
      }
      const remoteDir = posix.join(params.dir, ctx.liveactionId);
      const remoteScript = posix.join(remoteDir, basename(script));
      const libs = join(dirname(script), 'lib');
      const command = scriptCommandLine(
        remoteScript,
        scriptArguments(actionParameters, ctx.action.parameters, params.kwargOp),
        commandParts(params, ctx.env),
      );
      return runOnHosts(params, ctx, settings, async (host: HostRun) => {
        const name = host.host.hostname;
        try {
          await host.session.mkdir(remoteDir);
        } catch (err) {
          return hostError(`Failed "mkdir ${remoteDir}" on host ${name}.`, err as Error);
        }
        try {
          try {
            await host.session.putFile(script, remoteScript, SCRIPT_MODE);
            if (existsSync(libs)) await host.session.putDir(libs, remoteDir);
          } catch (err) {
            return hostError(`Failed sending file(s) in path ${script} to host ${name}`, err as Error);
          }
          return await host.runCommand(command);
        } finally {
          // Removed even after a cancel: the upload must not outlive the execution.
          await host.session.removeTree(remoteDir);
        }
      });
    },
  };
}
