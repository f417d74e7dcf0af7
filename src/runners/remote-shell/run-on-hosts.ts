/**
 * What both remote runners do around the work itself: log in to every host (as many at once as
 * `parallel` allows), run the work on each, and gather StackStorm's per-host results and status.
 */
import { StringDecoder } from 'node:string_decoder';
import type { JsonObject } from '../../domain/types.ts';
import { CappedText } from '../process/capped-text.ts';
import type { OutputStream, RunContext, RunnerResult } from '../runner.ts';
import { abortStatus } from '../shared/runner-results.ts';
import { CredentialError, resolveCredentials } from './credentials.ts';
import { badSudoPassword, commandResult, hostError, remoteStatus, type HostOutput } from './host-results.ts';
import type { RemoteHost } from './hosts.ts';
import type { RemoteShellSettings } from './options.ts';
import type { RemoteParameters } from './remote-parameters.ts';
import { maskCommand } from './remote-command.ts';
import type { SessionLease } from './session-pool.ts';
import type { SshSession } from './ssh-session.ts';

/** One host's part of the work, on a logged-in session. */
export type HostWork = (host: HostRun) => Promise<JsonObject>;

export interface HostRun {
  session: SshSession;
  host: RemoteHost;
  /** Runs a command to StackStorm's per-host result (timeout, cancel and sudo checks included). */
  runCommand(command: string): Promise<JsonObject>;
}

const DEFAULT_SSH_PORT = 22;
/** No host's share of the result's output budget is smaller than this. */
const MIN_HOST_OUTPUT_BYTES = 64 * 1024;

export async function runOnHosts(
  params: RemoteParameters,
  ctx: RunContext,
  settings: RemoteShellSettings,
  work: HostWork,
): Promise<RunnerResult> {
  const { hosts } = params;
  // StackStorm works on a third of the hosts at once (sequentially unless `parallel`).
  const concurrency = Math.min(params.parallel ? Math.floor(hosts.length / 3) + 1 : 1, settings.maxParallel);
  const connectTimeoutMs = Math.min(settings.connectTimeoutMs, Math.max(1, params.timeoutSeconds - 2) * 1000);
  const failedLogins: Record<string, JsonObject> = {};
  const results: Record<string, JsonObject> = {};
  let loggedIn = 0;

  const visit = async (host: RemoteHost): Promise<void> => {
    if (ctx.signal.aborted) {
      results[host.hostname] = hostError(
        `Not run on host "${host.hostname}":`,
        new Error('the execution was canceled.'),
      );
      return;
    }
    const port = host.port ?? params.port ?? DEFAULT_SSH_PORT;
    const username = params.username ?? settings.username;
    let lease: SessionLease;
    try {
      const credentials = await resolveCredentials(params, settings, host.hostname);
      const bastion = params.bastion && {
        hostname: params.bastion.hostname,
        port: params.bastion.port ?? port,
      };
      lease = await settings.sessions.lease({
        hostname: host.hostname,
        port,
        username,
        credentials,
        bastion,
        connectTimeoutMs,
        signal: ctx.signal,
        hostKeyCheck: settings.hostKeyCheck,
      });
    } catch (err) {
      const reason = err instanceof Error ? err : new Error(String(err));
      failedLogins[host.hostname] =
        reason instanceof CredentialError
          ? hostError(`Failed connecting to host ${host.hostname}.`, reason)
          : hostError(
              `Connection error. Error connecting to host ${host.hostname} as ${username} on port ${port}:`,
              reason,
            );
      return;
    }
    loggedIn++;
    const { session } = lease;
    try {
      results[host.hostname] = await work({
        session,
        host,
        runCommand: (command) =>
          runCommand(session, host, command, params, ctx, settings, {
            streaming: hosts.length === 1,
            outputBytes: Math.max(MIN_HOST_OUTPUT_BYTES, Math.floor(settings.maxOutputBytes / hosts.length)),
            connectTimeoutSeconds: connectTimeoutMs / 1000,
          }),
      });
    } finally {
      lease.release();
    }
  };
  await inPool(hosts, concurrency, visit);

  if (loggedIn === 0 && !ctx.signal.aborted) {
    const error = new Error(
      `Unable to connect to any one of the hosts: [${params.hostEntries.map((h) => `'${h}'`).join(', ')}].\n\n connect_errors=${JSON.stringify(failedLogins, null, 2)}`,
    );
    return { status: 'failed', result: { error: error.message, traceback: error.stack ?? '' } };
  }
  // Hosts that could not be logged in to come first, as in StackStorm.
  const all = { ...failedLogins, ...results };
  const status = ctx.signal.aborted
    ? abortStatus(ctx.signal.reason)
    : remoteStatus(all, settings.allowPartialFailure);
  return { status, result: all };
}

interface CommandLimits {
  streaming: boolean;
  outputBytes: number;
  connectTimeoutSeconds: number;
}

async function runCommand(
  session: SshSession,
  host: RemoteHost,
  command: string,
  params: RemoteParameters,
  ctx: RunContext,
  settings: RemoteShellSettings,
  limits: CommandLimits,
): Promise<JsonObject> {
  // Like StackStorm (and Fabric): sudo gets a pseudo-terminal, unless it reads a password from stdin.
  const pty = command.startsWith('sudo');
  const output: HostOutput = {
    stdout: new CappedText(limits.outputBytes),
    stderr: new CappedText(limits.outputBytes),
    pty,
  };
  const live = limits.streaming ? new LiveOutput(ctx, pty) : undefined;
  const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  const failure = `Failed executing command "${maskCommand(command, params.sudoPassword)}" on host "${host.hostname}"`;
  try {
    const outcome = await session.exec(command, {
      pty,
      timeoutMs: params.timeoutSeconds * 1000,
      killGraceMs: settings.killGraceMs,
      signal: ctx.signal,
      onData: (stream, chunk) => {
        const text = decoders[stream].write(chunk);
        output[stream].push(text, chunk.length);
        live?.write(stream, text);
      },
    });
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = decoders[stream].end();
      output[stream].push(rest, 0);
      live?.write(stream, rest);
    }
    live?.flush();
    if (outcome.timedOut) {
      const reason = new Error(
        `Command didn't finish in ${params.timeoutSeconds} seconds or the SSH connection did not succeed in ${limits.connectTimeoutSeconds} seconds`,
      );
      return hostError(failure, reason, { timeout: true, output });
    }
    const sudoError = params.sudoPassword === undefined ? undefined : badSudoPassword(output);
    if (sudoError) return hostError(failure, sudoError);
    return commandResult(output, outcome.exitCode);
  } catch (err) {
    return hostError(failure, err instanceof Error ? err : new Error(String(err)));
  }
}

/**
 * Output streamed as it arrives (one host only, as in StackStorm: the stored output belongs to the
 * execution, not to a host). Under a pseudo-terminal "\r\n" becomes "\n" again, across chunks too.
 */
class LiveOutput {
  readonly #pendingCr: Record<OutputStream, boolean> = { stdout: false, stderr: false };

  constructor(
    private readonly ctx: RunContext,
    private readonly pty: boolean,
  ) {}

  write(stream: OutputStream, text: string): void {
    if (text === '') return;
    if (!this.pty) {
      this.ctx.output.write(stream, text);
      return;
    }
    let value = (this.#pendingCr[stream] ? '\r' : '') + text;
    this.#pendingCr[stream] = value.endsWith('\r');
    if (this.#pendingCr[stream]) value = value.slice(0, -1);
    value = value.replaceAll('\r\n', '\n');
    if (value !== '') this.ctx.output.write(stream, value);
  }

  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.#pendingCr[stream]) this.ctx.output.write(stream, '\r');
      this.#pendingCr[stream] = false;
    }
  }
}

/** Runs `visit` on every item, at most `size` at once. */
async function inPool<T>(
  items: readonly T[],
  size: number,
  visit: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await visit(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(size, items.length)) }, worker));
}
