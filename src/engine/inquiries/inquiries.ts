/**
 * Inquiries (spec §7.8, §9): an execution of the `inquirer` runner waits in `pending` for someone
 * to answer. StackStorm keeps no separate record for them, and neither does Squall: an inquiry is
 * that execution, its question is the execution's result (`schema`, `roles`, `users`, `route`,
 * `ttl`), and answering it makes the execution `succeeded` with `result.response`.
 *
 * What an answer or an expiry sets going, as StackStorm's inquiry service and garbage collector
 * do: the workflow waiting on the inquiry is resumed first (Orquesta: the direct parent, whose
 * other branches may have run on; ActionChain: the root, which paused as a whole), then the
 * inquiry completes, so the workflow sees the completion already running again.
 */
import { ForbiddenError, ValidationError } from '../../domain/errors.ts';
import { validationMessage } from '../../domain/jsonschema/index.ts';
import type { ExecutionQuery } from '../../domain/execution-query.ts';
import { nowMicros } from '../../domain/time.ts';
import type { ExecutionRecord, Json, JsonObject } from '../../domain/types.ts';
import type { Store, Transition } from '../../store/store.ts';
import type { EventBus } from '../events.ts';
import type { ExecutionControl } from '../executions/control.ts';
import { serializeResult } from '../executions/result.ts';

export const INQUIRER_RUNNER = 'inquirer';

/** An inquiry as StackStorm's API shows it (InquiryResponseAPI). */
export interface InquiryView {
  id: string;
  route: Json;
  ttl: Json;
  users: Json;
  roles: Json;
  schema: Json;
}

export interface InquiryDeps {
  store: Store;
  bus: EventBus;
  control: ExecutionControl;
  /** The execution with this id; throws the API's not-found error for an unknown one. */
  getExecution(id: string): Promise<ExecutionRecord>;
  onError(error: unknown, context: string): void;
}

/** Who answers: the user, and the roles they hold (undefined when RBAC is off: roles then pass). */
export interface Responder {
  user: string;
  roles: readonly string[] | undefined;
}

const MINUTE_MICROS = 60 * 1_000_000;

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function viewOf(id: string, result: JsonObject): InquiryView {
  return {
    id,
    route: result['route'] ?? null,
    ttl: result['ttl'] ?? null,
    users: result['users'] ?? null,
    roles: result['roles'] ?? null,
    schema: result['schema'] ?? null,
  };
}

const PENDING_INQUIRIES = (limit: number | null, offset: number, countTotal: boolean): ExecutionQuery => ({
  where: [
    { field: { kind: 'column', column: 'runner_name' }, op: 'eq', value: INQUIRER_RUNNER },
    { field: { kind: 'column', column: 'status' }, op: 'eq', value: 'pending' },
  ],
  orderBy: [{ column: 'start_ts', descending: true }],
  limit,
  offset,
  countTotal,
});

export class Inquiries {
  readonly #deps: InquiryDeps;
  #timer: NodeJS.Timeout | undefined;
  #expiring: Promise<unknown> | undefined;

  constructor(deps: InquiryDeps) {
    this.#deps = deps;
  }

  /** Pending inquiries, newest first. */
  async list(limit: number | null, offset = 0): Promise<{ items: InquiryView[]; total: number }> {
    const page = await this.#deps.store.listExecutions(PENDING_INQUIRIES(limit, offset, true));
    const results = await this.#results(page.items.map((r) => r.id));
    return {
      items: page.items.map((r) => viewOf(r.id, results.get(r.id) ?? {})),
      total: page.total,
    };
  }

  /** One inquiry that can still be answered; 400 with StackStorm's message when it cannot. */
  async get(id: string): Promise<InquiryView> {
    const { record, result } = await this.#open(id);
    return viewOf(record.id, result);
  }

  /**
   * Answers an inquiry: checks that it is open, that the responder may answer (listed user, one of
   * the listed roles), and that the response fits the schema; then resumes the waiting workflow
   * and completes the inquiry with the response.
   */
  async respond(
    id: string,
    response: JsonObject,
    responder: Responder,
  ): Promise<{ id: string; response: JsonObject }> {
    const { record, result } = await this.#open(id);
    checkPermission(record.id, result, responder);
    // Defaults fill in for the check only: the stored response is the one given, as in StackStorm.
    const message = validationMessage(result['schema'] ?? {}, structuredClone(response), {
      fillDefaults: true,
    });
    if (message !== undefined) {
      throw new ValidationError(
        `Response for inquiry "${record.id}" did not pass schema validation. ${message}`,
      );
    }
    await this.#resumeWaitingWorkflow(record, responder.user);
    const at = nowMicros();
    const done = await this.#apply({
      id: record.id,
      from: ['pending'],
      to: 'succeeded',
      at,
      endTimestamp: at,
      result: serializeResult({ ...result, response }),
    });
    if (!done) throw new ValidationError(`Inquiry "${record.id}" has already been responded to.`);
    return { id, response };
  }

  /**
   * Times out the pending inquiries whose TTL (minutes; 0 or less: never) has run out, and resumes
   * the root workflow of each, where the timeout can be handled. Returns how many expired.
   */
  async expire(now: number): Promise<number> {
    let expired = 0;
    for (let offset = 0; ;) {
      const page = await this.#deps.store.listExecutions(PENDING_INQUIRIES(500, offset, false));
      const results = await this.#results(page.items.map((r) => r.id));
      for (const record of page.items) {
        const ttl = Number(results.get(record.id)?.['ttl'] ?? 0);
        if (!(ttl > 0) || now - record.startTimestamp <= ttl * MINUTE_MICROS) {
          offset++;
          continue;
        }
        const done = await this.#apply({
          id: record.id,
          from: ['pending'],
          to: 'timeout',
          at: now,
          endTimestamp: now,
        });
        if (!done) continue;
        expired++;
        // StackStorm resumes as its system user.
        if (record.parentId) await this.#resume(await this.#root(record), 'stanley');
      }
      if (page.items.length < 500) return expired;
    }
  }

  /** Checks for expired inquiries every `intervalMs` (StackStorm's garbage collector does it). */
  start(intervalMs: number, now: () => number): void {
    this.#timer = setInterval(() => {
      this.#expiring ??= this.expire(now())
        .catch((error: unknown) => this.#deps.onError(error, 'expiring inquiries failed'))
        .finally(() => {
          this.#expiring = undefined;
        });
    }, intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#expiring;
  }

  async #open(id: string): Promise<{ record: ExecutionRecord; result: JsonObject }> {
    const record = await this.#deps.getExecution(id);
    if (record.runnerName !== INQUIRER_RUNNER) {
      throw new ValidationError(`Action execution "${record.id}" is not an inquiry.`);
    }
    if (record.status === 'timeout') {
      throw new ValidationError(`Inquiry "${record.id}" timed out and cannot be responded to.`);
    }
    if (record.status !== 'pending') {
      throw new ValidationError(`Inquiry "${record.id}" has already been responded to.`);
    }
    return { record, result: (await this.#results([record.id])).get(record.id) ?? {} };
  }

  async #results(ids: readonly string[]): Promise<Map<string, JsonObject>> {
    const raw = await this.#deps.store.getResults(ids);
    const parsed = new Map<string, JsonObject>();
    for (const [id, text] of raw) {
      const value = JSON.parse(text) as Json;
      if (isObject(value)) parsed.set(id, value);
    }
    return parsed;
  }

  async #apply(change: Transition): Promise<ExecutionRecord | undefined> {
    const record = await this.#deps.store.transition(change);
    if (record) this.#deps.bus.emit({ type: 'execution.updated', record });
    return record;
  }

  /** Orquesta resumes the direct parent (its other branches may still run); ActionChain the root. */
  async #resumeWaitingWorkflow(record: ExecutionRecord, requester: string): Promise<void> {
    if (!record.parentId) return;
    const target =
      record.context['orquesta'] !== undefined ? await this.#parent(record) : await this.#root(record);
    await this.#resume(target, requester);
  }

  async #resume(target: ExecutionRecord | undefined, requester: string): Promise<void> {
    if (target?.status !== 'paused') return;
    await this.#deps.control.update(target, 'resuming', undefined, requester);
  }

  async #parent(record: ExecutionRecord): Promise<ExecutionRecord | undefined> {
    return record.parentId ? this.#deps.store.getExecution(record.parentId) : undefined;
  }

  async #root(record: ExecutionRecord): Promise<ExecutionRecord | undefined> {
    let current: ExecutionRecord | undefined = record;
    for (let depth = 0; current?.parentId && depth < 100; depth++) {
      const parent: ExecutionRecord | undefined = await this.#deps.store.getExecution(current.parentId);
      if (!parent) break;
      current = parent;
    }
    return current === record ? undefined : current;
  }
}

/** StackStorm's check_permission: a listed user (or no list), and one of the roles (or no list). */
function checkPermission(id: string, result: JsonObject, responder: Responder): void {
  const roles = Array.isArray(result['roles']) ? result['roles'] : [];
  const users = Array.isArray(result['users']) ? result['users'] : [];
  const rolesPassed =
    roles.length === 0 ||
    responder.roles === undefined ||
    roles.some((r) => responder.roles?.includes(String(r)));
  const usersPassed = users.length === 0 || users.includes(responder.user);
  if (!rolesPassed || !usersPassed) {
    throw new ForbiddenError(
      `User "${responder.user}" does not have permission to respond to inquiry "${id}".`,
    );
  }
}
