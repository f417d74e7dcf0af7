/**
 * Orquesta's own conducting tests ("rehearsals", orquesta/tests/unit/conducting/native/,
 * Apache-2.0): every requested action completes in request order — succeeded unless mocked
 * otherwise — and the resulting task sequence, routes, terminal tasks and errors must match.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadWorkflowSpec,
  rerun,
  startWorkflow,
  step,
  type ActionStatus,
  type StepResult,
  type WorkflowCommand,
  type WorkflowState,
} from './index.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'orquesta');

interface Rehearsal {
  readonly name: string;
  readonly workflow: string;
  readonly input?: Record<string, unknown>;
  readonly mocks?: Readonly<Record<string, ActionStatus>>;
  readonly results?: Readonly<Record<string, unknown>>;
  readonly sequence: readonly string[];
  readonly routes?: readonly (readonly string[])[];
  readonly terms?: readonly string[];
  readonly status?: string;
  readonly errors?: readonly unknown[];
  /** One task at a time (a loop): the order is the same in both engines. */
  readonly ordered?: boolean;
}

function rehearse(r: Rehearsal) {
  const definition = readFileSync(join(FIXTURES, `${r.workflow}.yaml`), 'utf8');
  return play(startWorkflow(loadWorkflowSpec(definition), { input: r.input ?? {} }), r);
}

/** Completes every requested action in request order (succeeded unless mocked) with its mocked result. */
function play(started: StepResult, r: Pick<Rehearsal, 'mocks' | 'results'>) {
  let state = started.state;
  const queue: WorkflowCommand[] = [...started.commands];
  const all: WorkflowCommand[] = [...started.commands];
  for (let command = queue.shift(); command; command = queue.shift()) {
    if (command.type !== 'run_action') continue;
    const status = r.mocks?.[command.taskId] ?? 'succeeded';
    for (const s of ['running', status] as const) {
      const result = s === 'running' ? undefined : r.results?.[command.taskId];
      const out = step(state, {
        type: 'action_status',
        taskId: command.taskId,
        route: command.route,
        status: s,
        ...(result === undefined ? {} : { result }),
      });
      state = out.state;
      queue.push(...out.commands);
      all.push(...out.commands);
    }
  }
  return { state, completed: all.find((c) => c.type === 'workflow_completed') };
}

const key = (t: { id: string; route: number }): string => `${t.id}__r${t.route}`;

const rehearsals: Rehearsal[] = [
  {
    name: 'test_split: a task reached from two branches runs once per branch, each on its own route',
    workflow: 'split',
    routes: [[], ['task2__t0'], ['task3__t0']],
    sequence: [
      'task1__r0',
      'task2__r0',
      'task3__r0',
      'task4__r1',
      'task4__r2',
      'task5__r1',
      'task5__r2',
      'task6__r1',
      'task6__r2',
      'task7__r1',
      'task7__r2',
    ],
    terms: ['task7__r1', 'task7__r2'],
  },
  {
    name: 'test_join',
    workflow: 'join',
    sequence: ['task1__r0', 'task2__r0', 'task4__r0', 'task3__r0', 'task5__r0', 'task6__r0', 'task7__r0'],
  },
  {
    name: 'test_join_no_inbound: a failed branch fails the workflow',
    workflow: 'join',
    mocks: { task3: 'failed', task5: 'failed' },
    sequence: ['task1__r0', 'task2__r0', 'task4__r0', 'task3__r0', 'task5__r0'],
    status: 'failed',
  },
  {
    name: 'test_join_count_satisfied_with_branch_error_1',
    workflow: 'join-count',
    mocks: { task6: 'failed' },
    routes: [[], ['task6__t0']],
    sequence: [
      'task1__r0',
      'task2__r0',
      'task4__r0',
      'task6__r0',
      'noop__r1',
      'task3__r0',
      'task5__r0',
      'task8__r0',
    ],
    status: 'succeeded',
  },
  {
    name: 'test_join_count_not_satisfied: the join is unreachable',
    workflow: 'join-count',
    mocks: { task5: 'failed', task7: 'failed' },
    routes: [[], ['task5__t0'], ['task7__t0']],
    sequence: [
      'task1__r0',
      'task2__r0',
      'task4__r0',
      'task6__r0',
      'task3__r0',
      'task5__r0',
      'task7__r0',
      'noop__r1',
      'noop__r2',
    ],
    status: 'failed',
    errors: [
      { message: 'Execution failed. See result for details.', type: 'error', task_id: 'task5' },
      { message: 'Execution failed. See result for details.', type: 'error', task_id: 'task7' },
      {
        message:
          'UnreachableJoinError: The join task|route "task8|0" is partially satisfied but unreachable.',
        type: 'error',
        route: 0,
        task_id: 'task8',
      },
    ],
  },
  {
    name: 'test_cycle: a loop runs until its condition fails',
    workflow: 'cycle',
    ordered: true,
    sequence: ['prep', 'task1', 'task2', 'task3', 'task1', 'task2', 'task3', 'task1', 'task2', 'task3'].map(
      (t) => `${t}__r0`,
    ),
  },
  {
    name: 'test_cycles: nested loops',
    workflow: 'cycles',
    ordered: true,
    sequence: [
      ...['prep', 'task1', 'task2', 'task3', 'task4', 'task2', 'task5'],
      ...['task1', 'task2', 'task3', 'task4', 'task2', 'task5'],
      ...['task1', 'task2', 'task3', 'task4', 'task2', 'task5'],
    ].map((t) => `${t}__r0`),
  },
];

describe('Orquesta rehearsals', () => {
  it.each(rehearsals)('$name', (r) => {
    const { state, completed } = rehearse(r);
    // Compared as sets: Squall records a task when it requests the action, Orquesta when the
    // action first reports, so siblings of one step can be listed in another order.
    if (r.ordered) expect(state.sequence.map(key)).toEqual(r.sequence);
    else expect(state.sequence.map(key).sort()).toEqual([...r.sequence].sort());
    if (r.routes) expect(state.routes).toEqual(r.routes);
    if (r.terms) expect(state.sequence.filter((t) => t.term).map(key)).toEqual(r.terms);
    expect(completed?.type === 'workflow_completed' ? completed.status : undefined).toBe(
      r.status ?? 'succeeded',
    );
    if (r.errors) expect(state.errors).toEqual(r.errors);
  });
});

/** Orquesta's test_workflow_rerun.py: re-running a failed workflow, phase by phase. */
describe('Orquesta rerun rehearsals', () => {
  const terms = (state: WorkflowState): string[] => state.sequence.filter((t) => t.term).map((t) => t.id);
  const ids = (state: WorkflowState): string[] => state.sequence.map((t) => t.id);
  const status = (c: WorkflowCommand | undefined): string | undefined =>
    c?.type === 'workflow_completed' ? c.status : undefined;

  it('test_basic: re-running the failed task continues to the end', () => {
    const first = rehearse({
      name: '',
      workflow: 'sequential',
      sequence: [],
      input: { name: 'Stanley' },
      mocks: { task2: 'failed' },
      results: { task1: 'Stanley' },
    });
    expect(ids(first.state)).toEqual(['task1', 'task2']);
    expect(terms(first.state)).toEqual(['task2']);
    expect(status(first.completed)).toBe('failed');
    const second = play(rerun(first.state, { tasks: ['task2'] }), {
      results: {
        task2: 'All your base are belong to us!',
        task3: 'Stanley, All your base are belong to us!',
      },
    });
    expect(ids(second.state)).toEqual(['task1', 'task2', 'task2', 'task3', 'continue']);
    expect(second.completed).toEqual({
      type: 'workflow_completed',
      status: 'succeeded',
      result: { output: { greeting: 'Stanley, All your base are belong to us!' } },
    });
  });

  it('test_fail_single_branch: the other branch continues where it stopped', () => {
    const first = rehearse({ name: '', workflow: 'parallel', sequence: [], mocks: { task2: 'failed' } });
    expect(ids(first.state).sort()).toEqual(['task1', 'task2', 'task4', 'task5']);
    expect(terms(first.state).sort()).toEqual(['task2', 'task5']);
    const second = play(rerun(first.state), { mocks: { task2: 'failed' } });
    expect(ids(second.state).slice(4).sort()).toEqual(['task2', 'task6']);
    expect(terms(second.state).sort()).toEqual(['task2', 'task6']);
    expect(status(second.completed)).toBe('failed');
    const third = play(rerun(second.state, { tasks: ['task2'] }), {});
    expect(ids(third.state).slice(6)).toEqual(['task2', 'task3']);
    expect(terms(third.state).sort()).toEqual(['task3', 'task6']);
    expect(status(third.completed)).toBe('succeeded');
  });

  it('test_fail_multiple_before_join: both failed branches re-run and the join runs', () => {
    const first = rehearse({
      name: '',
      workflow: 'join',
      sequence: [],
      mocks: { task3: 'failed', task5: 'failed' },
    });
    expect(terms(first.state).sort()).toEqual(['task3', 'task5']);
    const second = play(rerun(first.state), {});
    expect(ids(second.state).slice(5)).toEqual(['task3', 'task5', 'task6', 'task7']);
    expect(terms(second.state)).toEqual(['task7']);
    expect(status(second.completed)).toBe('succeeded');
  });
});
