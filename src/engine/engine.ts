/**
 * The engine: everything between the API and the store. It owns the event bus, the action
 * catalogue, execution creation and the dispatcher, and offers the read side the API needs.
 */
import { randomBytes } from 'node:crypto';
import { Datastore } from './datastore/datastore.ts';
import { UnknownResourceError, ValidationError } from '../domain/errors.ts';
import type { DistinctColumn, ExecutionQuery } from '../domain/execution-query.ts';
import type { ExecutionRecord, Json, JsonObject, OutputChunk, RunnerType } from '../domain/types.ts';
import type { Runner } from '../runners/runner.ts';
import type { Broadcast, PageOf, Store } from '../store/store.ts';
import { EventRelay } from './cluster/event-relay.ts';
import { LeaseReaper } from './dispatch/lease-reaper.ts';
import { ActionCatalog } from './catalog/action-catalog.ts';
import { Dispatcher } from './dispatch/dispatcher.ts';
import { OutputWriter } from './dispatch/output-writer.ts';
import { EventBus } from './events.ts';
import type { CreateOptions, ExecutionRequest } from './executions/create-execution.ts';
import { ExecutionCreator } from './executions/create-execution.ts';
import type { ActionToken } from './dispatch/dispatcher.ts';
import { ExecutionControl } from './executions/control.ts';
import { Inquiries } from './inquiries/inquiries.ts';
import { recoverInterrupted, type RecoveryReport } from './recovery.ts';
import { RetentionTimer, type CollectionReport, type RetentionPolicy } from './retention.ts';
import { nowMicros } from '../domain/time.ts';
import { RunnerTypeRegistry } from './runner-types.ts';
import { SnapshotCache } from './snapshot-cache.ts';
import type { InspectionError } from '../workflow/orquesta/index.ts';
import { inspectDefinition } from './workflows/starts.ts';
import { recoverWorkflows } from './workflows/workflow-recovery.ts';
import { createWorkflowRunners } from './workflows/workflow-runners.ts';
import { WorkflowService } from './workflows/workflow-service.ts';

/** Output chunks read per query when streaming stored output. */
/**
 * Stored chunks read per page when replaying output. Small on purpose: a page is held across the
 * awaits of writing it out, and with the lean young generation `npm start` runs with, 32 pages of
 * 64 KiB survived long enough to be promoted, so each 64 MiB replay grew the old space (and the
 * resident memory) by tens of megabytes. Four chunks die young; SQLite reads them just as fast.
 */
const OUTPUT_PAGE = 4;

/**
 * What this process does: `api` serves HTTP and never runs actions, `worker` runs actions, `all`
 * both. Several processes need a shared (PostgreSQL) store.
 */
export type EngineRole = 'api' | 'worker' | 'all';

export interface EngineOptions {
  runnerPoolSize: number;
  /** Default `all`. */
  role?: EngineRole;
  /** How long a worker's claim on an execution lasts without renewal; default 30 s. */
  leaseMs?: number;
  retention?: RetentionPolicy & { intervalMs: number };
  owner: string;
  /**
   * Tells a lease holder known to be dead (a process of this machine that is gone, see
   * cluster/owner-id.ts): its leases end at once rather than when they expire.
   */
  deadOwner?: (owner: string) => boolean;
  apiUrl: string;
  outputFlushMs?: number;
  maxOutputBytesPerStream?: number;
  onError: (error: unknown, context: string) => void;
  /** Told what each garbage collection pass deleted. */
  onRetention?: (report: CollectionReport) => void;
  /** How often pending inquiries are checked for an expired TTL; default a minute (TTLs are in minutes). */
  inquiryCheckMs?: number;
}

export interface EngineDeps {
  store: Store;
  runnerTypes: readonly RunnerType[];
  runners: ReadonlyMap<string, Runner>;
  /** Key for secret datastore values (the data directory's key file); default: one per process. */
  datastoreKey?: Buffer;
  /**
   * Issues the token an action calls the API with, as the execution's user (none without auth),
   * and how to revoke it once the action is over.
   */
  actionToken?: (user: string) => Promise<ActionToken>;
  /** A pack's configuration (`config_context` in parameter templates); without it, empty. */
  packConfig?: (pack: string) => Promise<JsonObject>;
}

export class Engine {
  readonly bus: EventBus;
  readonly actions: ActionCatalog;
  readonly runnerTypes: RunnerTypeRegistry;
  /** Cancel, update and re-run of existing executions. */
  readonly control: ExecutionControl;
  /** StackStorm's key-value store. */
  readonly datastore: Datastore;
  readonly #store: Store;
  readonly #snapshots: SnapshotCache;
  readonly #creator: ExecutionCreator;
  readonly #dispatcher: Dispatcher;
  readonly #output: OutputWriter;
  readonly #retention: RetentionTimer | undefined;
  /** Orquesta and ActionChain workflows: their state, children and control. */
  readonly workflows: WorkflowService;
  /** Executions of the `inquirer` runner waiting for an answer. */
  readonly inquiries: Inquiries;
  readonly #inquiryCheckMs: number;
  #apiUrl: string;
  readonly #role: EngineRole;
  /** Set when the store is shared with other processes. */
  readonly #relay: EventRelay | undefined;
  readonly #reaper: LeaseReaper | undefined;

  private constructor(
    deps: EngineDeps,
    options: EngineOptions,
    registry: RunnerTypeRegistry,
    snapshots: SnapshotCache,
    bus: EventBus,
    broadcast: Broadcast | undefined,
  ) {
    this.#role = options.role ?? 'all';
    this.#apiUrl = options.apiUrl;
    // Read on every use: the URL may be settled only once the server listens (see useApiUrl).
    const currentApiUrl = (): string => this.#apiUrl;
    const leaseMs = options.leaseMs ?? 30_000;
    this.#store = deps.store;
    this.bus = bus;
    this.#snapshots = snapshots;
    this.runnerTypes = registry;
    this.actions = new ActionCatalog(deps.store, registry);
    this.datastore = new Datastore(deps.store, deps.datastoreKey ?? randomBytes(32));
    this.#creator = new ExecutionCreator({
      store: deps.store,
      runnerTypes: registry,
      bus,
      datastore: this.datastore,
      ...(deps.packConfig ? { packConfig: deps.packConfig } : {}),
    });
    const maxOutputBytesPerStream = options.maxOutputBytesPerStream ?? 64 * 1024 * 1024;
    this.#output = new OutputWriter(
      deps.store,
      bus,
      {
        flushIntervalMs: options.outputFlushMs ?? 50,
        maxPendingBytes: 256 * 1024,
        maxStoredBytesPerStream: maxOutputBytesPerStream,
      },
      (error) => options.onError(error, 'storing output failed'),
    );
    this.#dispatcher = new Dispatcher(
      {
        store: deps.store,
        bus,
        snapshots,
        // The workflow runners hand their executions to the workflow service (created below).
        runners: new Map([
          ...deps.runners,
          ...createWorkflowRunners((executionId) => this.workflows.start(executionId)),
        ]),
        output: this.#output,
        actionToken: deps.actionToken,
        onError: options.onError,
      },
      {
        poolSize: options.runnerPoolSize,
        owner: options.owner,
        get apiUrl() {
          return currentApiUrl();
        },
        pollIntervalMs: 2000,
        maxOutputBytesPerStream,
        leaseMs,
        heartbeatMs: Math.max(100, Math.floor(leaseMs / 3)),
      },
    );
    if (broadcast) {
      this.#relay = new EventRelay(deps.store, bus, broadcast, {
        origin: options.owner,
        // A worker serves no streams: it needs to hear only of work.
        topics: this.#role === 'worker' ? ['work'] : ['work', 'events'],
        onSignal: (signal) => this.#dispatcher.notifyRemote(signal),
        onError: options.onError,
      });
      this.#reaper = new LeaseReaper(deps.store, bus, {
        intervalMs: Math.max(100, Math.floor(leaseMs / 4)),
        owner: options.owner,
        deadOwner: options.deadOwner,
        onError: (error) => options.onError(error, 'ending expired leases failed'),
      });
    }
    this.#retention = options.retention
      ? new RetentionTimer(deps.store, options.retention, {
          intervalMs: options.retention.intervalMs,
          now: nowMicros,
          onReport: options.onRetention ?? (() => undefined),
          onError: (error) => options.onError(error, 'garbage collection failed'),
        })
      : undefined;
    this.control = new ExecutionControl({
      store: deps.store,
      bus,
      creator: this.#creator,
      stopRun: (id, reason) => this.#dispatcher.stop(id, reason),
      othersMayRun: broadcast !== undefined,
    });
    this.workflows = new WorkflowService({
      store: deps.store,
      bus,
      creator: this.#creator,
      control: this.control,
      runnerTypes: registry,
      get apiUrl() {
        return currentApiUrl();
      },
      shared: broadcast !== undefined,
      datastore: this.datastore,
      onError: options.onError,
    });
    this.inquiries = new Inquiries({
      store: deps.store,
      bus,
      control: this.control,
      getExecution: (id) => this.getExecution(id),
      onError: options.onError,
    });
    this.#inquiryCheckMs = options.inquiryCheckMs ?? 60_000;
    bus.subscribe((event) => {
      if (event.type === 'execution.created') this.#dispatcher.notifyCreated(event.record.delay > 0);
    });
  }

  static async create(deps: EngineDeps, options: EngineOptions): Promise<Engine> {
    const bus = new EventBus((error) => options.onError(error, 'event listener failed'));
    const snapshots = new SnapshotCache(deps.store);
    const registry = await RunnerTypeRegistry.register(deps.store, snapshots, deps.runnerTypes);
    const broadcast = await deps.store.openBroadcast();
    return new Engine(deps, options, registry, snapshots, bus, broadcast);
  }

  /**
   * Starts taking work. On an embedded store this process is the only one, so whatever the store
   * says was in flight belonged to a previous run of it and is recovered at once. On a shared
   * store other processes' work is in flight too: leases tell the dead from the living instead.
   */
  async start(): Promise<RecoveryReport> {
    let report: RecoveryReport = { requeued: 0, abandoned: 0, canceled: 0 };
    if (this.#relay) {
      await this.#relay.start();
      this.#reaper?.start();
    } else {
      report = await recoverInterrupted(this.#store, (record) =>
        this.bus.emit({ type: 'execution.updated', record }),
      );
    }
    await recoverWorkflows(this.#store, this.workflows);
    if (this.#role !== 'api') this.#dispatcher.start();
    this.#retention?.start();
    if (this.#role !== 'api') this.inquiries.start(this.#inquiryCheckMs, nowMicros);
    return report;
  }

  async shutdown(graceMs: number): Promise<void> {
    await this.#retention?.stop();
    await this.inquiries.stop();
    await this.#reaper?.stop();
    await this.#dispatcher.shutdown(graceMs);
    await this.workflows.idle();
    // Last, so that the outcomes just recorded still reach the other processes.
    await this.#relay?.stop();
  }

  /**
   * The API URL actions call back (`ST2_ACTION_API_URL`) and workflows see (`st2.api_url`), once
   * it is known: a server asked for any free port learns its own only when it listens.
   */
  useApiUrl(url: string): void {
    this.#apiUrl = url;
  }

  /** StackStorm's workflow inspection (`POST /api/v1/workflows/inspect`). */
  inspectWorkflow(definition: string): Promise<InspectionError[]> {
    return inspectDefinition({ store: this.#store, runnerTypes: this.runnerTypes }, definition);
  }

  // --- executions: write side ---

  createExecution(request: ExecutionRequest, options: CreateOptions): Promise<ExecutionRecord> {
    return this.#creator.create(request, options);
  }

  // --- executions: read side ---

  /** By id, or `last` for the newest; 404 with StackStorm's message when unknown. */
  async getExecution(id: string, options: { allowLast?: boolean } = {}): Promise<ExecutionRecord> {
    let target = id;
    if (options.allowLast && id === 'last') {
      const last = await this.#store.lastExecutionId();
      if (!last) throw new ValidationError('No executions found in the database');
      target = last;
    }
    const record = await this.#store.getExecution(target);
    if (!record) throw new UnknownResourceError(id);
    return record;
  }

  findExecution(id: string): Promise<ExecutionRecord | undefined> {
    return this.#store.getExecution(id);
  }

  listExecutions(query: ExecutionQuery): Promise<PageOf<ExecutionRecord>> {
    return this.#store.listExecutions(query);
  }

  childrenOf(ids: readonly string[]): Promise<Map<string, string[]>> {
    return this.#store.childrenOf(ids);
  }

  /** Every descendant of `id` in depth-first pre-order, down to `depth` levels (≤ 0: all). */
  async descendants(id: string, depth: number): Promise<ExecutionRecord[]> {
    const out: ExecutionRecord[] = [];
    const walk = async (parentId: string, level: number): Promise<void> => {
      const childIds = (await this.#store.childrenOf([parentId])).get(parentId) ?? [];
      for (const childId of childIds) {
        const child = await this.#store.getExecution(childId);
        if (!child) continue;
        out.push(child);
        if (depth <= 0 || level < depth) await walk(child.id, level + 1);
      }
    };
    await walk(id, 1);
    return out;
  }

  async snapshots(ids: Iterable<string>): Promise<Map<string, JsonObject>> {
    return this.#snapshots.getMany(ids);
  }

  getResults(ids: readonly string[]): Promise<Map<string, string>> {
    return this.#store.getResults(ids);
  }

  distinctValues(column: DistinctColumn): Promise<Json[]> {
    return this.#store.distinctValues(column);
  }

  /**
   * An execution's stored output, page by page, so that even capped-size output (tens of MB) is
   * never held in memory at once.
   */
  async *outputChunks(executionId: string, outputType?: string): AsyncGenerator<OutputChunk> {
    let afterId = 0;
    for (;;) {
      const page = await this.#store.listOutput(executionId, outputType, { afterId, limit: OUTPUT_PAGE });
      yield* page;
      const last = page[page.length - 1];
      if (!last || page.length < OUTPUT_PAGE) return;
      afterId = last.id;
    }
  }
}
