/**
 * ActionChain driven by events, as tables: chains of StackStorm's examples pack (see
 * test/fixtures/packs/examples/README.md), the statuses and results the children report, and
 * the children requested and the chain's end. Templates are rendered by the engine's Jinja.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../engine/parameters/template.ts';
import { ChainDefinitionError, loadChain } from './chain-spec.ts';
import { initialChainState, stepChain, type ChainOptions } from './chain-runner.ts';
import type { ChainCommand, ChainEvent, ChildStatus } from './chain-state.ts';

const CHAINS = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'test',
  'fixtures',
  'packs',
  'examples',
  'actions',
  'chains',
);
const exampleChain = (name: string): string => readFileSync(join(CHAINS, `${name}.yaml`), 'utf8');

const options: ChainOptions = { render: (source, context) => compileTemplate(source).render(context) };
const local = (stdout: string, code = 0): Record<string, unknown> => ({
  failed: code !== 0,
  succeeded: code === 0,
  return_code: code,
  stdout,
  stderr: '',
});

const TWO_NODES = `
chain:
  - name: c1
    ref: core.local
    parameters: {cmd: echo c1}
    on-success: c2
  - name: c2
    ref: core.local
    parameters: {cmd: exit 1}
`;

type Ev = readonly [string, ChildStatus, unknown?] | 'pause' | 'resume' | 'cancel';

function runChain(
  definition: string,
  parameters: Record<string, unknown>,
  events: readonly Ev[],
  opts = options,
) {
  let state = initialChainState(loadChain(definition), { parameters, context: { user: 'stanley' } });
  const steps: ChainCommand[][] = [];
  for (const e of ['requested' as const, ...events]) {
    const event: ChainEvent =
      typeof e === 'string' ? { type: e } : { type: 'action_status', node: e[0], status: e[1], result: e[2] };
    const out = stepChain(state, event, opts);
    state = out.state;
    steps.push(out.commands);
  }
  const commands = steps.flat();
  const runs = commands.flatMap((c) =>
    c.type === 'run_action' ? [{ node: c.node, action: c.action, parameters: c.parameters }] : [],
  );
  const completed = commands.find((c) => c.type === 'chain_completed');
  return { state, steps, runs, completed };
}

const rows = [
  {
    name: 'sequential: parameters rendered from parameters, results and published vars',
    chain: exampleChain('chain_sequential'),
    parameters: { name: 'Stanley' },
    events: [
      ['task1', 'succeeded', local('Stanley')],
      ['task2', 'succeeded', local('All your base are belong to us!')],
      ['task3', 'succeeded', local('Stanley, All your base are belong to us!')],
    ] as Ev[],
    runs: [
      { node: 'task1', action: 'core.echo', parameters: { message: 'Stanley' } },
      { node: 'task2', action: 'core.echo', parameters: { message: 'All your base are belong to us!' } },
      {
        node: 'task3',
        action: 'core.echo',
        parameters: { message: 'Stanley, All your base are belong to us!' },
      },
    ],
    status: 'succeeded',
    published: { greeting: 'Stanley, All your base are belong to us!' },
  },
  {
    name: 'echochain_param: a node reads the previous node’s result',
    chain: exampleChain('echochain_param'),
    parameters: { input1: 'x' },
    events: [
      ['c1', 'succeeded', local('c1, input x')],
      ['c2', 'succeeded', local('c2 c1, input x')],
      ['c3', 'succeeded', local('c3 c2 c1, input x')],
    ] as Ev[],
    runs: [
      { node: 'c1', action: 'core.local', parameters: { cmd: 'echo c1, input x' } },
      { node: 'c2', action: 'core.local', parameters: { cmd: 'echo c2 c1, input x' } },
      { node: 'c3', action: 'core.local', parameters: { cmd: 'echo c3 c2 c1, input x' } },
    ],
    status: 'succeeded',
    published: {},
  },
  {
    name: 'on-failure: a failed node goes to its on-failure node, and the chain ends succeeded',
    chain: exampleChain('echochain_param'),
    parameters: { input1: 'x' },
    events: [
      ['c1', 'failed', local('', 1)],
      ['c4', 'succeeded', local('fail c4')],
    ] as Ev[],
    runs: [
      { node: 'c1', action: 'core.local', parameters: { cmd: 'echo c1, input x' } },
      { node: 'c4', action: 'core.local', parameters: { cmd: 'echo fail c4' } },
    ],
    status: 'succeeded',
    published: {},
  },
  {
    name: 'a failure without on-failure fails the chain',
    chain: TWO_NODES,
    parameters: {},
    events: [
      ['c1', 'succeeded', local('c1')],
      ['c2', 'failed', local('', 1)],
    ] as Ev[],
    runs: [
      { node: 'c1', action: 'core.local', parameters: { cmd: 'echo c1' } },
      { node: 'c2', action: 'core.local', parameters: { cmd: 'exit 1' } },
    ],
    status: 'failed',
    published: {},
  },
  {
    name: 'a timed out last task times the chain out',
    chain: exampleChain('echochain_param'),
    parameters: { input1: 'x' },
    events: [
      ['c1', 'timeout', local('', -9)],
      ['c4', 'timeout'],
    ] as Ev[],
    runs: undefined,
    status: 'timeout',
    published: {},
  },
];

describe('action chain', () => {
  it.each(rows)('$name', (row) => {
    const run = runChain(row.chain, row.parameters, row.events);
    if (row.runs) expect(run.runs).toEqual(row.runs);
    expect(run.completed).toMatchObject({ status: row.status, result: { published: row.published } });
    expect(run.steps.flat().filter((c) => c.type === 'chain_completed')).toHaveLength(1);
  });

  it('records each task in StackStorm’s result shape, with the engine’s execution fields', () => {
    const chain = loadChain(exampleChain('chain_sequential'));
    let state = initialChainState(chain, { parameters: { name: 'S' } });
    state = stepChain(state, { type: 'requested' }, options).state;
    const out = stepChain(
      state,
      {
        type: 'action_status',
        node: 'task1',
        status: 'succeeded',
        result: local('S'),
        execution: { execution_id: 'e1', liveaction_id: 'l1' },
      },
      options,
    );
    expect(out.state.result.tasks).toEqual([
      {
        id: 'task1',
        name: 'task1',
        execution_id: 'e1',
        liveaction_id: 'l1',
        workflow: null,
        state: 'succeeded',
        result: local('S'),
      },
    ]);
    expect(out.commands[0]).toMatchObject({
      type: 'run_action',
      node: 'task2',
      context: { chain: { name: 'task2', ref: 'core.echo' } },
    });
  });

  it('renders vars and publishes nested values with the datastore in the context', () => {
    const run = runChain(
      exampleChain('publish_data'),
      { system_info_path: '/v1/system' },
      [['get_host', 'succeeded', local('web1')]],
      { ...options, templateContext: { st2kv: { system: { domain: 'example.com' } } } },
    );
    expect(run.state.result.published).toEqual({
      api_url: 'http://web1:9101',
      webui_url: 'http://web1:8080',
      host: 'web1',
      fqdn: 'web1.example.com',
      paths: { api: ['v1/actions', 'v1/triggers'], webui: '/', auth_port: '9102', system_info: '/v1/system' },
    });
    expect(run.runs[1]).toEqual({
      node: 'say_the_names',
      action: 'core.local',
      parameters: {
        cmd: 'echo host=web1, domain=example.com, fqdn=web1.example.com, api_url=http://web1:9101, webui_url=http://web1:8080',
      },
    });
  });

  it('fails with a top-level error when a node’s parameters cannot be rendered', () => {
    const chain = `
chain:
  - name: a
    ref: core.local
    parameters:
      cmd: "{{ 1 / }}"
`;
    const run = runChain(chain, {}, []);
    expect(run.completed).toMatchObject({ status: 'failed', result: { tasks: [] } });
    expect((run.completed as { result: { error: string } }).result.error).toMatch(
      /^Failed to run task "a"\. Parameter rendering failed\.\. Failed rendering value for action parameter "cmd" in task "a" \(template string=\{\{ 1 \/ \}\}\): /,
    );
  });

  it('leaves `published` out when display_published is false', () => {
    let state = initialChainState(loadChain(exampleChain('chain_sequential')), {
      parameters: { name: 'S' },
      displayPublished: false,
    });
    for (const event of [
      { type: 'requested' },
      { type: 'action_status', node: 'task1', status: 'succeeded', result: local('S') },
      { type: 'action_status', node: 'task2', status: 'succeeded', result: local('B') },
    ] as const) {
      state = stepChain(state, event, options).state;
    }
    const out = stepChain(
      state,
      { type: 'action_status', node: 'task3', status: 'succeeded', result: local('S, B') },
      options,
    );
    expect(out.commands).toEqual([
      { type: 'chain_completed', status: 'succeeded', result: { tasks: expect.any(Array) as unknown } },
    ]);
    // Published variables still feed later templates.
    expect(out.state.vars).toEqual({ greeting: 'S, B' });
  });

  it('fails before any task when vars cannot be rendered', () => {
    const chain = 'vars:\n  a: "{{ 1 / }}"\nchain:\n  - name: n\n    ref: core.noop\n';
    const run = runChain(chain, { x: 1 }, []);
    expect(run.runs).toEqual([]);
    expect(run.completed).toMatchObject({ status: 'failed', result: { tasks: [], published: {} } });
    expect((run.completed as { result: { error: string } }).result.error).toMatch(
      /^Failed initializing ``vars`` in chain\. /,
    );
  });

  it('fails when a node names an action that is not registered', () => {
    const run = runChain(exampleChain('chain_sequential'), { name: 'S' }, [], {
      ...options,
      actionExists: () => false,
    });
    expect(run.completed).toMatchObject({
      status: 'failed',
      result: {
        error:
          'Failed to run task "task1". Action with reference "core.echo" doesn\'t exist. Task :: task1 - Action with ref core.echo not registered.',
      },
    });
  });

  it('pauses after the running task and resumes with the next one', () => {
    const run = runChain(exampleChain('chain_test_pause_resume'), { tempfile: '/tmp/t', message: 'hi' }, [
      'pause',
      ['task1', 'succeeded', local('')],
      'resume',
      ['task2', 'succeeded', local('hi')],
    ]);
    expect(run.steps[1]).toEqual([
      { type: 'chain_status', status: 'pausing', result: { tasks: [], published: {} } },
      { type: 'pause_action', node: 'task1' },
    ]);
    expect(run.steps[2]).toMatchObject([{ type: 'chain_status', status: 'paused' }]);
    expect(run.steps[3]).toMatchObject([
      { type: 'chain_status', status: 'running' },
      { type: 'run_action', node: 'task2', parameters: { cmd: 'echo "hi"' } },
    ]);
    expect(run.completed).toMatchObject({ status: 'succeeded' });
  });

  it('pauses when a task pauses, and resumes that task', () => {
    const run = runChain(exampleChain('chain_test_pause_resume'), { tempfile: '/tmp/t', message: 'hi' }, [
      ['task1', 'paused'],
      'resume',
      ['task1', 'succeeded', local('')],
      ['task2', 'succeeded', local('hi')],
    ]);
    expect(run.steps[1]).toMatchObject([{ type: 'chain_status', status: 'paused' }]);
    expect(run.steps[2]).toMatchObject([
      { type: 'chain_status', status: 'running' },
      { type: 'resume_action', node: 'task1' },
    ]);
    expect(run.state.result.tasks.map((t) => [t.name, t.state])).toEqual([
      ['task1', 'succeeded'],
      ['task2', 'succeeded'],
    ]);
  });

  it('pauses on a pending inquiry; once answered and resumed, runs on with the response', () => {
    const asked = { schema: {}, roles: [], users: [], route: 'developers', ttl: 1440 };
    const answered = { ...asked, response: { secondfactor: 'x1' } };
    // StackStorm resumes the chain before the inquiry completes; the other order works the same.
    for (const order of [
      ['resume', 'answer'],
      ['answer', 'resume'],
    ] as const) {
      const events = order.map((e) =>
        e === 'resume' ? 'resume' : (['task1', 'succeeded', answered] as const),
      );
      const run = runChain(exampleChain('chain_test_inquiry'), {}, [['task1', 'pending', asked], ...events]);
      expect(run.steps[1]).toMatchObject([{ type: 'chain_status', status: 'paused' }]);
      // The inquiry is never run again, and the next task gets its answer.
      expect(run.runs.map((r) => r.node)).toEqual(['task1', 'task2']);
      expect(run.runs[1]?.parameters).toEqual({
        cmd: 'echo "We can now authenticate to "foo" service with x1"',
      });
      expect(run.state.result.tasks.map((t) => [t.name, t.state])).toEqual([['task1', 'succeeded']]);
    }
  });

  it('cancels after the running task without starting the next', () => {
    const run = runChain(exampleChain('chain_test_pause_resume'), { tempfile: '/tmp/t', message: 'hi' }, [
      'cancel',
      ['task1', 'succeeded', local('')],
    ]);
    expect(run.steps[1]).toMatchObject([
      { type: 'chain_status', status: 'canceling' },
      { type: 'cancel_action', node: 'task1' },
    ]);
    expect(run.runs).toHaveLength(1);
    expect(run.completed).toMatchObject({
      status: 'canceled',
      result: { tasks: [{ name: 'task1', state: 'succeeded' }] },
    });
  });

  it('rejects chains referencing nodes that do not exist', () => {
    expect(() => loadChain('chain:\n  - name: a\n    ref: core.noop\n    on-success: b\n')).toThrow(
      new ChainDefinitionError('Unable to find node with name "b" referenced in "on-success" in task "a".'),
    );
    expect(() => loadChain('chain:\n  - name: a\n    ref: core.noop\ndefault: z\n')).toThrow(
      'Unable to find node with name "z" referenced in "default".',
    );
  });

  it('rejects the examples pack’s echochain_task_failure, whose on-failure names a missing node', () => {
    expect(() => loadChain(exampleChain('echochain_task_failure'))).toThrow(
      'Unable to find node with name "c4" referenced in "on-failure" in task "c1".',
    );
  });

  it('starts at the first node nothing leads to when there is no default', () => {
    const spec = loadChain(
      'chain:\n  - name: b\n    ref: core.noop\n  - name: a\n    ref: core.noop\n    on-success: b\n',
    );
    expect(spec.default).toBe('a');
  });
});
