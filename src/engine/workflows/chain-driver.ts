/**
 * ActionChain behind the common workflow loop: each node's action is a child execution whose
 * context carries the node (`chain`), and the chain's result lists each child's ids and times.
 */
import { formatTimestamp, nowMicros } from '../../domain/time.ts';
import type { ExecutionRecord, JsonObject } from '../../domain/types.ts';
import {
  initialChainState,
  stepChain,
  type ChainCommand,
  type ChainEvent,
  type ChainOptions,
  type ChainSpec,
  type ChainState,
} from '../../workflow/action-chain/index.ts';
import { compileTemplate } from '../parameters/template.ts';
import type { StepOutcome, WorkflowCommand, WorkflowDriver, WorkflowEvent } from './types.ts';

/** What the engine persists for a chain: the chain's state and which of its actions exist. */
export interface ChainRunState {
  chain: ChainState;
  /** Refs of the chain's actions registered when it started (a node naming another one fails). */
  knownActions: string[];
}

function options(state: ChainRunState): ChainOptions {
  const known = new Set(state.knownActions);
  return {
    render: (source, context) => compileTemplate(source).render(context),
    actionExists: (ref) => known.has(ref),
  };
}

function translate(commands: readonly ChainCommand[]): WorkflowCommand[] {
  return commands.map((c): WorkflowCommand => {
    switch (c.type) {
      case 'run_action':
        return {
          type: 'run',
          ref: c.node,
          action: c.action,
          parameters: c.parameters as JsonObject,
          context: { chain: c.context.chain as JsonObject },
          delayMs: 0,
        };
      case 'pause_action':
        return { type: 'pause', ref: c.node };
      case 'resume_action':
        return { type: 'resume', ref: c.node };
      case 'cancel_action':
        return { type: 'cancel', ref: c.node };
      case 'chain_status':
        return { type: 'status', status: c.status, result: c.result as unknown as JsonObject };
      case 'chain_completed':
        return { type: 'completed', status: c.status, result: c.result as unknown as JsonObject };
    }
  });
}

function toChainEvent(event: WorkflowEvent): ChainEvent {
  if (event.type !== 'child') return { type: event.type };
  const child = event.child;
  return {
    type: 'action_status',
    node: event.ref,
    status: event.status,
    result: event.result,
    ...(child
      ? {
          execution: {
            execution_id: child.id,
            liveaction_id: child.liveactionId,
            created_at: formatTimestamp(child.startTimestamp),
            updated_at: formatTimestamp(child.endTimestamp ?? nowMicros()),
          },
        }
      : {}),
  };
}

export const chainDriver: WorkflowDriver = {
  step(raw: unknown, event: WorkflowEvent): StepOutcome {
    const state = raw as ChainRunState;
    const next = stepChain(state.chain, toChainEvent(event), options(state));
    return { state: { ...state, chain: next.state }, commands: translate(next.commands) };
  },
  refOf(child: ExecutionRecord): string | undefined {
    const node = child.context['chain'];
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    return typeof node['name'] === 'string' ? node['name'] : undefined;
  },
};

export function startChain(
  spec: ChainSpec,
  knownActions: string[],
  parameters: JsonObject,
  context: JsonObject,
  displayPublished: boolean,
): StepOutcome {
  const initial: ChainRunState = {
    chain: initialChainState(spec, { parameters, context, displayPublished }),
    knownActions,
  };
  const next = stepChain(initial.chain, { type: 'requested' }, options(initial));
  return { state: { ...initial, chain: next.state }, commands: translate(next.commands) };
}
