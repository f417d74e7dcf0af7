/**
 * Garbage collection of old executions and output (StackStorm's `action_executions_ttl` and
 * `action_executions_output_ttl`): deleted in small batches, yielding to the event loop between
 * batches, so collecting millions of rows never stalls the API.
 */
import type { Store } from '../store/store.ts';

export interface RetentionPolicy {
  /** Completed executions older than this many days go (with results and output); 0 keeps them. */
  executionsTtlDays: number;
  /** Output older than this many days goes; 0 keeps it. */
  outputTtlDays: number;
  /** Rows per delete statement. */
  batchSize: number;
}

export interface CollectionReport {
  executions: number;
  output: number;
}

const DAY_MICROS = 24 * 3600 * 1_000_000;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function collectGarbage(
  store: Store,
  policy: RetentionPolicy,
  nowMicros: number,
): Promise<CollectionReport> {
  const report: CollectionReport = { executions: 0, output: 0 };
  if (policy.executionsTtlDays > 0) {
    const before = nowMicros - policy.executionsTtlDays * DAY_MICROS;
    for (;;) {
      const deleted = await store.deleteExecutionsBefore(before, policy.batchSize);
      report.executions += deleted;
      if (deleted < policy.batchSize) break;
      await yieldToEventLoop();
    }
  }
  if (policy.outputTtlDays > 0) {
    const before = nowMicros - policy.outputTtlDays * DAY_MICROS;
    for (;;) {
      const deleted = await store.deleteOutputBefore(before, policy.batchSize);
      report.output += deleted;
      if (deleted < policy.batchSize) break;
      await yieldToEventLoop();
    }
  }
  return report;
}

/** Runs `collectGarbage` every `intervalMs`; a pass still running when the next is due is not doubled. */
export class RetentionTimer {
  readonly #store: Store;
  readonly #policy: RetentionPolicy;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #onReport: (report: CollectionReport) => void;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    store: Store,
    policy: RetentionPolicy,
    options: {
      intervalMs: number;
      now: () => number;
      onReport: (report: CollectionReport) => void;
      onError: (error: unknown) => void;
    },
  ) {
    this.#store = store;
    this.#policy = policy;
    this.#intervalMs = options.intervalMs;
    this.#now = options.now;
    this.#onReport = options.onReport;
    this.#onError = options.onError;
  }

  start(): void {
    if (this.#policy.executionsTtlDays <= 0 && this.#policy.outputTtlDays <= 0) return;
    this.#timer = setInterval(() => this.#pass(), this.#intervalMs);
    this.#timer.unref();
    this.#pass();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  #pass(): void {
    if (this.#running) return;
    this.#running = collectGarbage(this.#store, this.#policy, this.#now())
      .then(
        (report) => {
          if (report.executions + report.output > 0) this.#onReport(report);
        },
        (error: unknown) => this.#onError(error),
      )
      .finally(() => {
        this.#running = undefined;
      });
  }
}
