/**
 * Finding the remote command's process group, so a cancel or timeout can end all of it. OpenSSH
 * refuses `signal` requests for root logins (no privilege separation after a root login), and
 * closing a channel leaves a command without a terminal running. So the command first reports
 * its shell's pid on stderr (sshd makes that shell a session leader, so the pid is also the
 * process group's id); the report is cut out of the output, and `kill -- -<pgid>` on a second
 * channel then reaches every process the command started.
 */
import { randomBytes } from 'node:crypto';
import type { OutputStream } from '../runner.ts';

/** Longest first line still examined for the report before a stream is passed through untouched. */
const MAX_REPORT_BYTES = 128;

export class ProcessGroupReport {
  /** The command's process group, once reported. */
  pgid: number | undefined;
  readonly #marker: string;
  readonly #pending: Record<OutputStream, Buffer | null> = {
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
  };

  constructor() {
    this.#marker = `squall-pgid-${randomBytes(6).toString('hex')}:`;
  }

  /** `command`, preceded by the report (which a pseudo-terminal sends to stdout instead). */
  wrap(command: string): string {
    return `printf '${this.#marker}%s\\n' "$$" >&2; ${command}`;
  }

  /** What of `chunk` is the command's own output; the report and anything held back are not. */
  filter(stream: OutputStream, chunk: Buffer): Buffer {
    const pending = this.#pending[stream];
    if (pending === null) return chunk;
    if (this.pgid !== undefined) return this.#passThrough(stream, Buffer.concat([pending, chunk]));
    const seen = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    const marker = Buffer.from(this.#marker);
    const compared = Math.min(seen.length, marker.length);
    if (!seen.subarray(0, compared).equals(marker.subarray(0, compared)))
      return this.#passThrough(stream, seen);
    const newline = seen.indexOf(10);
    if (newline < 0) {
      if (seen.length > MAX_REPORT_BYTES) return this.#passThrough(stream, seen);
      this.#pending[stream] = seen;
      return Buffer.alloc(0);
    }
    const pid = /^(\d+)\r?$/.exec(seen.subarray(marker.length, newline).toString('latin1'))?.[1];
    if (pid === undefined) return this.#passThrough(stream, seen);
    this.pgid = Number(pid);
    this.#pending[stream] = null;
    return seen.subarray(newline + 1);
  }

  /** Whatever is still held back when the command ends (a first line that was never finished). */
  flush(stream: OutputStream): Buffer {
    const pending = this.#pending[stream];
    this.#pending[stream] = null;
    return pending ?? Buffer.alloc(0);
  }

  #passThrough(stream: OutputStream, data: Buffer): Buffer {
    this.#pending[stream] = null;
    return data;
  }
}
