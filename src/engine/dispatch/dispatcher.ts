/**
 * The worker side: claims due executions from the store (the rows are the queue), runs each with
 * its runner inside a bounded pool, and records how each ended. The backlog lives in the store,
 * never in memory; this process only holds what it is running.
 *
 * Every claim carries a lease, renewed for all running executions in one statement every
 * `heartbeatMs`. The renewal's answer doubles as the periodic check on what other processes did
 * to those executions: one now `canceling` is stopped here (the cancel came through another API
 * process and its notification was missed), one no longer held (its lease expired while this
 * process was cut off, and another process ended it) is stopped too, its outcome no longer ours.
 */
import { hostname } from 'node:os';
import { isCompleted } from '../../domain/status.ts';
import { nowMicros } from '../../domain/time.ts';
import type { Action, ExecutionRecord, JsonObject, RunnerType } from '../../domain/types.ts';
import type { Runner, RunnerResult } from '../../runners/runner.ts';
import type { Store, Transition } from '../../store/store.ts';
import type { EventBus } from '../events.ts';
import type { SnapshotCache } from '../snapshot-cache.ts';
import type { RelaySignal } from '../cluster/event-relay.ts';
import type { OutputWriter } from './output-writer.ts';
import { transitionRetrying } from './transition-retry.ts';
import { cancelCompleted } from '../executions/transitions.ts';
import { runAction, type ActionToken } from './run-action.ts';
import { failure, runEnded } from './run-outcome.ts';

export interface DispatcherOptions {
  poolSize: number;
  /** Identifies this process as the owner of what it claims. */
  owner: string;
  /** Base URL actions can call back to (`ST2_ACTION_API_URL`). */
  apiUrl: string;
  /** Safety-net poll interval; wake-ups normally come from events and timers. */
  pollIntervalMs: number;
  /** The output writer's cap, reported on executions whose output was truncated. */
  maxOutputBytesPerStream: number;
  /** How long a claim lasts without renewal. */
  leaseMs: number;
  /** How often leases are renewed (well under `leaseMs`). */
  heartbeatMs: number;
}

export type { ActionToken } from './run-action.ts';

export interface DispatcherDeps {
  store: Store;
  bus: EventBus;
  snapshots: SnapshotCache;
  runners: ReadonlyMap<string, Runner>;
  output: OutputWriter;
  /**
   * A credential for an action to call the API as the execution's user (`ST2_ACTION_AUTH_TOKEN`,
   * as StackStorm gives every action); absent when authentication is off.
   */
  actionToken?: ((user: string) => Promise<ActionToken>) | undefined;
  onError: (error: unknown, context: string) => void;
}

interface Running {
  record: ExecutionRecord;
  abort: AbortController;
  done: Promise<void>;
}

/**
 * Why a run is being stopped; runners map `cancel` to `canceled` and anything else to `abandoned`.
 * `lost`: its lease expired and another process ended the execution.
 */
export type StopReason = 'cancel' | 'shutdown' | 'lost';

/**
 * Every worker hears of every new execution, and all of them but one then claim nothing. A worker
 * whose last claim came back empty lets further wake-ups from other processes wait this long, so
 * that under a stream of new executions the losers of the race do not each spend a query on
 * every one of them; the wake-ups in between coalesce into one claim.
 */
const LOST_RACE_BACKOFF_MS = 5;

export class Dispatcher {
  readonly #deps: DispatcherDeps;
  readonly #options: DispatcherOptions;
  readonly #running = new Map<string, Running>();
  #wakeQueued = false;
  #ticking = false;
  /**
   * Whether some execution may be waiting for a future run time. Only then does a pass look for
   * what to mark `delayed` and when to wake next: two queries that would otherwise run on every
   * pass, for nothing, under a steady stream of immediate work.
   */
  #delayedWork = true;
  /** Whether a `requested` execution with a future run time may need marking `delayed`. */
  #markPending = true;
  /** Pack folders by pack name; packs are registered at start, so a short memory is enough. */
  readonly #packPaths = new Map<string, { path: string | undefined; until: number }>();
  #again = false;
  #stopping = false;
  #dueTimer: NodeJS.Timeout | undefined;
  #pollTimer: NodeJS.Timeout | undefined;
  #heartbeatTimer: NodeJS.Timeout | undefined;
  #remoteWakeTimer: NodeJS.Timeout | undefined;
  #lastEmptyClaimAt = 0;
  #heartbeating = false;
  #started = false;
  readonly #runnerInfo: JsonObject = { hostname: hostname(), pid: process.pid };

  constructor(deps: DispatcherDeps, options: DispatcherOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  get runningCount(): number {
    return this.#running.size;
  }

  start(): void {
    this.#started = true;
    this.#heartbeatTimer = setInterval(() => void this.#heartbeat(), this.#options.heartbeatMs);
    this.#heartbeatTimer.unref();
    this.#pollTimer = setInterval(() => {
      this.#delayedWork = true;
      this.#markPending = true;
      this.wake();
    }, this.#options.pollIntervalMs);
    this.#pollTimer.unref();
    this.wake();
  }

  /** Tells the dispatcher a new execution is waiting; `delayed` when it is not due yet. */
  notifyCreated(delayed: boolean): void {
    if (delayed) {
      this.#delayedWork = true;
      this.#markPending = true;
    }
    this.wake();
  }

  /**
   * What another process did, as the event relay signals it: new or requeued work wakes this
   * dispatcher; a cancel (or an outside completion) of an execution running here stops it.
   */
  notifyRemote(signal: RelaySignal): void {
    if (signal.kind === 'reconnected') {
      // Wake-ups may have been missed while the connection was down.
      this.#delayedWork = true;
      this.#markPending = true;
      this.wake();
      return;
    }
    if (signal.status === 'requested' || signal.status === 'delayed') this.#remoteWake(signal.delayed);
    else if (signal.status === 'canceling' || isCompleted(signal.status)) this.stop(signal.id, 'cancel');
  }

  #remoteWake(delayed: boolean): void {
    if (delayed) {
      this.#delayedWork = true;
      this.#markPending = true;
    }
    const waitMs = this.#lastEmptyClaimAt + LOST_RACE_BACKOFF_MS - Date.now();
    if (waitMs <= 0) {
      this.wake();
      return;
    }
    this.#remoteWakeTimer ??= setTimeout(() => {
      this.#remoteWakeTimer = undefined;
      this.wake();
    }, waitMs);
  }

  /**
   * Renews the leases of everything running here, in one statement, and stops what is no longer
   * ours to run. Driven by a timer every `heartbeatMs`.
   */
  async #heartbeat(): Promise<void> {
    if (this.#heartbeating || this.#running.size === 0) return;
    this.#heartbeating = true;
    try {
      const ids = [...this.#running.keys()];
      const until = nowMicros() + this.#options.leaseMs * 1000;
      const held = new Map(
        (await this.#deps.store.renewLeases(this.#options.owner, ids, until)).map((h) => [h.id, h.status]),
      );
      for (const id of ids) {
        const status = held.get(id);
        if (status === undefined) this.stop(id, 'lost');
        else if (status === 'canceling') this.stop(id, 'cancel');
      }
    } catch (error) {
      this.#deps.onError(error, 'renewing leases failed');
    } finally {
      this.#heartbeating = false;
    }
  }

  /** Asks for a scheduling pass soon; many calls in a row coalesce into one. */
  wake(): void {
    if (this.#wakeQueued || this.#stopping || !this.#started) return;
    this.#wakeQueued = true;
    setImmediate(() => {
      this.#wakeQueued = false;
      void this.#tick();
    });
  }

  /** Stops the run of one execution this process is running; false if it is not running here. */
  stop(executionId: string, reason: StopReason): boolean {
    const running = this.#running.get(executionId);
    if (!running) return false;
    if (!running.abort.signal.aborted) running.abort.abort(reason);
    return true;
  }

  /**
   * Stops taking new work, gives running actions `graceMs` to finish, then stops the rest (they end
   * `abandoned`) and waits until every outcome is recorded.
   */
  async shutdown(graceMs: number): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#pollTimer);
    clearInterval(this.#heartbeatTimer);
    clearTimeout(this.#remoteWakeTimer);
    clearTimeout(this.#dueTimer);
    const all = () => Promise.allSettled([...this.#running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all(), new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const running of this.#running.values()) running.abort.abort('shutdown' satisfies StopReason);
    await all();
    await this.#deps.output.flush();
  }

  async #tick(): Promise<void> {
    if (this.#stopping) return;
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = true;
    try {
      const { store, bus } = this.#deps;
      const now = nowMicros();
      if (this.#markPending) {
        this.#markPending = false;
        for (const record of await store.markDelayed(now)) bus.emit({ type: 'execution.updated', record });
      }
      const free = this.#options.poolSize - this.#running.size;
      if (free > 0) {
        const lease = now + this.#options.leaseMs * 1000;
        const claimed = await store.claimDue(now, free, this.#options.owner, lease);
        if (claimed.length === 0) this.#lastEmptyClaimAt = Date.now();
        for (const record of claimed) {
          bus.emit({ type: 'execution.updated', record });
          this.#launch(record);
        }
      }
      if (this.#delayedWork) await this.#armDueTimer();
    } catch (error) {
      this.#deps.onError(error, 'scheduling pass failed');
    } finally {
      this.#ticking = false;
      if (this.#again) {
        this.#again = false;
        this.wake();
      }
    }
  }

  async #armDueTimer(): Promise<void> {
    const next = await this.#deps.store.nextDueAt();
    clearTimeout(this.#dueTimer);
    if (next === undefined) {
      this.#delayedWork = false;
      return;
    }
    const delayMs = Math.max(0, Math.ceil((next - nowMicros()) / 1000));
    // Due now but the pool is full: finishing runs will wake us.
    if (delayMs === 0 && this.#running.size >= this.#options.poolSize) return;
    this.#dueTimer = setTimeout(() => this.wake(), Math.min(delayMs, 60_000));
    this.#dueTimer.unref();
  }

  #launch(record: ExecutionRecord): void {
    const abort = new AbortController();
    const entry: Running = { record, abort, done: Promise.resolve() };
    this.#running.set(record.id, entry);
    entry.done = this.#runOne(record, abort.signal)
      .catch((error: unknown) => this.#deps.onError(error, `execution ${record.id} failed unexpectedly`))
      .finally(() => {
        this.#running.delete(record.id);
        this.wake();
      });
  }

  async #runOne(claimed: ExecutionRecord, signal: AbortSignal): Promise<void> {
    const { snapshots } = this.#deps;
    const record = await this.#apply({
      id: claimed.id,
      from: ['scheduled'],
      to: 'running',
      at: nowMicros(),
      runnerInfo: this.#runnerInfo,
    });
    if (!record) return; // canceled between claim and start
    const docs = await snapshots.getMany([record.actionSnapshotId, record.runnerSnapshotId]);
    const action = docs.get(record.actionSnapshotId) as unknown as Action | undefined;
    const runnerType = docs.get(record.runnerSnapshotId) as unknown as RunnerType | undefined;
    let outcome: RunnerResult;
    if (!action || !runnerType) {
      outcome = failure(`The stored copy of the action or runner type of execution ${record.id} is missing.`);
    } else {
      outcome = await this.#execute(record, action, runnerType, signal);
    }
    const truncation = await this.#deps.output.finish(record.id);
    // An asynchronous runner (a workflow) answers `running`: the execution carries on without this
    // run, and whoever drives it records the outcome. Its lease goes too, or the reaper would end
    // a long workflow as abandoned once nobody renewed it.
    if (outcome.status === 'running') {
      await this.#deps.store.releaseLeases(this.#options.owner, [record.id]);
      return;
    }
    const at = nowMicros();
    const ended = runEnded(record.id, outcome, truncation, this.#options.maxOutputBytesPerStream, at);
    // Asked to cancel meanwhile: it ends canceled, keeping the cancel result.
    const finished = await this.#apply(ended);
    if (!finished) await this.#apply(cancelCompleted(record.id, at));
  }

  #execute(
    record: ExecutionRecord,
    action: Action,
    runnerType: RunnerType,
    signal: AbortSignal,
  ): Promise<RunnerResult> {
    return runAction(
      {
        runners: this.#deps.runners,
        output: this.#deps.output,
        bus: this.#deps.bus,
        actionToken: this.#deps.actionToken,
        onError: this.#deps.onError,
        apiUrl: this.#options.apiUrl,
        packPath: (pack) => this.#packPath(pack),
      },
      { record, action, runnerType, signal },
    );
  }

  async #packPath(pack: string): Promise<string | undefined> {
    const cached = this.#packPaths.get(pack);
    const now = Date.now();
    if (cached && cached.until > now) return cached.path;
    const path = (await this.#deps.store.getPack(pack))?.path;
    this.#packPaths.set(pack, { path, until: now + 10_000 });
    return path;
  }

  /** Applies one of this run's status changes, riding out a database blip (transition-retry.ts). */
  async #apply(change: Transition): Promise<ExecutionRecord | undefined> {
    const record = await transitionRetrying(this.#deps.store, change, this.#options.leaseMs);
    if (record) this.#deps.bus.emit({ type: 'execution.updated', record });
    return record;
  }
}
