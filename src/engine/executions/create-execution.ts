/**
 * Creating an execution: StackStorm's `POST /executions` semantics (spec §2.2, §6) — action
 * resolution, context assembly, parameter rendering and validation, parent linkage — ending in one
 * stored `requested` row, which is all the dispatcher needs to pick it up.
 */
import { ValidationError, InternalError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import { WORKFLOW_RUNNERS } from '../../domain/status.ts';
import type { ExecutionStatus } from '../../domain/status.ts';
import { nowMicros } from '../../domain/time.ts';
import type { Action, ExecutionRecord, Json, JsonObject, RunnerType } from '../../domain/types.ts';
import type { Store, StoredAction } from '../../store/store.ts';
import type { EventBus } from '../events.ts';
import { templateDatastore, type Datastore } from '../datastore/datastore.ts';
import {
  datastoreKeysOf,
  ParameterRenderError,
  readsConfigContext,
  renderLiveParameters,
  validateParameters,
  type TemplateLookups,
} from '../parameters/index.ts';
import type { RunnerTypeRegistry } from '../runner-types.ts';
import { workflowExecutionIdFor } from '../workflows/workflow-execution-id.ts';
import { serializeResult } from './result.ts';

export interface ExecutionRequest {
  action: string;
  parameters?: JsonObject;
  context?: JsonObject;
  notify?: JsonObject;
  delay?: number;
  user?: string | null;
  callback?: JsonObject;
  result?: JsonObject;
  /** Task executions of an orquesta workflow: the ids StackStorm shows as top-level fields. */
  workflowExecution?: string;
  taskExecution?: string;
}

export interface CreateOptions {
  /** Who asks (the authenticated user, or the system user when auth is off). */
  requester: string;
  /** The decoded `St2-Context` header, merged over the context. */
  headerContext?: JsonObject;
  /**
   * With RBAC on, the roles of the user an execution runs as: the context then records them as
   * StackStorm's `rbac: {user, roles}` (spec §6.2).
   */
  rolesOf?: (user: string) => readonly string[];
}

export interface CreateDeps {
  store: Store;
  runnerTypes: RunnerTypeRegistry;
  bus: EventBus;
  /** Read by templates (`st2kv.system.x`); without it they see an empty datastore. */
  datastore?: Datastore;
  /** A pack's configuration, read by templates as `config_context`; without it, empty. */
  packConfig?: (pack: string) => Promise<JsonObject>;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `pack.name`, split at the first dot; null when there is no dot. */
export function splitRef(ref: string): { pack: string; name: string } | null {
  const dot = ref.indexOf('.');
  if (dot <= 0 || dot === ref.length - 1) return null;
  return { pack: ref.slice(0, dot), name: ref.slice(dot + 1) };
}

export async function resolveAction(store: Store, ref: string): Promise<StoredAction> {
  const stored = splitRef(ref) ? await store.getAction(ref) : undefined;
  if (!stored) throw new ValidationError(`Action "${ref}" cannot be found.`);
  return stored;
}

/** Context precedence (spec §6.2): parent's user > header user > body user > requester. */
function assembleContext(request: ExecutionRequest, options: CreateOptions, action: Action): JsonObject {
  const context: JsonObject = { ...(request.context ?? {}) };
  context['user'] = request.user ? request.user : options.requester;
  context['pack'] = action.pack;
  if (options.headerContext) Object.assign(context, options.headerContext);
  const parent = context['parent'];
  if (isObject(parent) && parent['user'] !== undefined && parent['user'] !== null)
    context['user'] = parent['user'];
  context['pack'] = action.pack;
  if (options.rolesOf && typeof context['user'] === 'string') {
    context['rbac'] = { user: context['user'], roles: [...options.rolesOf(context['user'])] };
  }
  return context;
}

/** Whose `st2kv.user` items templates read (spec §6.3): `api_user`, else `user`, else the requester. */
function datastoreUser(context: JsonObject, requester: string): string {
  for (const key of ['api_user', 'user']) {
    const value = context[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return requester;
}

export class ExecutionCreator {
  readonly #deps: CreateDeps;

  constructor(deps: CreateDeps) {
    this.#deps = deps;
  }

  async create(request: ExecutionRequest, options: CreateOptions): Promise<ExecutionRecord> {
    const { store, runnerTypes } = this.#deps;
    const stored = await resolveAction(store, request.action);
    const { action } = stored;
    const registered = runnerTypes.byName(action.runner_type);
    if (!registered) throw new InternalError(`Unable to find RunnerType with name="${action.runner_type}"`);
    const runner = registered.runnerType;
    const context = assembleContext(request, options, action);
    if (runner.name === 'orquesta' && context['workflow_execution'] === undefined) {
      const workflowExecution = await workflowExecutionIdFor(store, context);
      if (workflowExecution) context['workflow_execution'] = workflowExecution;
    }
    const delay = request.delay ?? 0;
    if (!Number.isSafeInteger(delay) || delay < 0) {
      throw new ValidationError(
        `Delay "${String(request.delay)}" must be a non-negative integer number of milliseconds.`,
      );
    }
    const provided = request.parameters ?? {};

    let live: JsonObject;
    try {
      const lookups: TemplateLookups = {};
      if (this.#deps.datastore) {
        lookups.st2kv = await templateDatastore(
          this.#deps.datastore,
          datastoreKeysOf({ action, runner }, provided),
          datastoreUser(context, options.requester),
        );
      }
      // Read only when a template asks: most executions never need the pack's config.
      if (this.#deps.packConfig && readsConfigContext({ action, runner }, provided)) {
        lookups.configContext = await this.#deps.packConfig(action.pack).catch((error: unknown) => {
          throw new ValidationError(error instanceof Error ? error.message : String(error));
        });
      }
      live = renderLiveParameters({ action, runner, provided, context, lookups });
    } catch (error) {
      if (error instanceof ParameterRenderError) {
        // StackStorm records a failed execution for render errors (but not for cast errors).
        await this.#insert(
          stored,
          registered.snapshotId,
          runner,
          request,
          context,
          provided,
          delay,
          'failed',
          {
            error: error.message,
            traceback: error.stack ?? error.message,
          },
        );
      }
      throw error;
    }
    if (!action.enabled) throw new ValidationError(`Unable to execute. Action "${action.ref}" is disabled.`);
    validateParameters({ action, runner, live, provided: Object.keys(provided) });

    const record = await this.#insert(
      stored,
      registered.snapshotId,
      runner,
      request,
      context,
      live,
      delay,
      'requested',
      request.result,
    );
    this.#deps.bus.emit({ type: 'execution.created', record });
    return record;
  }

  async #insert(
    stored: StoredAction,
    runnerSnapshotId: string,
    runner: RunnerType,
    request: ExecutionRequest,
    context: JsonObject,
    parameters: JsonObject,
    delay: number,
    status: ExecutionStatus,
    result: JsonObject | undefined,
  ): Promise<ExecutionRecord> {
    const { action } = stored;
    const start = nowMicros();
    const parent = context['parent'];
    const parentExecutionId =
      isObject(parent) && typeof parent['execution_id'] === 'string' ? parent['execution_id'] : null;
    const parentId =
      parentExecutionId && (await this.#deps.store.getExecution(parentExecutionId))
        ? parentExecutionId
        : null;
    const notify = Object.keys(action.notify).length > 0 ? action.notify : request.notify;
    const completed = status !== 'requested';
    const user = context['user'];
    const record: ExecutionRecord = {
      id: newId(),
      liveactionId: newId(),
      actionRef: action.ref,
      actionSnapshotId: stored.snapshotId,
      runnerSnapshotId,
      runnerName: runner.name,
      status,
      startTimestamp: start,
      endTimestamp: completed ? start : null,
      parentId,
      user: typeof user === 'string' ? user : null,
      parameters,
      context,
      liveaction: {
        action_is_workflow: WORKFLOW_RUNNERS.has(runner.name),
        callback: request.callback ?? {},
        runner_info: {},
        ...(notify && Object.keys(notify).length > 0 ? { notify } : {}),
      },
      log: completed
        ? [
            { timestamp: start, status: 'requested' },
            { timestamp: start, status },
          ]
        : [{ timestamp: start, status }],
      delay,
      resultSize: 0,
      triggerRefs: {},
      workflowExecution: request.workflowExecution ?? null,
      taskExecution: request.taskExecution ?? null,
    };
    const serialized = result && Object.keys(result).length > 0 ? serializeResult(result) : undefined;
    if (serialized) record.resultSize = serialized.size;
    await this.#deps.store.createExecution(record, serialized);
    return record;
  }
}
