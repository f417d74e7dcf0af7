/**
 * The first step of a workflow execution: a new Orquesta run (definition read, inspected and
 * started), an Orquesta re-run from tasks (the original workflow's state reused, spec §9.3), or a
 * new ActionChain run. Failures to start are `WorkflowStartError`s the service turns into a failed
 * execution with StackStorm's result.
 */
import type { Datastore } from '../datastore/datastore.ts';
import { executionUser, workflowFunctions } from './st2kv.ts';
import { newId } from '../../domain/ids.ts';
import type { Action, ExecutionRecord, Json, JsonObject, RunnerType } from '../../domain/types.ts';
import type { Store, WorkflowKind } from '../../store/store.ts';
import { ChainDefinitionError, loadChain } from '../../workflow/action-chain/index.ts';
import { inspectWorkflow, loadWorkflowSpec, type InspectionError } from '../../workflow/orquesta/index.ts';
import { renderFinalParameters } from '../parameters/index.ts';
import type { RunnerTypeRegistry } from '../runner-types.ts';
import { startChain } from './chain-driver.ts';
import { actionParameters, actionRefsOf, readDefinition } from './definitions.ts';
import { rerunOrquesta, startOrquesta, WorkflowStartError, type OrquestaState } from './orquesta-driver.ts';
import type { StepOutcome, WorkflowDoc } from './types.ts';

export interface StartDeps {
  store: Store;
  runnerTypes: RunnerTypeRegistry;
  apiUrl: string;
  /** What `st2kv()` reads; without it a workflow naming `st2kv` sees an empty datastore. */
  datastore?: Datastore;
}

export interface Started {
  /** The workflow's id: Orquesta's workflow execution id, or the chain's execution id. */
  id: string;
  kind: WorkflowKind;
  outcome: StepOutcome;
  /**
   * For a re-run from tasks: the execution that owned the finished workflow when its state was
   * read. The service claims the workflow only if it is still finished and owned by that one.
   */
  reRunOf?: string;
}

/** StackStorm's refusal to continue a workflow that another re-run (or its own run) still drives. */
export function notCompletedError(wfId: string): WorkflowStartError {
  return new WorkflowStartError(
    `Unable to rerun workflow execution "${wfId}" because it is not in a completed state.`,
  );
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Inspects an Orquesta definition with the content checks against the registered actions. */
export async function inspectDefinition(
  deps: Pick<StartDeps, 'store' | 'runnerTypes'>,
  definition: string,
): Promise<InspectionError[]> {
  const params = await actionParameters(deps.store, deps.runnerTypes, actionRefsOf(definition));
  return inspectWorkflow(definition, {
    knownVariables: ['st2', 'parent'],
    lookupAction: (ref) => params.get(ref),
  });
}

/** The workflow's input: the action's parameters with defaults applied and templates rendered. */
async function finalParameters(
  store: Store,
  execution: ExecutionRecord,
): Promise<{ runnerParameters: JsonObject; actionParameters: JsonObject }> {
  const docs = await store.getSnapshots([execution.actionSnapshotId, execution.runnerSnapshotId]);
  const action = docs.get(execution.actionSnapshotId) as unknown as Action | undefined;
  const runner = docs.get(execution.runnerSnapshotId) as unknown as RunnerType | undefined;
  if (!action || !runner) {
    throw new WorkflowStartError(
      `The stored copy of the action or runner type of execution ${execution.id} is missing.`,
    );
  }
  try {
    return renderFinalParameters({ action, runner, live: execution.parameters, context: execution.context });
  } catch (e) {
    throw new WorkflowStartError(e instanceof Error ? e.message : String(e));
  }
}

export async function startWorkflowFor(deps: StartDeps, execution: ExecutionRecord): Promise<Started> {
  if (execution.runnerName === 'action-chain') return startChainFor(deps, execution);
  const wfId = execution.context['workflow_execution'];
  const reRun = execution.context['re-run'];
  const tasks = isObject(reRun) ? strings(reRun['tasks']) : [];
  if (tasks.length > 0) {
    if (typeof wfId !== 'string') {
      throw new WorkflowStartError(
        'Unable to rerun workflow execution because workflow_execution_id is not provided.',
      );
    }
    const stored = await deps.store.getWorkflow(wfId);
    if (!stored) {
      throw new WorkflowStartError(`Unable to rerun workflow execution "${wfId}" because it does not exist.`);
    }
    if (!stored.finished) throw notCompletedError(wfId);
    const previous = JSON.parse(stored.state) as WorkflowDoc;
    const reset = isObject(reRun) ? strings(reRun['reset']) : [];
    const outcome = rerunOrquesta(previous.state as OrquestaState, tasks, reset);
    return { id: wfId, kind: 'orquesta', outcome, reRunOf: stored.executionId };
  }
  const id = typeof wfId === 'string' ? wfId : newId();
  const definition = await readDefinition(deps.store, execution);
  const errors = await inspectDefinition(deps, definition);
  if (errors.length > 0) {
    throw new WorkflowStartError(
      errors[0]?.message ?? 'Workflow inspection failed.',
      errors as unknown as JsonObject[],
    );
  }
  const input = (await finalParameters(deps.store, execution)).actionParameters;
  const functions = await workflowFunctions(deps.datastore, definition, executionUser(execution));
  const outcome = startOrquesta(
    id,
    loadWorkflowSpec(definition),
    input,
    st2Context(deps, execution, id),
    functions,
  );
  return { id, kind: 'orquesta', outcome };
}

/** What `ctx()` sees besides input and vars: StackStorm's `st2` (and `parent` for a sub-workflow). */
function st2Context(deps: StartDeps, execution: ExecutionRecord, wfId: string): JsonObject {
  const ctx: JsonObject = {
    st2: {
      action_execution_id: execution.id,
      api_url: deps.apiUrl,
      user: execution.user,
      pack: execution.context['pack'] ?? null,
      action: execution.actionRef,
      runner: execution.runnerName,
      workflow_execution_id: wfId,
    },
  };
  const parent = execution.context['parent'];
  if (isObject(parent)) ctx['parent'] = parent;
  return ctx;
}

async function startChainFor(deps: StartDeps, execution: ExecutionRecord): Promise<Started> {
  const definition = await readDefinition(deps.store, execution);
  let spec;
  try {
    spec = loadChain(definition, execution.actionRef);
  } catch (e) {
    if (e instanceof ChainDefinitionError) throw new ChainStartError(e.message);
    throw e;
  }
  const known: string[] = [];
  for (const node of spec.chain) if (await deps.store.getAction(node.ref)) known.push(node.ref);
  const { runnerParameters, actionParameters } = await finalParameters(deps.store, execution);
  const display = runnerParameters['display_published'];
  return {
    id: execution.id,
    kind: 'action-chain',
    outcome: startChain(
      spec,
      known,
      actionParameters,
      execution.context,
      typeof display === 'boolean' ? display : true,
    ),
  };
}

/** A chain that cannot start: StackStorm fails it with `{error, traceback}`. */
export class ChainStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChainStartError';
  }
}
