/**
 * The workflow loop: each workflow's evaluator is stepped with one event at a time (events that
 * arrive together are stepped in a row), its document saved, and only then are the commands
 * carried out — children created, cascades applied, the workflow execution's status recorded. A
 * crash therefore loses no decision: what was saved is re-done from the document on restart
 * (`workflow-recovery.ts`), and a child's final status is fed exactly once (`doc.applied`).
 */
import type { Datastore } from '../datastore/datastore.ts';
import { executionUser, workflowFunctions, type WorkflowFunctions } from './st2kv.ts';
import { isCompleted, WORKFLOW_RUNNERS } from '../../domain/status.ts';
import type { ExecutionStatus } from '../../domain/status.ts';
import { nowMicros } from '../../domain/time.ts';
import type { ExecutionRecord, JsonObject } from '../../domain/types.ts';
import type { Store, Transition, WorkflowRecord } from '../../store/store.ts';
import type { EngineEvent, EventBus } from '../events.ts';
import type { ExecutionControl } from '../executions/control.ts';
import type { ExecutionCreator } from '../executions/create-execution.ts';
import { serializeResult } from '../executions/result.ts';
import type { RunnerTypeRegistry } from '../runner-types.ts';
import { cancelRoot } from './cancel-root.ts';
import { cascade, createChild, type CascadeVerb } from './children.ts';
import { driverFor } from './drivers.ts';
import { WorkflowStartError } from './orquesta-driver.ts';
import { toEvents, type Inbound, type Loaded } from './inbound.ts';
import { writeProgress } from './progress.ts';
import { ChainStartError, notCompletedError, startWorkflowFor } from './starts.ts';
import type { RunCommand, WorkflowCommand, WorkflowDoc } from './types.ts';
import { WorkflowDocuments } from './workflow-documents.ts';
import { cancelCompleted } from '../executions/transitions.ts';

export interface WorkflowServiceDeps {
  store: Store;
  bus: EventBus;
  creator: ExecutionCreator;
  control: ExecutionControl;
  runnerTypes: RunnerTypeRegistry;
  apiUrl: string;
  /**
   * Other processes share the store and may step the same workflows: documents are then read
   * afresh for every step, never from this process's cache.
   */
  shared: boolean;
  /** What `st2kv()` in workflows reads. */
  datastore?: Datastore;
  onError: (error: unknown, context: string) => void;
}

const UNFINISHED: readonly ExecutionStatus[] = [
  'requested',
  'scheduled',
  'delayed',
  'running',
  'pausing',
  'paused',
  'resuming',
  'canceling',
];

export class WorkflowService {
  readonly #deps: WorkflowServiceDeps;
  readonly #documents: WorkflowDocuments;
  readonly #inbox = new Map<string, Inbound[]>();
  /** Per workflow: the tail of its serialized work. */
  readonly #locks = new Map<string, Promise<void>>();
  /** Resolving which workflow an event belongs to, in arrival order. */
  #intake: Promise<void> = Promise.resolve();
  /** Set while this service emits its own updates of workflow executions (not control requests). */
  #ownUpdate = false;

  constructor(deps: WorkflowServiceDeps) {
    this.#deps = deps;
    this.#documents = new WorkflowDocuments(deps.store, deps.shared);
    // Only what happened in this process drives a workflow: on a shared database the process that
    // recorded a child's completion (or a control request) steps the workflow; the copies other
    // processes relay for their stream clients must not step it a second time.
    deps.bus.subscribe((event, origin) => {
      if (origin === 'local') this.#observe(event);
    });
  }

  /** Called by the workflow runners once the dispatcher has the execution `running`. */
  async start(executionId: string): Promise<void> {
    const execution = await this.#deps.store.getExecution(executionId);
    // Canceled (or completed from outside) between being claimed and starting: nothing to start.
    if (!execution || execution.status !== 'running') return;
    let started;
    try {
      started = await startWorkflowFor(this.#deps, execution);
    } catch (e) {
      await this.#failStart(execution, e);
      return;
    }
    const { id, kind, outcome, reRunOf } = started;
    await this.#withLock(id, async () => {
      if (!(await this.#mayStart(execution, id, reRunOf))) return;
      // A re-run continues the old state; children and pending requests start afresh.
      const doc: WorkflowDoc = { kind, state: outcome.state, applied: [], pending: {} };
      // A re-run saves over the finished original's document, at the version it was left at.
      const version = reRunOf === undefined ? 0 : ((await this.#deps.store.getWorkflow(id))?.version ?? 0);
      const loaded: Loaded = {
        record: { id, executionId, kind, finished: false, state: '', version },
        doc,
      };
      this.#documents.track(loaded);
      const commands = this.#absorb(doc, outcome.commands);
      // Saved first by someone else (another process started or re-ran it): theirs to drive.
      if (!(await this.#documents.save(loaded))) return;
      await writeProgress(this.#deps, execution, [`Workflow execution "${id}" is created.`]);
      await this.#carryOut(loaded, commands);
    });
    this.#schedule(id);
  }

  /**
   * Checked under the workflow's lock, right before its document is first saved and its children
   * created. Starting took time: the execution may have been canceled meanwhile (then nothing may
   * be created), and for a re-run another re-run of the same original may have claimed the
   * workflow first (StackStorm refuses a re-run of a workflow that is not completed). Between
   * this check and `#track` there is no await, so a later cancel reaches the tracked workflow.
   */
  async #mayStart(execution: ExecutionRecord, id: string, reRunOf: string | undefined): Promise<boolean> {
    const { store } = this.#deps;
    if (reRunOf !== undefined) {
      const stored = await store.getWorkflow(id);
      if (!stored || !stored.finished || stored.executionId !== reRunOf || this.#documents.isDriven(id)) {
        await this.#failStart(execution, notCompletedError(id));
        return false;
      }
    }
    const current = await store.getExecution(execution.id);
    if (current?.status === 'running') return true;
    if (current?.status === 'canceling') await this.#cancelUnstarted(current);
    return false;
  }

  /** Delivers an event to the workflow `id` (used by recovery and the bus listener). */
  deliver(id: string, event: Inbound): void {
    const queue = this.#inbox.get(id);
    if (queue) queue.push(event);
    else this.#inbox.set(id, [event]);
    this.#schedule(id);
  }

  /** Re-issues children a saved document requested but that were never created. */
  async reissue(id: string, commands: readonly RunCommand[]): Promise<void> {
    await this.#withLock(id, async () => {
      const loaded = await this.#documents.load(id);
      if (loaded) await this.#carryOut(loaded, commands);
    });
  }

  /** Records a completion a saved document holds but its execution does not show yet. */
  async finishSaved(id: string): Promise<void> {
    await this.#withLock(id, async () => {
      const loaded = await this.#documents.load(id);
      const completion = loaded?.doc.completion;
      if (loaded && completion) await this.#carryOut(loaded, [{ type: 'completed', ...completion }]);
    });
  }

  /** Resolves once every queued event of every workflow has been stepped and carried out. */
  async idle(): Promise<void> {
    for (;;) {
      await this.#intake;
      const pending = [...this.#locks.values()];
      if (pending.length === 0 && this.#inbox.size === 0) return;
      await Promise.allSettled(pending);
    }
  }

  track(record: WorkflowRecord): void {
    this.#documents.noteExecution(record);
  }

  // --- events from the bus ---

  #observe(event: EngineEvent): void {
    if (event.type !== 'execution.updated') return;
    const record = event.record;
    if (WORKFLOW_RUNNERS.has(record.runnerName) && !this.#ownUpdate) this.#observeControl(record);
    if (record.parentId && this.#isTaskChild(record)) this.#observeChild(record);
  }

  #isTaskChild(record: ExecutionRecord): boolean {
    return record.context['orquesta'] !== undefined || record.context['chain'] !== undefined;
  }

  /** A pause, resume or cancel request recorded on a workflow execution by the control API. */
  #observeControl(record: ExecutionRecord): void {
    const verb: CascadeVerb | undefined =
      record.status === 'pausing'
        ? 'pause'
        : record.status === 'resuming'
          ? 'resume'
          : record.status === 'canceling' || record.status === 'canceled'
            ? 'cancel'
            : undefined;
    if (!verb) return;
    if (record.status === 'canceling' && record.runnerName === 'orquesta' && record.parentId) {
      void cancelRoot(this.#deps, record).catch((error: unknown) =>
        this.#deps.onError(error, `cascading the cancel of ${record.id} to its root failed`),
      );
    }
    this.#resolve(record.id, (id) => {
      if (id) this.deliver(id, { type: verb });
      else if (record.status === 'canceling') void this.#cancelUnstarted(record);
    });
  }

  #observeChild(child: ExecutionRecord): void {
    const previous = child.log[child.log.length - 2]?.status;
    const relevant =
      isCompleted(child.status) ||
      child.status === 'paused' ||
      child.status === 'pending' ||
      // Resumed: through `resuming`, or straight from `paused` when its own sub-workflow resumed.
      (child.status === 'running' && (previous === 'resuming' || previous === 'paused'));
    if (!relevant || !child.parentId) return;
    this.#resolve(child.parentId, (id) => {
      if (id) this.deliver(id, { type: 'child', child });
    });
  }

  /** Finds the workflow an execution runs, keeping arrival order across the lookups. */
  #resolve(executionId: string, then: (workflowId: string | undefined) => void): void {
    const known = this.#documents.workflowOf(executionId);
    if (known) {
      this.#intake = this.#intake.then(() => then(known));
      return;
    }
    this.#intake = this.#intake
      .then(async () => {
        const stored = await this.#deps.store.getWorkflowByExecution(executionId);
        if (stored) this.#documents.noteExecution(stored);
        // A start may have begun tracking the workflow while the store was asked (not saved yet).
        then(stored?.id ?? this.#documents.workflowOf(executionId));
      })
      .catch((error: unknown) => this.#deps.onError(error, 'routing a workflow event failed'));
  }

  /** A workflow execution canceled before it started has no workflow to wind down: it ends now. */
  async #cancelUnstarted(record: ExecutionRecord): Promise<void> {
    await this.#apply(cancelCompleted(record.id, nowMicros()));
  }

  // --- the loop ---

  #schedule(id: string): void {
    void this.#withLock(id, () => this.#drain(id));
  }

  #withLock(id: string, work: () => Promise<void>): Promise<void> {
    const previous = this.#locks.get(id) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) => this.#deps.onError(error, `workflow ${id} failed to step`));
    this.#locks.set(id, next);
    void next.then(() => {
      if (this.#locks.get(id) === next) this.#locks.delete(id);
    });
    return next;
  }

  async #drain(id: string): Promise<void> {
    for (;;) {
      const events = this.#inbox.get(id);
      if (!events || events.length === 0) {
        this.#inbox.delete(id);
        return;
      }
      this.#inbox.delete(id);
      const loaded = await this.#documents.load(id);
      if (!loaded || loaded.record.finished) continue;
      const driver = driverFor(loaded.doc.kind);
      const resolved = await toEvents(this.#deps.store, loaded, events);
      const functions = await this.#functionsFor(loaded);
      const commands: WorkflowCommand[] = [];
      for (const event of resolved) {
        const outcome = driver.step(loaded.doc.state, event, functions);
        loaded.doc.state = outcome.state;
        commands.push(...this.#absorb(loaded.doc, outcome.commands));
      }
      if (resolved.length === 0) continue;
      if (!(await this.#documents.save(loaded))) {
        // Another process stepped this workflow since it was read: step these events again on
        // what it saved. Nothing of this attempt was carried out.
        this.#inbox.set(id, [...events, ...(this.#inbox.get(id) ?? [])]);
        continue;
      }
      await this.#carryOut(loaded, commands);
    }
  }

  /** Notes in the document what commands require remembering (requests, the completion). */
  #absorb(doc: WorkflowDoc, commands: readonly WorkflowCommand[]): WorkflowCommand[] {
    for (const c of commands) {
      if (c.type === 'run') doc.pending[c.ref] = c;
      if (c.type === 'completed') doc.completion = { status: c.status, result: c.result };
    }
    return [...commands];
  }

  async #carryOut(loaded: Loaded, commands: readonly WorkflowCommand[]): Promise<void> {
    if (commands.length === 0) return;
    const { store, creator, control } = this.#deps;
    const execution = await store.getExecution(loaded.record.executionId);
    if (!execution) return;
    const workflowExecution = loaded.doc.kind === 'orquesta' ? loaded.record.id : undefined;
    const cascades: { verb: CascadeVerb; ref: string }[] = [];
    const progress: string[] = [];
    let completed: Extract<WorkflowCommand, { type: 'completed' }> | undefined;
    for (const c of commands) {
      if (c.type === 'status') await this.#setStatus(execution, c.status, c.result);
      else if (c.type === 'run') {
        try {
          const child = await createChild(creator, execution, c, workflowExecution);
          const [task, route] = c.ref.split('|');
          progress.push(`Action execution "${child.id}" requested for task "${task}", route "${route}".`);
        } catch (e) {
          this.deliver(loaded.record.id, {
            type: 'child_failed',
            ref: c.ref,
            error: e instanceof Error ? e.message : String(e),
          });
        }
      } else if (c.type === 'completed') completed = c;
      else cascades.push({ verb: c.type, ref: c.ref });
    }
    await cascade({ store, control, driver: driverFor(loaded.doc.kind) }, execution, cascades);
    if (completed)
      progress.push(`The workflow execution is completed with status "${completed.status}".`, '');
    await writeProgress(this.#deps, execution, progress);
    if (completed) {
      await this.#complete(execution, completed.status, completed.result);
      await this.#documents.markFinished(loaded);
    }
  }

  async #setStatus(execution: ExecutionRecord, status: ExecutionStatus, result?: JsonObject): Promise<void> {
    const current = await this.#deps.store.getExecution(execution.id);
    if (!current || current.status === status || isCompleted(current.status)) return;
    await this.#apply({
      id: execution.id,
      from: UNFINISHED.filter((s) => s !== status),
      to: status,
      at: nowMicros(),
      ...(result ? { result: serializeResult(result) } : {}),
    });
  }

  async #complete(execution: ExecutionRecord, status: ExecutionStatus, result: JsonObject): Promise<void> {
    const at = nowMicros();
    await this.#apply({
      id: execution.id,
      from: UNFINISHED,
      to: status,
      at,
      endTimestamp: at,
      result: serializeResult(result),
      owner: null,
    });
  }

  async #failStart(execution: ExecutionRecord, error: unknown): Promise<void> {
    let result: JsonObject;
    if (error instanceof WorkflowStartError) result = { errors: [...error.errors], output: null };
    else if (error instanceof ChainStartError) result = { error: error.message, traceback: error.message };
    else throw error;
    await this.#complete(execution, 'failed', result);
  }

  async #apply(change: Transition): Promise<void> {
    const record = await this.#deps.store.transition(change);
    if (!record) return;
    this.#ownUpdate = true;
    try {
      this.#deps.bus.emit({ type: 'execution.updated', record });
    } finally {
      this.#ownUpdate = false;
    }
  }

  // --- what expressions call ---

  /** `st2kv` reads the datastore as the workflow's user, who is on its execution. */
  async #functionsFor(loaded: Loaded): Promise<WorkflowFunctions> {
    if (!this.#deps.datastore || !loaded.record.state.includes('st2kv')) return {};
    const execution = await this.#deps.store.getExecution(loaded.record.executionId);
    const user = execution ? executionUser(execution) : '';
    return workflowFunctions(this.#deps.datastore, loaded.record.state, user);
  }
}
