/**
 * Runs one child process for a shell-like runner: streams its output to the sink as it arrives,
 * keeps a capped copy for the result, and on timeout or abort kills its whole process group.
 *
 * This is the hot path (DESIGN.md §4), so it allocates little: no pipe for stdin unless there is
 * something to write, one decoder per output stream, and no timers beyond the timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import type { OutputSink, OutputStream } from '../runner.ts';
import { CappedText } from './capped-text.ts';
import type { FifoPool, OpenedFifo } from './fifo-pool.ts';

export interface ProcessSpec {
  file: string;
  args: readonly string[];
  cwd: string | undefined;
  env: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  stdin: string | undefined;
  /** The child gets SIGKILL (to its whole group) after this long. */
  timeoutMs: number;
  signal: AbortSignal;
  output: OutputSink;
  maxOutputBytes: number;
  /** After an abort's SIGTERM, how long the group has to exit before it gets SIGKILL. */
  killGraceMs: number;
  /** Where stdout and stderr pipes come from; without it (or when it has none), Node's own. */
  fifos?: FifoPool | undefined;
}

export interface ProcessOutcome {
  /** The exit code, or minus the number of the signal that killed the process. */
  returnCode: number;
  stdout: CappedText;
  stderr: CappedText;
  timedOut: boolean;
  /** The abort signal fired before the process finished. */
  aborted: boolean;
  /** Set when the process could not be started at all (missing executable or cwd, …). */
  spawnError: Error | undefined;
}

/** setTimeout fires at once for delays past 2^31-1 ms; no action legitimately needs 24 days. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** Once the leader is dead, how long to wait for stray descendants to release our pipes. */
const PIPE_DRAIN_MS = 500;

export function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    const stdout = new CappedText(spec.maxOutputBytes);
    const stderr = new CappedText(spec.maxOutputBytes);
    let timedOut = false;
    let aborted = false;
    let spawnError: Error | undefined;
    let exited = false;
    let done = false;
    let graceTimer: NodeJS.Timeout | undefined;
    let drainTimer: NodeJS.Timeout | undefined;

    const fifos = { stdout: spec.fifos?.open(), stderr: spec.fifos?.open() };
    // detached: the child calls setsid(), so it leads a new process group we can kill as a whole
    // (bash's own children, `cmd &` backgrounds, pipelines) with kill(-pid).
    let child: ChildProcess;
    try {
      child = spawn(spec.file, spec.args, {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: [
          spec.stdin === undefined ? 'ignore' : 'pipe',
          fifos.stdout?.writeFd ?? 'pipe',
          fifos.stderr?.writeFd ?? 'pipe',
        ],
      });
    } catch (err) {
      // Node throws synchronously for arguments it cannot pass to exec (e.g. a NUL byte).
      fifos.stdout?.release(false);
      fifos.stderr?.release(false);
      const error = err instanceof Error ? err : new Error(String(err));
      resolve({ returnCode: -1, stdout, stderr, timedOut, aborted, spawnError: error });
      return;
    }
    fifos.stdout?.spawned();
    fifos.stderr?.spawned();
    const readers = {
      stdout: fifos.stdout?.reader ?? child.stdout,
      stderr: fifos.stderr?.reader ?? child.stderr,
    };

    const killGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // ESRCH: the group is already gone.
      }
      // A descendant that left the group (setsid, daemonizing) may still hold our pipes; once the
      // leader is dead, stop waiting for it so the execution can finish.
      if (exited) scheduleDrain();
    };
    const scheduleDrain = (): void => {
      if (drainTimer !== undefined || done) return;
      drainTimer = setTimeout(() => {
        readers.stdout?.destroy();
        readers.stderr?.destroy();
      }, PIPE_DRAIN_MS);
    };

    const timeoutTimer = setTimeout(
      () => {
        timedOut = true;
        killGroup('SIGKILL');
      },
      Math.min(Math.max(spec.timeoutMs, 0), MAX_TIMER_MS),
    );

    const onAbort = (): void => {
      if (done) return;
      aborted = true;
      killGroup('SIGTERM');
      graceTimer = setTimeout(() => killGroup('SIGKILL'), spec.killGraceMs);
    };
    if (spec.signal.aborted) onAbort();
    else spec.signal.addEventListener('abort', onAbort, { once: true });

    // Node's 'close' waits for the pipes it made; FIFO readers are ours to wait for.
    let closeCode: number | null = null;
    let closeSignal: NodeJS.Signals | null = null;
    let pending = 1;
    const settle = (): void => {
      if (--pending > 0) return;
      done = true;
      clearTimeout(timeoutTimer);
      clearTimeout(graceTimer);
      clearTimeout(drainTimer);
      spec.signal.removeEventListener('abort', onAbort);
      resolve({
        returnCode: closeCode ?? (closeSignal ? -constants.signals[closeSignal] : -1),
        stdout,
        stderr,
        timedOut,
        aborted,
        spawnError,
      });
    };
    for (const name of ['stdout', 'stderr'] as const) {
      const reader = readers[name];
      const fifo = fifos[name];
      if (!reader) continue;
      const sink = captureSink(name, name === 'stdout' ? stdout : stderr, spec.output);
      if (fifo) fifo.onData(sink.data);
      else reader.on('data', sink.data);
      reader.on('end', sink.end);
      if (fifo) {
        pending++;
        awaitFifo(fifo, settle);
      }
    }
    if (spec.stdin !== undefined && child.stdin) {
      // EPIPE when the child exits without reading its stdin is not our error.
      child.stdin.on('error', () => undefined);
      child.stdin.end(spec.stdin);
    }

    child.on('error', (err) => {
      spawnError ??= err;
    });
    child.on('exit', () => {
      exited = true;
      if (timedOut || aborted) scheduleDrain();
    });
    child.on('close', (code, signal) => {
      closeCode = code;
      closeSignal = signal;
      settle();
    });
  });
}

/** Calls `settled` once the FIFO's reader is closed, and returns the FIFO to its pool. */
function awaitFifo(fifo: OpenedFifo, settled: () => void): void {
  let sawEnd = false;
  // A read error closes the reader like an early cut: the FIFO is then not reused.
  fifo.reader.on('error', () => undefined);
  fifo.reader.once('end', () => {
    sawEnd = true;
  });
  fifo.reader.once('close', () => {
    fifo.release(sawEnd);
    settled();
  });
}

/** Decodes one output stream into the kept text and the sink; `data` consumes its chunk at once. */
function captureSink(
  name: OutputStream,
  kept: CappedText,
  sink: OutputSink,
): { data: (chunk: Buffer) => void; end: () => void } {
  // A decoder per stream keeps multi-byte characters split across chunks intact.
  const decoder = new StringDecoder('utf8');
  return {
    data(chunk: Buffer): void {
      // Past every cap, decoding is pure waste: a gigabyte of output is then only counted, which
      // keeps the action at pipe speed and the heap flat.
      if (kept.full && !sink.accepting(name)) {
        kept.count(chunk.length);
        sink.skipped(name, chunk.length);
        return;
      }
      const text = decoder.write(chunk);
      kept.push(text, chunk.length);
      if (text.length > 0) sink.write(name, text);
    },
    end(): void {
      const rest = decoder.end();
      if (rest.length > 0) {
        kept.push(rest, 0);
        sink.write(name, rest);
      }
    },
  };
}
