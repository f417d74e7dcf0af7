/**
 * The runners Squall can execute, by runner type name. The workflow runners (`orquesta`,
 * `action-chain`) drive child executions, so the engine adds them (src/engine/workflows/). Runner
 * types that the catalogue lists but neither provides (winrm-*) are for the engine to fail with a
 * clear message.
 */
import { createAnnouncementRunner } from './announcement/announcement-runner.ts';
import { createHttpRequestRunner, type HttpRequestOptions } from './http/http-request-runner.ts';
import { createInquirerRunner } from './inquirer/inquirer-runner.ts';
import { createLocalShellCmdRunner } from './local-shell/local-shell-cmd.ts';
import { createLocalShellScriptRunner } from './local-shell/local-shell-script.ts';
import type { LocalShellOptions } from './local-shell/options.ts';
import { createNoopRunner } from './noop/noop-runner.ts';
import { createPythonRunner, type PythonRunnerOptions } from './python/python-runner.ts';
import { createRemoteShellCmdRunner } from './remote-shell/remote-shell-cmd.ts';
import { createRemoteShellScriptRunner } from './remote-shell/remote-shell-script.ts';
import type { RemoteShellOptions } from './remote-shell/options.ts';
import type { Runner } from './runner.ts';
import { withContentVersion } from './shared/content-version.ts';

export type CreateRunnersOptions = LocalShellOptions &
  HttpRequestOptions &
  PythonRunnerOptions &
  RemoteShellOptions;

export function createRunners(options: CreateRunnersOptions = {}): Map<string, Runner> {
  return new Map<string, Runner>([
    ['noop', createNoopRunner()],
    ['local-shell-cmd', createLocalShellCmdRunner(options)],
    ['local-shell-script', withContentVersion(createLocalShellScriptRunner(options))],
    ['http-request', createHttpRequestRunner(options)],
    ['inquirer', createInquirerRunner()],
    ['announcement', createAnnouncementRunner()],
    ['python-script', withContentVersion(createPythonRunner(options))],
    ['remote-shell-cmd', createRemoteShellCmdRunner(options)],
    ['remote-shell-script', createRemoteShellScriptRunner(options)],
  ]);
}
