/**
 * The one storage interface, in domain verbs. SQLite (embedded default) and PostgreSQL (scale-out)
 * each implement it and pass the same contract suite (`contract/`). Every method is async so a
 * networked backend fits; the embedded backend resolves immediately.
 *
 * Invariants every backend keeps:
 * - results live apart from the execution row; nothing here that returns executions loads results;
 * - a status change is conditional (`from`) and appends one `log` entry, atomically;
 * - output chunks are returned in the order they were appended;
 * - JSON documents come back with their keys in the order stored (the wire shows that order).
 */
import type { ApiKeyRecord, TokenRecord } from '../domain/credentials.ts';
import type { DistinctColumn, ExecutionQuery } from '../domain/execution-query.ts';
import type { KeyValueFilter, KeyValueRecord, KeyValueScope } from '../domain/key-value.ts';
import type { ExecutionStatus } from '../domain/status.ts';
import type { Action, ExecutionRecord, Json, JsonObject, OutputChunk, Pack } from '../domain/types.ts';

/** An action as stored: its document plus the id of the snapshot new executions embed. */
export interface StoredAction {
  action: Action;
  snapshotId: string;
}

export interface ActionFilter {
  ids?: readonly string[];
  name?: string;
  pack?: string;
  /** Matches actions carrying a tag with this name. */
  tag?: string;
}

export interface Page {
  /** null: no limit. */
  limit: number | null;
  offset: number;
}

export interface PageOf<T> {
  items: T[];
  total: number;
}

/** A conditional status change with whatever else changes with it. */
export interface Transition {
  id: string;
  /** Only apply when the current status is one of these. */
  from: readonly ExecutionStatus[];
  to: ExecutionStatus;
  /** Time of the change, microseconds: the `log` entry's timestamp. */
  at: number;
  /** Set `end_timestamp` (completed states). */
  endTimestamp?: number;
  /** Replace the stored result with this serialized JSON and record its byte size. */
  result?: { json: string; size: number };
  /** Shallow-merged into `liveaction.runner_info`. */
  runnerInfo?: JsonObject;
  /** Shallow-merged into `context`. */
  contextPatch?: JsonObject;
  /** Worker that now owns the execution (null releases it). */
  owner?: string | null;
  /**
   * When `to` is `requested`/`delayed`: the time (microseconds) it becomes due for `claimDue`, e.g.
   * a concurrency policy re-queueing it 2.5 s later. Default: the run time it already had, else `at`.
   * Ignored for other statuses (leaving the queue clears the run time).
   */
  runAt?: number;
}

/** A window on an execution's output: chunks after `afterId`, at most `limit` of them. */
export interface OutputPage {
  afterId: number;
  limit: number;
}

/** An execution a worker holds a lease on, as a lease renewal found it. */
export interface HeldExecution {
  id: string;
  status: ExecutionStatus;
}

/**
 * What a broadcast message is about: `work` (something to run or to stop: every process hears it)
 * or `events` (everything else streams show: only processes serving streams hear it).
 */
export type BroadcastTopic = 'work' | 'events';

export interface BroadcastMessage {
  topic: BroadcastTopic;
  text: string;
}

/**
 * Messages between the processes sharing one database (PostgreSQL's LISTEN/NOTIFY). Embedded
 * stores serve one process and have none. Delivery is at most once: a process that was cut off
 * is told (`onReconnect`) and must catch up by reading the store.
 */
export interface Broadcast {
  /** The largest message, in bytes, `send` accepts. */
  readonly maxMessageBytes: number;
  /**
   * Sends to every process listening to the message's topic (this one included), in the order
   * given and of calls, whatever the topics.
   */
  send(messages: readonly BroadcastMessage[]): Promise<void>;
  /**
   * Starts listening to `topics`; resolves once listening. After a lost connection it reconnects
   * by itself, listens again and then calls `onReconnect`.
   */
  listen(
    topics: readonly BroadcastTopic[],
    handlers: { onMessage(message: string): void; onReconnect(): void },
  ): Promise<void>;
  close(): Promise<void>;
}

/** New output to append; the store assigns ids and keeps the order given. */
export interface NewOutputChunk {
  executionId: string;
  timestamp: number;
  outputType: string;
  data: string;
}

/** Which evaluator a persisted workflow belongs to. */
export type WorkflowKind = 'orquesta' | 'action-chain';

/**
 * A workflow's persisted state: the evaluator's JSON plus the engine's bookkeeping, serialized by
 * the engine (the store does not look inside). Saved after every step, so a restarted process
 * continues from it.
 */
export interface WorkflowRecord {
  /** The workflow execution id (StackStorm's WorkflowExecution; for a chain, its execution id). */
  id: string;
  /** The action execution the workflow runs for (re-pointed by a re-run from tasks). */
  executionId: string;
  kind: WorkflowKind;
  /** Whether the workflow reached a completed state; recovery looks only at unfinished ones. */
  finished: boolean;
  /** Serialized JSON document. */
  state: string;
  /**
   * The saved version this record was read at (0: not saved yet). `saveWorkflow` stores it only if
   * the stored one is still this, then moves it on by one.
   */
  version: number;
}

export interface Store {
  // --- packs, actions and the snapshots executions embed ---
  savePack(pack: Pack): Promise<void>;
  getPack(ref: string): Promise<Pack | undefined>;
  /** Insert or replace (by ref) an action; stores its snapshot and returns the stored form. */
  saveAction(action: Action): Promise<StoredAction>;
  /** By `pack.name` ref or by id. */
  getAction(refOrId: string): Promise<StoredAction | undefined>;
  listActions(filter: ActionFilter, page: Page): Promise<PageOf<Action>>;
  deleteAction(id: string): Promise<boolean>;
  /** Content-addressed, immutable documents: snapshots of actions and runner types. */
  putSnapshot(id: string, doc: JsonObject): Promise<void>;
  getSnapshots(ids: readonly string[]): Promise<Map<string, JsonObject>>;

  // --- executions ---
  /** Inserts a new execution; `result` (serialized JSON) when it is created with one. */
  createExecution(record: ExecutionRecord, result?: { json: string; size: number }): Promise<void>;
  getExecution(id: string): Promise<ExecutionRecord | undefined>;
  /** The execution with the highest id (StackStorm's `last`). */
  lastExecutionId(): Promise<string | undefined>;
  /**
   * Executions matching every condition, in `orderBy` order (when empty, StackStorm's default:
   * start time descending, then action ref), `id` breaking the remaining ties in the direction of
   * the first key. Text compares bytewise; NULL sorts first ascending and last descending (as in
   * MongoDB). JSON and snapshot paths compare the value's text: strings as they are, numbers in
   * decimal, booleans as `true`/`false`; a missing path and JSON null are both `absent`.
   * `total` is the number of matches ignoring limit and offset, or -1 unless `countTotal`.
   */
  listExecutions(query: ExecutionQuery): Promise<PageOf<ExecutionRecord>>;
  /** Child ids of each given execution in creation order (start time, then id); [] when none. */
  childrenOf(parentIds: readonly string[]): Promise<Map<string, string[]>>;
  /** Each value present in the column once; null among them when some execution has none. */
  distinctValues(column: DistinctColumn): Promise<Json[]>;
  /** Serialized results, for the ids that have one. */
  getResults(ids: readonly string[]): Promise<Map<string, string>>;
  /** Applies a conditional transition; the updated record, or undefined if `from` did not match. */
  transition(change: Transition): Promise<ExecutionRecord | undefined>;

  // --- the queue: the execution rows are the queue ---
  /** Moves `requested` executions whose run time is in the future to `delayed`. */
  markDelayed(now: number): Promise<ExecutionRecord[]>;
  /**
   * Claims up to `limit` due executions (`requested`/`delayed` with run time ≤ now), oldest first,
   * moving them to `scheduled` and recording `owner`. No two callers ever claim the same one.
   * `leaseUntil` (µs): the claim's lease, which `renewLeases` extends and `expireLeases` ends;
   * without one the claim never expires.
   */
  claimDue(now: number, limit: number, owner: string, leaseUntil?: number): Promise<ExecutionRecord[]>;
  /** Earliest run time among `requested`/`delayed` executions, if any. */
  nextDueAt(): Promise<number | undefined>;
  /** Executions in the given statuses (startup recovery). */
  listByStatus(statuses: readonly ExecutionStatus[]): Promise<ExecutionRecord[]>;

  // --- leases: which worker runs what, for as long as it keeps saying so ---
  /**
   * Extends to `until` (µs) the leases `owner` holds on `ids` that are still in flight
   * (`scheduled`, `running`, `canceling`), in one statement; returns those, with their status.
   * An id missing from the answer is no longer this owner's to run (canceled, or its lease expired).
   */
  renewLeases(owner: string, ids: readonly string[], until: number): Promise<HeldExecution[]>;
  /**
   * Gives up `owner`'s claim and lease on `ids` without changing their status: an execution that
   * carries on without a process of its own (a workflow, driven by its children's events) must
   * not be reaped as abandoned when nobody renews it.
   */
  releaseLeases(owner: string, ids: readonly string[]): Promise<void>;
  /**
   * Ends up to `limit` leases that expired before `now` (µs), skipping `exceptOwner`'s, and those
   * of `deadOwners` whatever their expiry: `scheduled` goes back to `requested` (nothing ran yet),
   * `running` ends `abandoned` with `result`, and `canceling` ends `canceled`;
   * `context.lease_expired` names the worker. Several processes may call it at once: each lease
   * is ended by exactly one. Returns the changed executions.
   */
  expireLeases(
    now: number,
    limit: number,
    result: { json: string; size: number },
    exceptOwner?: string,
    deadOwners?: readonly string[],
  ): Promise<ExecutionRecord[]>;
  /** The workers holding leases now. */
  leaseOwners(): Promise<string[]>;
  /** The executions with these ids that exist, in id order. */
  getExecutions(ids: readonly string[]): Promise<ExecutionRecord[]>;
  /** Messages between the processes sharing this store, or undefined for an embedded store. */
  openBroadcast(): Promise<Broadcast | undefined>;

  // --- output ---
  /**
   * Appends in the order given; resolves with the ids assigned, in that order. Ids increase with
   * append order, so a reader can tell a chunk it has already seen (live streams dedupe by id).
   */
  appendOutput(chunks: readonly NewOutputChunk[]): Promise<number[]>;
  /** Stored output of one execution in append order, optionally of one output type. */
  listOutput(executionId: string, outputType?: string, page?: OutputPage): Promise<OutputChunk[]>;
  /** Output chunks by id (those that exist), in id order. */
  getOutputChunks(ids: readonly number[]): Promise<OutputChunk[]>;
  /** Up to `limit` chunks of any execution with an id above `afterId`, in id order (catch-up reads). */
  outputAfter(afterId: number, limit: number): Promise<OutputChunk[]>;

  // --- workflows ---
  /** Inserts or replaces (by id) a workflow's persisted state. */
  /**
   * Stores a workflow's state if nobody saved it since `record.version` was read (or, for version
   * 0, if it does not exist yet); false when someone did, and nothing is written. Processes
   * sharing the database step a workflow in turn this way, never overwriting each other.
   */
  saveWorkflow(record: WorkflowRecord): Promise<boolean>;
  getWorkflow(id: string): Promise<WorkflowRecord | undefined>;
  /** The workflow an action execution currently runs, if any. */
  getWorkflowByExecution(executionId: string): Promise<WorkflowRecord | undefined>;
  /** Every workflow not yet finished (startup recovery), oldest first. */
  listUnfinishedWorkflows(): Promise<WorkflowRecord[]>;

  // --- retention ---
  /**
   * Deletes up to `limit` completed executions that started before `before` (µs), oldest first,
   * with their results, output and the workflow each ran for; how many went. Callers repeat
   * until it returns less than `limit`, so no single call holds the database for long.
   */
  deleteExecutionsBefore(before: number, limit: number): Promise<number>;
  /** Deletes up to `limit` output chunks stored before `before` (µs), oldest first; how many went. */
  deleteOutputBefore(before: number, limit: number): Promise<number>;

  // --- credentials: only hashes are stored ---
  saveToken(token: TokenRecord): Promise<void>;
  getTokenByHash(tokenHash: string): Promise<TokenRecord | undefined>;
  /** Deletes tokens that expired before `before` (µs); how many went. */
  deleteTokensExpiredBefore(before: number): Promise<number>;
  /** Whether a token with this id existed (it does not any more). */
  deleteToken(id: string): Promise<boolean>;
  /** Inserts or replaces (by id) an API key. */
  saveApiKey(key: ApiKeyRecord): Promise<void>;
  /** By id or by key hash. */
  getApiKey(idOrHash: string): Promise<ApiKeyRecord | undefined>;
  /** In creation order (id). */
  listApiKeys(page: Page): Promise<PageOf<ApiKeyRecord>>;
  deleteApiKey(id: string): Promise<boolean>;

  // --- the datastore ---
  /** Inserts or replaces (by scope, user and name) an item; an existing item keeps its id. */
  putKeyValue(item: KeyValueRecord): Promise<KeyValueRecord>;
  /** The item unless it is missing or expired at `now` (µs). */
  getKeyValue(
    scope: KeyValueScope,
    user: string,
    name: string,
    now: number,
  ): Promise<KeyValueRecord | undefined>;
  /** Items in (scope, user, name) order. */
  listKeyValues(filter: KeyValueFilter, page: Page): Promise<PageOf<KeyValueRecord>>;
  deleteKeyValue(scope: KeyValueScope, user: string, name: string): Promise<boolean>;

  close(): Promise<void>;
}
