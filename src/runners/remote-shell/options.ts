/** What the composition root tells the remote runners (StackStorm's `[system_user]`/`[ssh_runner]`). */
import { DEFAULT_KILL_GRACE_MS, DEFAULT_MAX_OUTPUT_BYTES } from '../local-shell/options.ts';
import { knownHostsCheck, type HostKeyCheck } from './known-hosts.ts';
import { createSshSessionPool, type SshSessionPool } from './session-pool.ts';

export interface RemoteShellOptions {
  /** Who to log in as when an action names no `username` (StackStorm's `system_user.user`). */
  sshUsername?: string;
  /**
   * Private key files tried, first existing one wins, when an action gives neither password nor
   * key (StackStorm's `system_user.ssh_key_file`); looked up at each run, so a key added later counts.
   */
  sshKeyFiles?: readonly string[];
  /** An ssh-agent socket, used when no password or key is given and no key file exists. */
  sshAgentSocket?: string;
  /** Longest wait for a connection, in ms (StackStorm's `ssh_runner.ssh_connect_timeout`, 60 s). */
  sshConnectTimeoutMs?: number;
  /** Most hosts worked on at once by one execution (`ssh_runner.max_parallel_actions`, 50). */
  sshMaxParallel?: number;
  /** Succeed when any host succeeded (`ssh_runner.allow_partial_failure`, false). */
  sshAllowPartialFailure?: boolean;
  /** Per execution, how much of each stream the result keeps, shared among its hosts. */
  maxOutputBytes?: number;
  /** After a cancel's SIGTERM, how long the remote process group has before SIGKILL. */
  killGraceMs?: number;
  /** Logged-in sessions shared by executions; without it, every execution logs in afresh. */
  sshSessions?: SshSessionPool;
  /** An OpenSSH known_hosts file host keys must be in; without it any key is accepted. */
  sshKnownHostsFile?: string;
}

export interface RemoteShellSettings {
  username: string;
  keyFiles: readonly string[];
  agentSocket: string | undefined;
  connectTimeoutMs: number;
  maxParallel: number;
  allowPartialFailure: boolean;
  maxOutputBytes: number;
  killGraceMs: number;
  sessions: SshSessionPool;
  hostKeyCheck: HostKeyCheck | undefined;
}

/** StackStorm's default system user. The server passes the user it runs as instead. */
const DEFAULT_USERNAME = 'stanley';

export function resolveRemoteShellOptions(options: RemoteShellOptions = {}): RemoteShellSettings {
  return {
    username: options.sshUsername ?? DEFAULT_USERNAME,
    keyFiles: options.sshKeyFiles ?? [],
    agentSocket: options.sshAgentSocket,
    connectTimeoutMs: options.sshConnectTimeoutMs ?? 60_000,
    maxParallel: options.sshMaxParallel ?? 50,
    allowPartialFailure: options.sshAllowPartialFailure ?? false,
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    sessions: options.sshSessions ?? createSshSessionPool({ idleMs: 0 }),
    hostKeyCheck:
      options.sshKnownHostsFile === undefined ? undefined : knownHostsCheck(options.sshKnownHostsFile),
  };
}
