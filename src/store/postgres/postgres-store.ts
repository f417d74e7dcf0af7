/**
 * The Store on PostgreSQL, for scale-out: any number of processes share one database, and the
 * execution rows are the queue. Each operation is one statement on a pooled connection (a few
 * need two, without a transaction); PostgreSQL's own concurrency control keeps them apart, so
 * unlike the SQLite store there is no group commit here: concurrent commits already share WAL
 * flushes in PostgreSQL.
 *
 * No action cache either: other processes write actions too, and a lookup by ref is one index
 * probe.
 */
import type { Pool } from 'pg';
import type { DistinctColumn, ExecutionQuery } from '../../domain/execution-query.ts';
import type { ExecutionStatus } from '../../domain/status.ts';
import type { Action, ExecutionRecord, Json, JsonObject, OutputChunk, Pack } from '../../domain/types.ts';
import { rowToRecord, type ExecutionRow } from '../execution-row.ts';
import type {
  ActionFilter,
  Broadcast,
  HeldExecution,
  NewOutputChunk,
  OutputPage,
  Page,
  PageOf,
  Store,
  StoredAction,
  Transition,
  WorkflowRecord,
} from '../store.ts';
import type { ApiKeyRecord, TokenRecord } from '../../domain/credentials.ts';
import type { KeyValueFilter, KeyValueRecord, KeyValueScope } from '../../domain/key-value.ts';
import { createCatalog, type Catalog } from './catalog.ts';
import { createCredentials, type Credentials } from './credentials.ts';
import { createKeyValues, type KeyValues } from './key-values.ts';
import { rowsOf, valueOf } from './connection-pool.ts';
import { createExecutionQueue, type ExecutionQueue } from './execution-queue.ts';
import { createExecutionReads, type ExecutionReads } from './execution-reads.ts';
import { createExecutionWrites, type ExecutionWrites, type SerializedResult } from './execution-writes.ts';
import { compileListQuery } from './list-query.ts';
import { OutputStore } from './output.ts';
import { createRetention, type Retention } from './retention.ts';
import { createWorkflows, type WorkflowTable } from './workflows.ts';
import { PostgresBroadcast } from './broadcast.ts';
import { createLeases, type Leases } from './leases.ts';

/** Where the store's LISTEN connection connects to, and the schema naming its channel. */
export interface BroadcastTarget {
  url: string;
  schema: string;
}

export class PostgresStore implements Store {
  readonly #pool: Pool;
  readonly #catalog: Catalog;
  readonly #writes: ExecutionWrites;
  readonly #reads: ExecutionReads;
  readonly #queue: ExecutionQueue;
  readonly #output: OutputStore;
  readonly #retention: Retention;
  readonly #workflows: WorkflowTable;
  readonly #credentials: Credentials;
  readonly #keyValues: KeyValues;
  readonly #leases: Leases;
  readonly #broadcastTarget: BroadcastTarget | undefined;
  #broadcast: PostgresBroadcast | undefined;
  /** Operations not settled yet: close() waits for them, because ending the pool strands its waiters. */
  readonly #inFlight = new Set<Promise<unknown>>();
  #closing: Promise<void> | undefined;

  constructor(pool: Pool, broadcastTarget?: BroadcastTarget) {
    this.#pool = pool;
    this.#broadcastTarget = broadcastTarget;
    this.#leases = createLeases(pool);
    this.#catalog = createCatalog(pool);
    this.#writes = createExecutionWrites(pool);
    this.#reads = createExecutionReads(pool);
    this.#queue = createExecutionQueue(pool);
    this.#output = new OutputStore(pool);
    this.#retention = createRetention(pool);
    this.#workflows = createWorkflows(pool);
    this.#credentials = createCredentials(pool);
    this.#keyValues = createKeyValues(pool);
  }

  savePack(pack: Pack): Promise<void> {
    return this.#run(() => this.#catalog.savePack(pack));
  }
  getPack(ref: string): Promise<Pack | undefined> {
    return this.#run(() => this.#catalog.getPack(ref));
  }
  saveAction(action: Action): Promise<StoredAction> {
    return this.#run(() => this.#catalog.saveAction(action));
  }
  getAction(refOrId: string): Promise<StoredAction | undefined> {
    return this.#run(() => this.#catalog.getAction(refOrId));
  }
  listActions(filter: ActionFilter, page: Page): Promise<PageOf<Action>> {
    return this.#run(() => this.#catalog.listActions(filter, page));
  }
  deleteAction(id: string): Promise<boolean> {
    return this.#run(() => this.#catalog.deleteAction(id));
  }
  putSnapshot(id: string, doc: JsonObject): Promise<void> {
    return this.#run(() => this.#catalog.putSnapshot(id, doc));
  }
  getSnapshots(ids: readonly string[]): Promise<Map<string, JsonObject>> {
    return this.#run(() => this.#catalog.getSnapshots(ids));
  }

  createExecution(record: ExecutionRecord, result?: SerializedResult): Promise<void> {
    return this.#run(() => this.#writes.create(record, result));
  }
  getExecution(id: string): Promise<ExecutionRecord | undefined> {
    return this.#run(() => this.#reads.get(id));
  }
  lastExecutionId(): Promise<string | undefined> {
    return this.#run(() => this.#reads.lastId());
  }
  listExecutions(query: ExecutionQuery): Promise<PageOf<ExecutionRecord>> {
    return this.#run(async () => {
      const { sql, countSql, params } = compileListQuery(query);
      // Unnamed statements: list shapes vary, and pg never forgets a named one on a connection.
      // The count runs beside the page, on another connection, so it costs no extra round trip.
      const [rows, total] = await Promise.all([
        rowsOf<ExecutionRow>(this.#pool, { text: sql }, [...params, query.limit, query.offset]),
        query.countTotal ? valueOf<number>(this.#pool, { text: countSql }, params) : -1,
      ]);
      return { items: rows.map(rowToRecord), total };
    });
  }
  childrenOf(parentIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.#run(() => this.#reads.childrenOf(parentIds));
  }
  distinctValues(column: DistinctColumn): Promise<Json[]> {
    return this.#run(() => this.#reads.distinctValues(column));
  }
  getResults(ids: readonly string[]): Promise<Map<string, string>> {
    return this.#run(() => this.#reads.results(ids));
  }
  transition(change: Transition): Promise<ExecutionRecord | undefined> {
    return this.#run(() => this.#writes.transition(change));
  }

  markDelayed(now: number): Promise<ExecutionRecord[]> {
    return this.#run(() => this.#queue.markDelayed(now));
  }
  claimDue(now: number, limit: number, owner: string, leaseUntil?: number): Promise<ExecutionRecord[]> {
    return this.#run(() => this.#queue.claimDue(now, limit, owner, leaseUntil));
  }
  nextDueAt(): Promise<number | undefined> {
    return this.#run(() => this.#queue.nextDueAt());
  }
  listByStatus(statuses: readonly ExecutionStatus[]): Promise<ExecutionRecord[]> {
    return this.#run(() => this.#reads.byStatus(statuses));
  }

  renewLeases(owner: string, ids: readonly string[], until: number): Promise<HeldExecution[]> {
    return this.#run(() => this.#leases.renew(owner, ids, until));
  }
  releaseLeases(owner: string, ids: readonly string[]): Promise<void> {
    return this.#run(() => this.#leases.release(owner, ids));
  }
  expireLeases(
    now: number,
    limit: number,
    result: SerializedResult,
    exceptOwner?: string,
    deadOwners?: readonly string[],
  ): Promise<ExecutionRecord[]> {
    return this.#run(() => this.#leases.expire(now, limit, result, exceptOwner, deadOwners));
  }
  leaseOwners(): Promise<string[]> {
    return this.#run(() => this.#leases.owners());
  }
  getExecutions(ids: readonly string[]): Promise<ExecutionRecord[]> {
    return this.#run(() => this.#reads.byIds(ids));
  }
  /** One per store: its LISTEN connection lives until the store closes. */
  async openBroadcast(): Promise<Broadcast | undefined> {
    if (!this.#broadcastTarget) return undefined;
    this.#broadcast ??= new PostgresBroadcast(
      this.#pool,
      this.#broadcastTarget.url,
      this.#broadcastTarget.schema,
    );
    return this.#broadcast;
  }

  appendOutput(chunks: readonly NewOutputChunk[]): Promise<number[]> {
    return this.#run(() => this.#output.append(chunks));
  }
  listOutput(executionId: string, outputType?: string, page?: OutputPage): Promise<OutputChunk[]> {
    return this.#run(() => this.#output.list(executionId, outputType, page));
  }

  saveWorkflow(record: WorkflowRecord): Promise<boolean> {
    return this.#run(() => this.#workflows.save(record));
  }
  getWorkflow(id: string): Promise<WorkflowRecord | undefined> {
    return this.#run(() => this.#workflows.get(id));
  }
  getWorkflowByExecution(executionId: string): Promise<WorkflowRecord | undefined> {
    return this.#run(() => this.#workflows.byExecution(executionId));
  }
  listUnfinishedWorkflows(): Promise<WorkflowRecord[]> {
    return this.#run(() => this.#workflows.unfinished());
  }
  getOutputChunks(ids: readonly number[]): Promise<OutputChunk[]> {
    return this.#run(() => this.#output.byIds(ids));
  }
  outputAfter(afterId: number, limit: number): Promise<OutputChunk[]> {
    return this.#run(() => this.#output.after(afterId, limit));
  }

  deleteExecutionsBefore(before: number, limit: number): Promise<number> {
    return this.#run(() => this.#retention.executions(before, limit));
  }
  deleteOutputBefore(before: number, limit: number): Promise<number> {
    return this.#run(() => this.#retention.output(before, limit));
  }

  /** Lets every operation already started finish (nothing issued is lost), then disconnects. */
  saveToken(token: TokenRecord): Promise<void> {
    return this.#run(() => this.#credentials.saveToken(token));
  }
  getTokenByHash(tokenHash: string): Promise<TokenRecord | undefined> {
    return this.#run(() => this.#credentials.getTokenByHash(tokenHash));
  }
  deleteTokensExpiredBefore(before: number): Promise<number> {
    return this.#run(() => this.#credentials.deleteTokensExpiredBefore(before));
  }
  deleteToken(id: string): Promise<boolean> {
    return this.#run(() => this.#credentials.deleteToken(id));
  }
  saveApiKey(key: ApiKeyRecord): Promise<void> {
    return this.#run(() => this.#credentials.saveApiKey(key));
  }
  getApiKey(idOrHash: string): Promise<ApiKeyRecord | undefined> {
    return this.#run(() => this.#credentials.getApiKey(idOrHash));
  }
  listApiKeys(page: Page): Promise<PageOf<ApiKeyRecord>> {
    return this.#run(() => this.#credentials.listApiKeys(page));
  }
  deleteApiKey(id: string): Promise<boolean> {
    return this.#run(() => this.#credentials.deleteApiKey(id));
  }

  putKeyValue(item: KeyValueRecord): Promise<KeyValueRecord> {
    return this.#run(() => this.#keyValues.put(item));
  }
  getKeyValue(
    scope: KeyValueScope,
    user: string,
    name: string,
    now: number,
  ): Promise<KeyValueRecord | undefined> {
    return this.#run(() => this.#keyValues.get(scope, user, name, now));
  }
  listKeyValues(filter: KeyValueFilter, page: Page): Promise<PageOf<KeyValueRecord>> {
    return this.#run(() => this.#keyValues.list(filter, page));
  }
  deleteKeyValue(scope: KeyValueScope, user: string, name: string): Promise<boolean> {
    return this.#run(() => this.#keyValues.delete(scope, user, name));
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      await this.#broadcast?.close();
      await this.#pool.end();
    })();
    return this.#closing;
  }

  #run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.#closing) return Promise.reject(new Error('The PostgreSQL store is closed'));
    const promise = operation();
    this.#inFlight.add(promise);
    const settle = () => this.#inFlight.delete(promise);
    promise.then(settle, settle);
    return promise;
  }
}
