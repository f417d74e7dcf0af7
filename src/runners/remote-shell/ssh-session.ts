/**
 * One SSH login to one host (through a bastion if asked): commands with their output as it
 * arrives, a timeout and a cancel that end the remote work, and SFTP uploads for scripts.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { posix } from 'node:path';
import { Client, type ClientCallback, type ClientChannel, type ConnectConfig, type SFTPWrapper } from 'ssh2';
import { shellQuote } from '../process/sudo.ts';
import type { SshCredentials } from './credentials.ts';
import type { HostKeyCheck } from './known-hosts.ts';
import { ProcessGroupReport } from './process-group.ts';

export interface SshTarget {
  hostname: string;
  port: number;
  username: string;
  credentials: SshCredentials;
  /** Proxied through this host, logged in to with the same user and credentials (as StackStorm). */
  bastion: { hostname: string; port: number } | undefined;
  connectTimeoutMs: number;
  signal: AbortSignal;
  /** Checks the key each host presents; without it any key is accepted, as by StackStorm. */
  hostKeyCheck?: HostKeyCheck | undefined;
}

export interface ExecOptions {
  /** A pseudo-terminal, which sudo needs for its prompt; it merges stderr into stdout. */
  pty: boolean;
  timeoutMs: number;
  /** After a cancel's SIGTERM, how long the remote process group has before SIGKILL. */
  killGraceMs: number;
  signal: AbortSignal;
  onData: (stream: 'stdout' | 'stderr', chunk: Buffer) => void;
}

export interface ExecOutcome {
  /** The exit status, or undefined when the command died of a signal or never reported one. */
  exitCode: number | undefined;
  timedOut: boolean;
  aborted: boolean;
}

/** How long a channel we closed gets to confirm before we stop waiting for it. */
const CLOSE_WAIT_MS = 5000;

export class SshSession {
  readonly #client: Client;
  readonly #bastion: Client | undefined;
  #sftp: Promise<SFTPWrapper> | undefined;

  #alive = true;

  private constructor(client: Client, bastion: Client | undefined) {
    this.#client = client;
    this.#bastion = bastion;
    const gone = (): void => {
      this.#alive = false;
    };
    client.on('close', gone);
    bastion?.on('close', gone);
  }

  /** False once the connection (or the bastion's) has closed: the session can run nothing more. */
  get alive(): boolean {
    return this.#alive;
  }

  static async open(target: SshTarget): Promise<SshSession> {
    const config = connectConfig(target);
    const check = target.hostKeyCheck;
    if (target.bastion === undefined) {
      return new SshSession(await connect(config, target.signal, check), undefined);
    }
    const bastion = await connect(
      { ...config, host: target.bastion.hostname, port: target.bastion.port },
      target.signal,
      check,
    );
    try {
      const tunnel = await new Promise<ClientChannel>((resolve, reject) =>
        bastion.forwardOut('127.0.0.1', 0, target.hostname, target.port, (err, stream) =>
          err ? reject(err) : resolve(stream),
        ),
      );
      return new SshSession(await connect({ ...config, sock: tunnel }, target.signal, check), bastion);
    } catch (err) {
      bastion.end();
      throw err;
    }
  }

  /**
   * Runs one command. A timeout or an abort ends the command's whole process group: SIGKILL on
   * timeout; SIGTERM, then SIGKILL after the grace period, on cancel (see process-group.ts).
   */
  exec(command: string, options: ExecOptions): Promise<ExecOutcome> {
    const group = new ProcessGroupReport();
    return new Promise((resolve, reject) => {
      // ssh2 throws rather than calls back when the connection is already gone.
      const open = (callback: ClientCallback): void => {
        try {
          this.#client.exec(group.wrap(command), { pty: options.pty }, callback);
        } catch (err) {
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      };
      open((err, channel) => {
        if (err) {
          reject(err);
          return;
        }
        let exitCode: number | undefined;
        let timedOut = false;
        let aborted = false;
        let settled = false;
        const timers: NodeJS.Timeout[] = [];
        const finish = (): void => {
          if (settled) return;
          settled = true;
          for (const timer of timers) clearTimeout(timer);
          options.signal.removeEventListener('abort', onAbort);
          for (const stream of ['stdout', 'stderr'] as const) {
            const rest = group.flush(stream);
            if (rest.length > 0) options.onData(stream, rest);
          }
          resolve({ exitCode, timedOut, aborted });
        };
        // A signal wanted before the command reported its process group is sent when it does.
        let owed: 'TERM' | 'KILL' | undefined;
        const kill = (signal: 'TERM' | 'KILL'): void => {
          if (group.pgid === undefined) {
            owed = signal;
            sendSignal(channel, signal);
          } else void this.#run(`kill -s ${signal} -- -${group.pgid}`);
        };
        const stop = (graceMs: number): void => {
          kill(graceMs > 0 ? 'TERM' : 'KILL');
          timers.push(
            setTimeout(() => {
              if (graceMs > 0) kill('KILL');
              channel.close();
              timers.push(setTimeout(finish, CLOSE_WAIT_MS));
            }, graceMs),
          );
        };
        const onAbort = (): void => {
          if (settled || aborted || timedOut) return;
          aborted = true;
          stop(options.killGraceMs);
        };
        const forward = (stream: 'stdout' | 'stderr', chunk: Buffer): void => {
          const data = group.filter(stream, chunk);
          if (owed !== undefined && group.pgid !== undefined) {
            kill(owed);
            owed = undefined;
          }
          if (data.length > 0) options.onData(stream, data);
        };
        channel.on('data', (chunk: Buffer) => forward('stdout', chunk));
        channel.stderr.on('data', (chunk: Buffer) => forward('stderr', chunk));
        channel.on('exit', (code: number | null) => {
          if (typeof code === 'number') exitCode = code;
        });
        channel.on('close', finish);
        timers.push(
          setTimeout(() => {
            if (settled || aborted) return;
            timedOut = true;
            stop(0);
          }, options.timeoutMs),
        );
        if (options.signal.aborted) onAbort();
        else options.signal.addEventListener('abort', onAbort, { once: true });
        // The command gets an empty stdin, so nothing interactive can wait on it forever.
        channel.end();
      });
    });
  }

  /** A short housekeeping command (a kill, a clean-up); its output and failures do not matter. */
  #run(command: string): Promise<void> {
    return new Promise((resolve) => {
      try {
        this.#client.exec(command, (err, channel) => {
          if (err) {
            resolve();
            return;
          }
          const giveUp = setTimeout(() => channel.close(), CLOSE_WAIT_MS);
          channel.on('close', () => {
            clearTimeout(giveUp);
            resolve();
          });
          channel.resume();
          channel.stderr.resume();
          channel.end();
        });
      } catch {
        resolve();
      }
    });
  }

  /** Removes a folder and everything in it, whatever happened before. */
  removeTree(path: string): Promise<void> {
    return this.#run(`rm -rf ${shellQuote(path)}`);
  }

  async mkdir(path: string): Promise<void> {
    const sftp = await this.#sftpSession();
    await new Promise<void>((resolve, reject) => sftp.mkdir(path, (err) => (err ? reject(err) : resolve())));
  }

  /** Uploads one file and gives it `mode`. */
  async putFile(localPath: string, remotePath: string, mode: number): Promise<void> {
    const sftp = await this.#sftpSession();
    await new Promise<void>((resolve, reject) =>
      sftp.fastPut(localPath, remotePath, (err) => (err ? reject(err) : resolve())),
    );
    await new Promise<void>((resolve, reject) =>
      sftp.chmod(remotePath, mode, (err) => (err ? reject(err) : resolve())),
    );
  }

  /** Uploads a folder into `remoteParent`, keeping each file's mode (StackStorm's `put_dir`). */
  async putDir(localDir: string, remoteParent: string): Promise<void> {
    const remoteDir = posix.join(remoteParent, basename(localDir));
    await this.mkdir(remoteDir);
    for (const entry of await readdir(localDir, { withFileTypes: true })) {
      const local = join(localDir, entry.name);
      if (entry.isDirectory()) await this.putDir(local, remoteDir);
      else if (entry.isFile())
        await this.putFile(local, posix.join(remoteDir, entry.name), (await stat(local)).mode & 0o7777);
    }
  }

  close(): void {
    this.#alive = false;
    this.#client.end();
    this.#bastion?.end();
  }

  #sftpSession(): Promise<SFTPWrapper> {
    this.#sftp ??= new Promise((resolve, reject) =>
      this.#client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))),
    );
    return this.#sftp;
  }
}

function connectConfig(target: SshTarget): ConnectConfig {
  const { credentials } = target;
  return {
    host: target.hostname,
    port: target.port,
    username: target.username,
    readyTimeout: target.connectTimeoutMs,
    // A reused connection whose peer vanished is noticed within a minute, not at the next command.
    keepaliveInterval: 15_000,
    keepaliveCountMax: 3,
    ...(credentials.password === undefined ? {} : { password: credentials.password }),
    ...(credentials.privateKey === undefined ? {} : { privateKey: credentials.privateKey }),
    ...(credentials.passphrase === undefined ? {} : { passphrase: credentials.passphrase }),
    ...(credentials.agent === undefined ? {} : { agent: credentials.agent }),
  };
}

/**
 * Logs in. Host keys are checked by `check` when there is one (naming the host as the config
 * does, also through a bastion's tunnel); without it any key is accepted, as StackStorm's
 * Paramiko AutoAddPolicy does.
 */
function connect(
  config: ConnectConfig,
  signal: AbortSignal,
  check: HostKeyCheck | undefined,
): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let refusal: string | undefined;
    const hostVerifier = (key: Buffer): boolean => {
      refusal = check?.(config.host ?? '', config.port ?? 22, key);
      return refusal === undefined;
    };
    const onAbort = (): void => {
      client.end();
      reject(new Error('Canceled while connecting.'));
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    client.once('ready', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(client);
    });
    // Errors after the login (a dropped connection) surface as closed channels; the listener stays
    // so they never become an uncaught 'error' event.
    client.on('error', (err) => {
      signal.removeEventListener('abort', onAbort);
      reject(refusal === undefined ? err : new Error(refusal));
    });
    // A server that hangs up without an error would otherwise leave the login pending forever.
    client.once('close', () => {
      signal.removeEventListener('abort', onAbort);
      reject(new Error('The server closed the connection before the login completed.'));
    });
    client.connect({ ...config, hostVerifier });
  });
}

/**
 * A `signal` request, for a command whose process group is not known yet: OpenSSH's sshd turns it
 * into killpg() on the command's group (for logins other than root). ssh2's `channel.signal()`
 * sends nothing once our side of the channel is ended, and we end it at once to give the command
 * an empty stdin, so the request goes through the protocol object the channel itself uses.
 */
function sendSignal(channel: ClientChannel, name: 'TERM' | 'KILL'): void {
  const internals = channel as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?: (id: number, name: string) => void } };
  };
  const id = internals.outgoing?.id;
  const protocol = internals._client?._protocol;
  const state = internals.outgoing?.state;
  if (id === undefined || (state !== 'open' && state !== 'eof') || typeof protocol?.signal !== 'function')
    return;
  try {
    protocol.signal(id, name);
  } catch {
    // The connection is already gone.
  }
}
