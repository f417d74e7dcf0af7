import { snapshotEnvironment, type Environment } from '../process/environment.ts';
import type { FifoPool } from '../process/fifo-pool.ts';

export interface LocalShellOptions {
  /** The environment actions inherit; the composition root passes the server's own. */
  baseEnv?: NodeJS.ProcessEnv;
  /** Per stream, how much output the result keeps (the output sink still gets all of it). */
  maxOutputBytes?: number;
  /** After a cancel's SIGTERM, how long the process group has before SIGKILL. */
  killGraceMs?: number;
  bashPath?: string;
  sudoPath?: string;
  /** Pipes for actions' output; without it, Node's socket pairs (see fifo-pool.ts for why not). */
  fifos?: FifoPool;
}

/** Options with every default filled in, computed once per runner rather than per execution. */
export interface LocalShellSettings {
  baseEnv: Environment;
  maxOutputBytes: number;
  killGraceMs: number;
  bashPath: string;
  sudoPath: string;
  fifos: FifoPool | undefined;
}

/**
 * 12 MiB per stream in the result: room for the multi-megabyte JSON results StackStorm users
 * return (StackStorm itself cannot store a result past MongoDB's 16 MB), while the memory a result
 * costs at completion (text, JSON, the database's copies) stays well inside a 256 MB process.
 * Everything printed is still in the stored output, up to its own cap.
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 12 * 1024 * 1024;
export const DEFAULT_KILL_GRACE_MS = 5000;

export function resolveLocalShellOptions(options: LocalShellOptions = {}): LocalShellSettings {
  return {
    baseEnv: snapshotEnvironment(options.baseEnv ?? process.env),
    maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
    killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
    bashPath: options.bashPath ?? '/bin/bash',
    sudoPath: options.sudoPath ?? 'sudo',
    fifos: options.fifos,
  };
}
