/**
 * ActionChain as a pure step function, following StackStorm's action_chain_runner: run the
 * default node, then `on-success` or `on-failure` of each node by its child's status, publish
 * after every node, stop on cancel, pause (saving vars), and a top-level `error` when a node
 * cannot be run.
 */
import type { ChainNode } from './chain-spec.ts';
import type {
  ChainCommand,
  ChainEvent,
  ChainState,
  ChainStatus,
  ChainStepResult,
  ChildStatus,
} from './chain-state.ts';
import type { ChainSpec } from './chain-spec.ts';
import { RenderFailure, renderValues, type RenderTemplate } from './render-values.ts';

export interface ChainOptions {
  /** Renders one Jinja template (the engine's st2-compatible renderer). */
  readonly render: RenderTemplate;
  /** Extra names templates can read, e.g. `st2kv` and `config_context`. */
  readonly templateContext?: Readonly<Record<string, unknown>>;
  /** Whether an action is registered; a node naming an unknown one fails the chain. */
  readonly actionExists?: (ref: string) => boolean;
}

export interface ChainStart {
  readonly parameters?: Record<string, unknown>;
  readonly context?: Record<string, unknown>;
  /** The runner parameter `display_published` (default true). */
  readonly displayPublished?: boolean;
}

export function initialChainState(spec: ChainSpec, start: ChainStart = {}): ChainState {
  const displayPublished = start.displayPublished ?? true;
  return {
    spec,
    status: 'requested',
    parameters: structuredClone(start.parameters ?? {}),
    context: structuredClone(start.context ?? {}),
    displayPublished,
    vars: {},
    results: {},
    result: displayPublished ? { tasks: [], published: {} } : { tasks: [] },
    outcome: 'failed',
    reported: false,
  };
}

const FAILED_STATES: readonly ChildStatus[] = ['failed', 'timeout', 'abandoned'];
const DONE: readonly ChildStatus[] = [
  'succeeded',
  'failed',
  'timeout',
  'abandoned',
  'canceled',
  'paused',
  'pending',
];

interface Step {
  readonly state: ChainState;
  readonly commands: ChainCommand[];
  readonly options: ChainOptions;
}

export function stepChain(previous: ChainState, event: ChainEvent, options: ChainOptions): ChainStepResult {
  const state = structuredClone(previous);
  const s: Step = { state, commands: [], options };
  const before = state.status;
  if (!state.reported) {
    switch (event.type) {
      case 'requested':
        if (state.status === 'requested') start(s);
        break;
      case 'action_status':
        onActionStatus(s, event);
        break;
      case 'pause':
        if (state.status === 'running') {
          state.status = state.current ? 'pausing' : 'paused';
          if (state.current) s.commands.push({ type: 'pause_action', node: state.current });
        }
        break;
      case 'resume':
        if (state.status === 'paused') resume(s);
        break;
      case 'cancel':
        cancel(s);
        break;
    }
  }
  report(s, before);
  return { state, commands: s.commands };
}

function start(s: Step): void {
  const { state } = s;
  state.status = 'running';
  try {
    state.vars = renderValues(
      state.spec.vars,
      { ...s.options.templateContext, ...state.parameters },
      s.options.render,
    );
  } catch (e) {
    fail(s, 'Failed initializing ``vars`` in chain', e);
    return;
  }
  state.outcome = 'succeeded';
  runNode(s, state.spec.default);
}

function templateContext(
  state: ChainState,
  extra: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  return { ...extra, ...state.parameters, ...state.results, ...state.vars, __results: state.results };
}

function runNode(s: Step, name: string | undefined): void {
  const { state } = s;
  if (!name) {
    state.current = undefined;
    finishChain(state, state.outcome);
    return;
  }
  const node = state.spec.chain.find((n) => n.name === name);
  if (!node) {
    fail(
      s,
      `Failed to get next node "${state.current ?? name}"`,
      new Error(`Unable to find node with name "${name}".`),
    );
    return;
  }
  if (s.options.actionExists && !s.options.actionExists(node.ref)) {
    fail(
      s,
      `Failed to run task "${node.name}". Action with reference "${node.ref}" doesn't exist`,
      new Error(`Task :: ${node.name} - Action with ref ${node.ref} not registered.`),
    );
    return;
  }
  let parameters: Record<string, unknown>;
  try {
    const ctx = {
      ...templateContext(state, s.options.templateContext),
      action_context: { parent: state.context },
    };
    parameters = renderValues(node.parameters, ctx, s.options.render);
  } catch (e) {
    const reason =
      e instanceof RenderFailure
        ? new Error(
            `Failed rendering value for action parameter "${e.key}" in task "${node.name}" (template string=${e.template}): ${e.reason}`,
          )
        : e;
    fail(s, `Failed to run task "${node.name}". Parameter rendering failed.`, reason);
    return;
  }
  state.current = node.name;
  s.commands.push({
    type: 'run_action',
    node: node.name,
    action: node.ref,
    parameters,
    context: { chain: node.definition },
  });
}

function onActionStatus(s: Step, event: Extract<ChainEvent, { type: 'action_status' }>): void {
  const { state } = s;
  if (state.current !== event.node || !DONE.includes(event.status)) return;
  const node = state.spec.chain.find((n) => n.name === event.node) as ChainNode;
  const result = event.result ?? null;
  const last = state.result.tasks[state.result.tasks.length - 1];
  // A paused task (or an answered inquiry) that reports again replaces its earlier record (as on
  // resume in StackStorm).
  const replaced = last?.name === node.name && (last.state === 'paused' || last.state === 'pending');
  // StackStorm's quirk on resume, which its inquiry example relies on
  // (`{{ task1.result.response.x }}`): templates then see the earlier result with the new one
  // under `result`.
  const earlier = replaced ? last.result : undefined;
  state.results[node.name] =
    typeof earlier === 'object' && earlier !== null && !Array.isArray(earlier)
      ? { ...earlier, result }
      : result;
  let error: string | undefined;
  try {
    publish(s, node, state.results[node.name] ?? null);
  } catch (e) {
    error = `Failed running task "${node.name}". ${e instanceof Error ? e.message : String(e)}`;
    state.results[node.name] = { error };
  }
  if (replaced) state.result.tasks.pop();
  state.result.tasks.push({
    id: node.name,
    name: node.name,
    ...event.execution,
    workflow: null,
    state: error ? 'failed' : event.status,
    result: error ? { error } : result,
  });
  advance(s, node, event.status);
}

function publish(s: Step, node: ChainNode, result: unknown): void {
  const { state } = s;
  if (!node.publish || Object.keys(node.publish).length === 0) return;
  const ctx = {
    ...s.options.templateContext,
    ...state.parameters,
    [node.name]: result,
    ...state.results,
    ...state.vars,
    __results: state.results,
  };
  let rendered: Record<string, unknown>;
  try {
    rendered = renderValues(node.publish, ctx, s.options.render);
  } catch (e) {
    if (!(e instanceof RenderFailure)) throw e;
    throw new Error(
      `Failed rendering value for publish parameter "${e.key}" in task "${node.name}" (template string=${e.template}): ${e.reason}`,
    );
  }
  Object.assign(state.vars, rendered);
  if (state.result.published) Object.assign(state.result.published, rendered);
}

/** The next node by the child's status, unless the chain was paused or canceled meanwhile. */
function advance(s: Step, node: ChainNode, status: ChildStatus): void {
  const { state } = s;
  let next: string | undefined;
  if (status === 'canceled') {
    finishChain(state, 'canceled');
    return;
  }
  if (status === 'paused' || status === 'pending') {
    state.outcome = 'paused';
    state.status = 'paused';
    return;
  }
  if (status === 'succeeded') {
    state.outcome = 'succeeded';
    next = node.onSuccess;
  } else if (FAILED_STATES.includes(status)) {
    state.outcome = status === 'timeout' ? 'timeout' : 'failed';
    next = node.onFailure;
  }
  if (state.status === 'canceling') {
    finishChain(state, 'canceled');
    return;
  }
  // Paused (or pausing): the next node waits for the resume. A task can also complete while the
  // chain is paused, e.g. an inquiry answered before the chain's resume is seen.
  if (state.status === 'pausing' || state.status === 'paused') {
    state.status = 'paused';
    state.current = next;
    return;
  }
  state.current = undefined;
  runNode(s, next);
}

function cancel(s: Step): void {
  const { state } = s;
  if (state.status === 'running' || state.status === 'pausing') {
    // The running child finishes (StackStorm cancels only workflow children); then the chain ends.
    state.status = state.current ? 'canceling' : 'canceled';
    if (state.current) s.commands.push({ type: 'cancel_action', node: state.current });
  } else if (state.status === 'paused') {
    if (state.current && lastRecordState(state) === 'paused')
      s.commands.push({ type: 'cancel_action', node: state.current });
    finishChain(state, 'canceled');
  }
}

function resume(s: Step): void {
  const { state } = s;
  state.status = 'running';
  // An inquiry is answered, not resumed: the chain runs again and waits for its completion.
  if (state.current && lastRecordState(state) === 'pending') return;
  if (state.current && lastRecordState(state) === 'paused') {
    s.commands.push({ type: 'resume_action', node: state.current });
    return;
  }
  runNode(s, state.current);
}

function lastRecordState(state: ChainState): ChildStatus | undefined {
  return state.result.tasks[state.result.tasks.length - 1]?.state;
}

function fail(s: Step, message: string, e: unknown): void {
  const reason = e instanceof Error ? e.message : String(e);
  s.state.result.error = `${message}. ${reason}`;
  finishChain(s.state, 'failed');
}

function finishChain(state: ChainState, status: ChainStatus): void {
  state.status = status;
  state.current = undefined;
}

function report(s: Step, before: ChainStatus): void {
  const { state } = s;
  if (state.reported) return;
  if (['succeeded', 'failed', 'timeout', 'canceled'].includes(state.status)) {
    state.reported = true;
    s.commands.push({ type: 'chain_completed', status: state.status, result: structuredClone(state.result) });
  } else if (state.status !== before) {
    s.commands.unshift({ type: 'chain_status', status: state.status, result: structuredClone(state.result) });
  }
}

export type { ChainStatus };
