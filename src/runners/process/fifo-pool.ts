/**
 * Real pipes for actions' stdout and stderr, from a pool of named pipes (FIFOs).
 *
 * Why not Node's own `stdio: 'pipe'`: libuv gives a child a Unix *socket* pair, where every
 * write the action makes becomes its own socket buffer, woken and read one by one. A pipe packs
 * small writes into pages, so a chatty action (a line per write) blocks less and the reader
 * wakes less: in bench/streaming.ts an action printing 1 KiB lines ran at about 60% of its
 * `> /dev/null` speed into a socket pair and close to full speed into a pipe. StackStorm's
 * runners give actions pipes too (Python's `subprocess.PIPE`).
 *
 * Node cannot call pipe(2), but it can open both ends of a FIFO. Making one takes a `mkfifo`
 * process, so FIFOs are made in batches ahead of need and reused: a FIFO is a meeting point, and
 * the pipe behind it exists only while an end is open. A FIFO goes back to the pool only after
 * its reader saw end-of-file (no writer left, so the next opener gets a fresh pipe); one whose
 * reader was cut off early, with a stray descendant perhaps still holding the write end, is
 * deleted instead. The folder is private (mkdtemp makes it 0700), so nobody else can open them.
 *
 * When the pool is empty, or FIFOs cannot be made here, `open()` returns undefined and the
 * caller uses Node's socket pair: slower for chatty actions, never wrong.
 */
import { execFile } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { Socket, type OnReadOpts, type SocketConstructorOpts } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from './liveness.ts';

export interface OpenedFifo {
  /** The write end, for the child's stdio. Call `spawned()` once the child has its copy. */
  readonly writeFd: number;
  /**
   * The read end, for its 'end' and 'close' (it ends when every writer, the child and its
   * descendants, has closed) and to cut it off. Data does not come as 'data' events: see onData.
   */
  readonly reader: Socket;
  /**
   * Where what is read goes. The chunk lies in a buffer that the next read reuses, so it must be
   * consumed (decoded, copied, counted) before the handler returns. Reading a gigabyte then
   * allocates nothing per read: with a fresh buffer for each of tens of thousands of reads,
   * garbage outgrew the collector and took a 1 GB run past 256 MB of resident memory.
   */
  onData(handler: (chunk: Buffer) => void): void;
  /** Closes this process's write end, so that the reader's end-of-file is the child's. */
  spawned(): void;
  /** Returns the FIFO; `sawEnd` says whether the reader reached end-of-file (then it is reused). */
  release(sawEnd: boolean): void;
}

export interface FifoPool {
  /** A freshly opened FIFO, or undefined when none is ready. Never blocks. */
  open(): OpenedFifo | undefined;
  /** Resolves once the first FIFOs are made: true, or false when this system cannot make them. */
  ready(): Promise<boolean>;
  /** FIFOs made so far, free now, and open now. */
  stats(): { made: number; free: number; inUse: number };
  /** Deletes the pool's folder; FIFOs in use keep working (their pipes do not need the name). */
  close(): void;
}

export interface FifoPoolOptions {
  /** Where the private folder goes; the system's temporary folder by default. */
  parentDir?: string;
  /** How many FIFOs one `mkfifo` makes at least; under load it makes as many as are in use. */
  batch?: number;
}

const DEFAULT_BATCH = 32;
const DIR_PREFIX = 'squall-fifos-';
/** Libuv's own read size for pipes. */
const READ_BUFFER_BYTES = 64 * 1024;

export function createFifoPool(options: FifoPoolOptions = {}): FifoPool {
  const batch = options.batch ?? DEFAULT_BATCH;
  const parent = options.parentDir ?? tmpdir();
  removeOrphans(parent);
  let dir: string | undefined;
  try {
    dir = mkdtempSync(join(parent, `${DIR_PREFIX}${process.pid}-`));
  } catch {
    dir = undefined;
  }
  // One buffer for every reader of the pool: libuv reads one stream at a time and hands each
  // chunk to its handler synchronously, which consumes it before the next read can happen.
  const readBuffer = Buffer.allocUnsafe(READ_BUFFER_BYTES);
  const free: string[] = [];
  let made = 0;
  let inUse = 0;
  let filling: Promise<void> | undefined;
  let broken = dir === undefined;
  let closed = false;

  const fill = (): Promise<void> => {
    if (filling) return filling;
    if (broken || closed || dir === undefined) return Promise.resolve();
    // As many as are in use: a burst of executions doubles the pool instead of falling back.
    const count = Math.max(batch, inUse);
    const names = Array.from({ length: count }, (_, i) => join(dir ?? '', `f${made + i}`));
    filling = new Promise((resolve) => {
      execFile('mkfifo', ['-m', '600', ...names], (err) => {
        filling = undefined;
        // A filesystem without FIFOs, or no mkfifo: stay on socket pairs for good.
        if (err) broken = true;
        else if (!closed) {
          made += names.length;
          free.push(...names);
        }
        resolve();
      });
    });
    return filling;
  };
  const first = fill();

  const discard = (path: string): void => {
    try {
      unlinkSync(path);
    } catch {
      // Already gone with the folder.
    }
  };

  return {
    open(): OpenedFifo | undefined {
      if (free.length <= Math.max(batch, inUse) / 4) void fill();
      const path = free.pop();
      if (path === undefined) return undefined;
      let readFd: number | undefined;
      let writeFd: number;
      try {
        // The read end first and non-blocking, so that opening the write end does not wait.
        readFd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
        writeFd = openSync(path, constants.O_WRONLY);
      } catch {
        if (readFd !== undefined) closeSync(readFd);
        discard(path);
        return undefined;
      }
      let handler: (chunk: Buffer) => void = () => undefined;
      const options: SocketConstructorOpts & { onread: OnReadOpts } = {
        fd: readFd,
        readable: true,
        writable: false,
        onread: {
          buffer: readBuffer,
          callback: (bytes) => {
            handler(readBuffer.subarray(0, bytes));
            return true; // keep reading
          },
        },
      };
      // Node's Socket constructor takes `onread` (lib/net.js); its type definitions list it only
      // for connect().
      const reader = new Socket(options);
      inUse++;
      let writeOpen = true;
      let released = false;
      const closeWriteEnd = (): void => {
        if (!writeOpen) return;
        writeOpen = false;
        closeSync(writeFd);
      };
      return {
        writeFd,
        reader,
        onData(h: (chunk: Buffer) => void): void {
          handler = h;
        },
        spawned: closeWriteEnd,
        release(sawEnd: boolean): void {
          if (released) return;
          released = true;
          inUse--;
          closeWriteEnd();
          reader.destroy();
          if (sawEnd && !closed) free.push(path);
          else discard(path);
        },
      };
    },
    async ready(): Promise<boolean> {
      await first;
      return !broken;
    },
    stats: () => ({ made, free: free.length, inUse }),
    close(): void {
      closed = true;
      free.length = 0;
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Deletes the FIFO folders of processes that are gone: a process killed outright (SIGKILL, a
 * crash) never closes its pool. A folder names its process (`squall-fifos-<pid>-…`).
 */
function removeOrphans(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^squall-fifos-(\d+)-/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isProcessAlive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}
