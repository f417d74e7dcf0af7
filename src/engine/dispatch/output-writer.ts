/**
 * Collects output from running actions and stores it in batches: one transaction per flush for all
 * executions, consecutive writes to the same stream merged into one chunk. Runners call `write`
 * synchronously on every pipe read, so it only appends to memory; storing happens on a short timer
 * (so `/output` of a running execution lags by at most `flushIntervalMs`) or as soon as the pending
 * bytes pass a bound, which keeps memory flat whatever an action prints.
 */
import { nowMicros } from '../../domain/time.ts';
import type { OutputSink, OutputStream } from '../../runners/runner.ts';
import type { NewOutputChunk, Store } from '../../store/store.ts';
import type { EventBus } from '../events.ts';

export interface OutputWriterOptions {
  flushIntervalMs: number;
  /** Pending bytes that trigger an immediate flush. */
  maxPendingBytes: number;
  /** Bytes stored per execution and stream; output past it is not stored. */
  maxStoredBytesPerStream: number;
}

interface StreamState {
  stored: number;
}

export interface ExecutionOutputInfo {
  executionId: string;
  actionRef: string;
  runnerRef: string;
}

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
      if (!s) this.#streams.set(key, (s = { stored: 0 }));
      return s;
    };
    return {
      write: (stream, data) => this.#write(info, state(stream), stream, data),
    };
  }

  /** Forgets per-execution bookkeeping once its output is complete and flushed. */
  async finish(executionId: string): Promise<void> {
    await this.flush();
    this.#streams.delete(`${executionId}:stdout`);
    this.#streams.delete(`${executionId}:stderr`);
  }

  #write(info: ExecutionOutputInfo, state: StreamState, stream: OutputStream, data: string): void {
    if (data.length === 0) return;
    const room = this.#options.maxStoredBytesPerStream - state.stored;
    if (room <= 0) return;
    let text = data;
    let bytes = Buffer.byteLength(text);
    if (bytes > room) {
      text = Buffer.from(text).subarray(0, room).toString('utf8');
      bytes = Buffer.byteLength(text);
    }
    state.stored += bytes;
    const last = this.#pending[this.#pending.length - 1];
    if (last && last.executionId === info.executionId && last.outputType === stream) {
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
          await this.#store.appendOutput(
            batch.map(({ executionId, timestamp, outputType, data }) => ({
              executionId,
              timestamp,
              outputType,
              data,
            })),
          );
          this.#bus.emit({ type: 'output.appended', chunks: batch });
        } catch (error) {
          this.#onError(error);
        }
      });
    }
    return this.#flushing;
  }
}
