/**
 * The embedded Store: one better-sqlite3 connection, its statements prepared once at open.
 * Writes go through group commit (see group-commit.ts). Reads run at once against what is
 * committed: a write is visible once its promise has settled, and not before — forcing a commit
 * on every read would shrink the groups back to one write each (reads come between most writes).
 */
import type Database from 'better-sqlite3';
import type { DistinctColumn, ExecutionQuery } from '../../domain/execution-query.ts';
import type { ExecutionStatus } from '../../domain/status.ts';
import type { Action, ExecutionRecord, Json, JsonObject, OutputChunk, Pack } from '../../domain/types.ts';
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
import type { BackgroundCheckpointer } from './background-checkpointer.ts';
import type { ApiKeyRecord, TokenRecord } from '../../domain/credentials.ts';
import type { KeyValueFilter, KeyValueRecord, KeyValueScope } from '../../domain/key-value.ts';
import { prepareCatalog, type Catalog } from './catalog.ts';
import { prepareCredentials, type Credentials } from './credentials.ts';
import { prepareKeyValues, type KeyValues } from './key-values.ts';
import { GroupCommit } from './group-commit.ts';
import { prepareExecutionQueue, type ExecutionQueue } from './execution-queue.ts';
import { prepareExecutionReads, type ExecutionReads } from './execution-reads.ts';
import { rowToRecord, type ExecutionRow } from '../execution-row.ts';
import { prepareExecutionWrites, type ExecutionWrites, type SerializedResult } from './execution-writes.ts';
import { compileListQuery, type SqlValue } from './list-query.ts';
import { prepareOutput, type OutputStore } from './output.ts';
import { prepareRetention, type Retention } from './retention.ts';
import { prepareWorkflows, type WorkflowTable } from './workflows.ts';
import { prepareLeases, type Leases } from './leases.ts';

/** List queries differ only by their shape; a few dozen shapes cover what clients send. */
const MAX_CACHED_LIST_STATEMENTS = 64;
const MAX_CACHED_ACTIONS = 4096;

export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #catalog: Catalog;
  readonly #writes: ExecutionWrites;
  readonly #actionCache = new Map<string, StoredAction>();
  readonly #retention: Retention;
  readonly #reads: ExecutionReads;
  readonly #queue: ExecutionQueue;
  readonly #output: OutputStore;
  readonly #leases: Leases;
  readonly #group: GroupCommit;
  readonly #workflows: WorkflowTable;
  readonly #credentials: Credentials;
  readonly #keyValues: KeyValues;
  readonly #listStatements = new Map<string, Database.Statement<SqlValue[]>>();
  readonly #checkpointer: BackgroundCheckpointer | undefined;

  constructor(db: Database.Database, checkpointer?: BackgroundCheckpointer) {
    this.#db = db;
    this.#checkpointer = checkpointer;
    this.#group = new GroupCommit(db);
    this.#catalog = prepareCatalog(db);
    this.#writes = prepareExecutionWrites(db);
    this.#retention = prepareRetention(db);
    this.#reads = prepareExecutionReads(db);
    this.#queue = prepareExecutionQueue(db);
    this.#output = prepareOutput(db);
    this.#workflows = prepareWorkflows(db);
    this.#credentials = prepareCredentials(db);
    this.#keyValues = prepareKeyValues(db);
    this.#leases = prepareLeases(db);
  }

  savePack(pack: Pack): Promise<void> {
    return this.#group.run(() => this.#catalog.savePack(pack));
  }
  async getPack(ref: string): Promise<Pack | undefined> {
    return this.#catalog.getPack(ref);
  }
  saveAction(action: Action): Promise<StoredAction> {
    return this.#group.run(() => {
      this.#actionCache.clear();
      return this.#catalog.saveAction(action);
    });
  }
  async getAction(refOrId: string): Promise<StoredAction | undefined> {
    // Every execution request resolves its action; this connection is the only writer of the
    // actions it serves, so a cache cleared on every action write is exact.
    let stored = this.#actionCache.get(refOrId);
    if (!stored) {
      stored = this.#catalog.getAction(refOrId);
      if (!stored) return undefined;
      if (this.#actionCache.size >= MAX_CACHED_ACTIONS) this.#actionCache.clear();
      this.#actionCache.set(refOrId, stored);
    }
    return stored;
  }
  async listActions(filter: ActionFilter, page: Page): Promise<PageOf<Action>> {
    return this.#catalog.listActions(filter, page);
  }
  deleteAction(id: string): Promise<boolean> {
    return this.#group.run(() => {
      this.#actionCache.clear();
      return this.#catalog.deleteAction(id);
    });
  }
  putSnapshot(id: string, doc: JsonObject): Promise<void> {
    return this.#group.run(() => this.#catalog.putSnapshot(id, doc));
  }
  async getSnapshots(ids: readonly string[]): Promise<Map<string, JsonObject>> {
    return this.#catalog.getSnapshots(ids);
  }

  createExecution(record: ExecutionRecord, result?: SerializedResult): Promise<void> {
    return this.#group.run(() => this.#writes.create(record, result));
  }
  async getExecution(id: string): Promise<ExecutionRecord | undefined> {
    return this.#reads.get(id);
  }
  async lastExecutionId(): Promise<string | undefined> {
    return this.#reads.lastId();
  }
  async listExecutions(query: ExecutionQuery): Promise<PageOf<ExecutionRecord>> {
    const { sql, countSql, params } = compileListQuery(query);
    const rows = this.#statement(sql)
      .raw()
      .all(...params, query.limit ?? -1, query.offset) as ExecutionRow[];
    const total = query.countTotal
      ? (this.#statement(countSql)
          .pluck()
          .get(...params) as number)
      : -1;
    return { items: rows.map(rowToRecord), total };
  }
  async childrenOf(parentIds: readonly string[]): Promise<Map<string, string[]>> {
    return this.#reads.childrenOf(parentIds);
  }
  async distinctValues(column: DistinctColumn): Promise<Json[]> {
    return this.#reads.distinctValues(column);
  }
  async getResults(ids: readonly string[]): Promise<Map<string, string>> {
    return this.#reads.results(ids);
  }
  transition(change: Transition): Promise<ExecutionRecord | undefined> {
    return this.#group.run(() => this.#writes.transition(change));
  }

  markDelayed(now: number): Promise<ExecutionRecord[]> {
    return this.#group.run(() => this.#queue.markDelayed(now));
  }
  claimDue(now: number, limit: number, owner: string, leaseUntil?: number): Promise<ExecutionRecord[]> {
    return this.#group.run(() => this.#queue.claimDue(now, limit, owner, leaseUntil));
  }
  async nextDueAt(): Promise<number | undefined> {
    return this.#queue.nextDueAt();
  }
  async listByStatus(statuses: readonly ExecutionStatus[]): Promise<ExecutionRecord[]> {
    return this.#reads.byStatus(statuses);
  }

  renewLeases(owner: string, ids: readonly string[], until: number): Promise<HeldExecution[]> {
    return this.#group.run(() => this.#leases.renew(owner, ids, until));
  }
  releaseLeases(owner: string, ids: readonly string[]): Promise<void> {
    return this.#group.run(() => this.#leases.release(owner, ids));
  }
  expireLeases(
    now: number,
    limit: number,
    result: SerializedResult,
    exceptOwner?: string,
    deadOwners?: readonly string[],
  ): Promise<ExecutionRecord[]> {
    return this.#group.run(() => this.#leases.expire(now, limit, result, exceptOwner, deadOwners));
  }
  async leaseOwners(): Promise<string[]> {
    return this.#leases.owners();
  }
  async getExecutions(ids: readonly string[]): Promise<ExecutionRecord[]> {
    return this.#reads.byIds(ids);
  }
  /** One process per file: there is nobody to talk to. */
  async openBroadcast(): Promise<Broadcast | undefined> {
    return undefined;
  }

  appendOutput(chunks: readonly NewOutputChunk[]): Promise<number[]> {
    return this.#group.run(() => this.#output.append(chunks));
  }
  async listOutput(executionId: string, outputType?: string, page?: OutputPage): Promise<OutputChunk[]> {
    return this.#output.list(executionId, outputType, page);
  }

  saveWorkflow(record: WorkflowRecord): Promise<boolean> {
    return this.#group.run(() => this.#workflows.save(record));
  }
  async getWorkflow(id: string): Promise<WorkflowRecord | undefined> {
    return this.#workflows.get(id);
  }
  async getWorkflowByExecution(executionId: string): Promise<WorkflowRecord | undefined> {
    return this.#workflows.byExecution(executionId);
  }
  async listUnfinishedWorkflows(): Promise<WorkflowRecord[]> {
    return this.#workflows.unfinished();
  }
  async getOutputChunks(ids: readonly number[]): Promise<OutputChunk[]> {
    return this.#output.byIds(ids);
  }
  async outputAfter(afterId: number, limit: number): Promise<OutputChunk[]> {
    return this.#output.after(afterId, limit);
  }

  deleteExecutionsBefore(before: number, limit: number): Promise<number> {
    return this.#group.run(() => this.#retention.executions(before, limit));
  }
  deleteOutputBefore(before: number, limit: number): Promise<number> {
    return this.#group.run(() => this.#retention.output(before, limit));
  }

  saveToken(token: TokenRecord): Promise<void> {
    return this.#group.run(() => this.#credentials.saveToken(token));
  }
  async getTokenByHash(tokenHash: string): Promise<TokenRecord | undefined> {
    return this.#credentials.getTokenByHash(tokenHash);
  }
  deleteTokensExpiredBefore(before: number): Promise<number> {
    return this.#group.run(() => this.#credentials.deleteTokensExpiredBefore(before));
  }
  deleteToken(id: string): Promise<boolean> {
    return this.#group.run(() => this.#credentials.deleteToken(id));
  }
  saveApiKey(key: ApiKeyRecord): Promise<void> {
    return this.#group.run(() => this.#credentials.saveApiKey(key));
  }
  async getApiKey(idOrHash: string): Promise<ApiKeyRecord | undefined> {
    return this.#credentials.getApiKey(idOrHash);
  }
  async listApiKeys(page: Page): Promise<PageOf<ApiKeyRecord>> {
    return this.#credentials.listApiKeys(page);
  }
  deleteApiKey(id: string): Promise<boolean> {
    return this.#group.run(() => this.#credentials.deleteApiKey(id));
  }

  putKeyValue(item: KeyValueRecord): Promise<KeyValueRecord> {
    return this.#group.run(() => this.#keyValues.put(item));
  }
  async getKeyValue(
    scope: KeyValueScope,
    user: string,
    name: string,
    now: number,
  ): Promise<KeyValueRecord | undefined> {
    return this.#keyValues.get(scope, user, name, now);
  }
  async listKeyValues(filter: KeyValueFilter, page: Page): Promise<PageOf<KeyValueRecord>> {
    return this.#keyValues.list(filter, page);
  }
  deleteKeyValue(scope: KeyValueScope, user: string, name: string): Promise<boolean> {
    return this.#group.run(() => this.#keyValues.delete(scope, user, name));
  }

  async close(): Promise<void> {
    if (!this.#db.open) return;
    // Nothing queued is lost on close: commit it first.
    this.#group.flush();
    await this.#checkpointer?.stop();
    this.#db.close();
  }

  /** Prepared statements for list queries, keyed by SQL text; the oldest is dropped past the cap. */
  #statement(sql: string): Database.Statement<SqlValue[]> {
    let statement = this.#listStatements.get(sql);
    if (!statement) {
      statement = this.#db.prepare<SqlValue[]>(sql);
      if (this.#listStatements.size >= MAX_CACHED_LIST_STATEMENTS) {
        const oldest = this.#listStatements.keys().next();
        if (!oldest.done) this.#listStatements.delete(oldest.value);
      }
      this.#listStatements.set(sql, statement);
    }
    return statement;
  }
}
