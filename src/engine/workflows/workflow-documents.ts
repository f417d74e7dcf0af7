/**
 * The workflows' saved documents as the workflow loop reads and writes them: cached while this
 * process drives a workflow (never when other processes share the store and may step it too),
 * saved at the version they were read, and indexed by the execution each runs for.
 */
import type { Store, WorkflowRecord } from '../../store/store.ts';
import type { Loaded } from './inbound.ts';
import type { WorkflowDoc } from './types.ts';

export class WorkflowDocuments {
  readonly #store: Store;
  readonly #shared: boolean;
  /** Workflow id → its document, while this process drives it. */
  readonly #loaded = new Map<string, Loaded>();
  /** Execution id → the workflow id it runs. */
  readonly #byExecution = new Map<string, string>();

  constructor(store: Store, shared: boolean) {
    this.#store = store;
    this.#shared = shared;
  }

  /** Remembers a document this process drives (and which execution it runs for). */
  track(loaded: Loaded): void {
    this.#loaded.set(loaded.record.id, loaded);
    this.noteExecution(loaded.record);
  }

  noteExecution(record: Pick<WorkflowRecord, 'id' | 'executionId'>): void {
    this.#byExecution.set(record.executionId, record.id);
  }

  /** The workflow an execution runs, if this process has seen it. */
  workflowOf(executionId: string): string | undefined {
    return this.#byExecution.get(executionId);
  }

  isDriven(id: string): boolean {
    return this.#loaded.has(id);
  }

  forget(id: string): void {
    this.#loaded.delete(id);
  }

  async load(id: string): Promise<Loaded | undefined> {
    const cached = this.#shared ? undefined : this.#loaded.get(id);
    if (cached) return cached;
    const record = await this.#store.getWorkflow(id);
    if (!record) return undefined;
    const loaded: Loaded = { record, doc: JSON.parse(record.state) as WorkflowDoc };
    if (!record.finished) this.track(loaded);
    return loaded;
  }

  /** Saves the document at the version it was read; false (and forgotten) if someone saved since. */
  async save(loaded: Loaded): Promise<boolean> {
    loaded.record.state = JSON.stringify(loaded.doc);
    if (await this.#store.saveWorkflow({ ...loaded.record })) {
      loaded.record.version += 1;
      return true;
    }
    this.#loaded.delete(loaded.record.id);
    return false;
  }

  /** Records that the workflow is over, on whatever version is stored by now, and forgets it. */
  async markFinished(loaded: Loaded): Promise<void> {
    let attempt = loaded;
    for (;;) {
      attempt.record.finished = true;
      if (await this.save(attempt)) break;
      const stored = await this.#store.getWorkflow(loaded.record.id);
      if (!stored || stored.finished) break;
      attempt = { record: stored, doc: JSON.parse(stored.state) as WorkflowDoc };
    }
    this.#loaded.delete(loaded.record.id);
  }
}
