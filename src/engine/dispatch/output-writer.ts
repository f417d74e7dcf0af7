/**
 * Collects output from running actions and stores it in batches: one transaction per flush for all
 * executions, consecutive writes to the same stream merged into one chunk. Runners call `write`
 * synchronously on every pipe read, so it only appends to memory; storing happens on a short timer
 * (so `/output` of a running execution lags by at most `flushIntervalMs`) or as soon as the pending
 * bytes pass a bound, which keeps memory flat whatever an action prints.
 */
import { secretSafeCut } from '../../domain/masking.ts';
import { nowMicros } from '../../domain/time.ts';
import type { OutputSink, OutputStream } from '../../runners/runner.ts';
import type { NewOutputChunk, Store } from '../../store/store.ts';
import type { EventBus } from '../events.ts';

export interface OutputWriterOptions {
  flushIntervalMs: number;
  /** Pending bytes that trigger an immediate flush. */
  maxPendingBytes: number;
  /** Bytes stored per execution and stream; output past it is not stored, only counted. */
  maxStoredBytesPerStream: number;
}

interface StreamState {
  stored: number;
  dropped: number;
  /** The end of what was written that could be the beginning of a secret: kept for the next write. */
  held: string;
  info: ExecutionOutputInfo;
}

/** Bytes of output not stored because a stream reached the cap, by stream (absent when none). */
export type OutputTruncation = Partial<Record<OutputStream, number>>;

export interface ExecutionOutputInfo {
  executionId: string;
  actionRef: string;
  runnerRef: string;
  /** Values of the execution's secret parameters: no stored chunk ends inside one of them. */
  secrets: readonly string[];
}

/** Consecutive writes merge into one stored chunk up to this size, so a chunk is cheap to replay. */
const MAX_CHUNK_CHARS = 64 * 1024;
/** Tries per output batch: about 3 s in all, longer than a database restart usually takes. */
const APPEND_ATTEMPTS = 5;

export class OutputWriter {
  readonly #store: Store;
  readonly #bus: EventBus;
  readonly #options: OutputWriterOptions;
  #pending: (NewOutputChunk & { actionRef: string; runnerRef: string })[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  readonly #streams = new Map<string, StreamState>();
  readonly #onError: (error: unknown) => void;

  constructor(store: Store, bus: EventBus, options: OutputWriterOptions, onError: (error: unknown) => void) {
    this.#store = store;
    this.#bus = bus;
    this.#options = options;
    this.#onError = onError;
  }

  sinkFor(info: ExecutionOutputInfo): OutputSink {
    const state = (stream: OutputStream): StreamState => {
      const key = `${info.executionId}:${stream}`;
      let s = this.#streams.get(key);
      if (!s) this.#streams.set(key, (s = { stored: 0, dropped: 0, held: '', info }));
      return s;
    };
    return {
      write: (stream, data) => this.#writeSafely(info, state(stream), stream, data),
      accepting: (stream) => state(stream).stored < this.#options.maxStoredBytesPerStream,
      skipped: (stream, bytes) => {
        state(stream).dropped += bytes;
      },
    };
  }

  /**
   * Stores what is pending, forgets the execution's bookkeeping, and tells how much output the cap
   * kept out of the store.
   */
  async finish(executionId: string): Promise<OutputTruncation> {
    // What was held back in case a secret continued goes out now: nothing more will follow.
    for (const stream of ['stdout', 'stderr'] as const) {
      const s = this.#streams.get(`${executionId}:${stream}`);
      if (s && s.held !== '') {
        const rest = s.held;
        s.held = '';
        this.#write(s.info, s, stream, rest);
      }
    }
    await this.flush();
    const truncation: OutputTruncation = {};
    for (const stream of ['stdout', 'stderr'] as const) {
      const key = `${executionId}:${stream}`;
      const dropped = this.#streams.get(key)?.dropped ?? 0;
      if (dropped > 0) truncation[stream] = dropped;
      this.#streams.delete(key);
    }
    return truncation;
  }

  /**
   * Stores `data` but for an ending that could be the beginning of a secret parameter's value,
   * held until the next write (or `finish`) shows whether it is: a secret the action prints never
   * straddles two stored chunks, so redacting chunk by chunk always finds it.
   */
  #writeSafely(info: ExecutionOutputInfo, state: StreamState, stream: OutputStream, data: string): void {
    if (info.secrets.length === 0) return this.#write(info, state, stream, data);
    const text = state.held + data;
    const cut = secretSafeCut(text, info.secrets);
    state.held = text.slice(cut);
    this.#write(info, state, stream, text.slice(0, cut));
  }

  #write(info: ExecutionOutputInfo, state: StreamState, stream: OutputStream, data: string): void {
    if (data.length === 0) return;
    const room = this.#options.maxStoredBytesPerStream - state.stored;
    if (room <= 0) {
      state.dropped += Buffer.byteLength(data);
      return;
    }
    let text = data;
    let bytes = Buffer.byteLength(text);
    if (bytes > room) {
      text = Buffer.from(text).subarray(0, room).toString('utf8');
      state.dropped += bytes - Buffer.byteLength(text);
      bytes = Buffer.byteLength(text);
    }
    state.stored += bytes;
    const last = this.#pending[this.#pending.length - 1];
    if (
      last &&
      last.executionId === info.executionId &&
      last.outputType === stream &&
      last.data.length + text.length <= MAX_CHUNK_CHARS
    ) {
      last.data += text;
    } else {
      this.#pending.push({
        executionId: info.executionId,
        actionRef: info.actionRef,
        runnerRef: info.runnerRef,
        timestamp: nowMicros(),
        outputType: stream,
        data: text,
      });
    }
    this.#pendingBytes += bytes;
    if (this.#pendingBytes >= this.#options.maxPendingBytes) void this.flush();
    else this.#timer ??= setTimeout(() => void this.flush(), this.#options.flushIntervalMs);
  }

  /**
   * A database that is briefly unreachable (restarting, a dropped connection) must not cost the
   * output of the actions running meanwhile: the batch is retried a few times before it is given up.
   */
  async #appendWithRetry(chunks: readonly NewOutputChunk[]): Promise<number[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#store.appendOutput(chunks);
      } catch (error) {
        if (attempt >= APPEND_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
      }
    }
  }

  /** Stores everything pending; resolves once it (and any flush before it) is stored. */
  flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const batch = this.#pending;
    if (batch.length > 0) {
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#flushing = this.#flushing.then(async () => {
        try {
          const ids = await this.#appendWithRetry(
            batch.map(({ executionId, timestamp, outputType, data }) => ({
              executionId,
              timestamp,
              outputType,
              data,
            })),
          );
          // Live subscribers get the stored ids, so a replay followed by live events can dedupe.
          this.#bus.emit({
            type: 'output.appended',
            chunks: batch.map((chunk, i) => ({ ...chunk, id: ids[i] ?? 0 })),
          });
        } catch (error) {
          this.#onError(error);
        }
      });
    }
    return this.#flushing;
  }
}
