/** With-items and retry, driven by events (workflows from StackStorm's examples pack). */
import { describe, expect, it } from 'vitest';
import { actionsRun, drive, exampleWorkflow } from '../../../test/helpers/workflow-driver.ts';

const echo = (stdout: string): Record<string, unknown> => ({
  stdout,
  stderr: '',
  return_code: 0,
  succeeded: true,
  failed: false,
});
const MEMBERS = ['Lakshmi', 'Lindsay', 'Tomaz', 'Matt', 'Drew'];

describe('with items', () => {
  it('runs every item at once without concurrency; the result lists item results in item order', () => {
    const events = MEMBERS.map(
      (m, i) => ['task1', 'succeeded', echo(`${m}, resistance is futile!`), { item: i }] as const,
    );
    // Items complete out of order; the result keeps item order.
    const run = drive(exampleWorkflow('orquesta-with-items'), { members: MEMBERS }, [...events].reverse());
    expect(actionsRun(run.steps[0] ?? [])).toEqual(
      MEMBERS.map((m, item) => ({
        task: 'task1',
        item,
        action: 'core.echo',
        input: { message: `${m}, resistance is futile!` },
      })),
    );
    expect(run.completed).toMatchObject({
      status: 'succeeded',
      result: { output: { items: MEMBERS.map((m) => `${m}, resistance is futile!`) } },
    });
  });

  it('keeps at most `concurrency` items running', () => {
    const run = drive(
      exampleWorkflow('orquesta-with-items-concurrency'),
      { members: MEMBERS, concurrency: 2 },
      [
        ['task1', 'running', undefined, { item: 0 }],
        ['task1', 'succeeded', echo('a'), { item: 0 }],
        ['task1', 'succeeded', echo('b'), { item: 1 }],
        ['task1', 'succeeded', echo('c'), { item: 3 }],
        ['task1', 'succeeded', echo('d'), { item: 2 }],
        ['task1', 'succeeded', echo('e'), { item: 4 }],
      ],
    );
    const items = run.steps.map((commands) => actionsRun(commands).map((a) => (a as { item: number }).item));
    expect(items).toEqual([[0, 1], [], [2], [3], [4], [], []]);
    expect(run.completed?.result).toEqual({ output: { items: ['a', 'b', 'd', 'c', 'e'] } });
  });

  it('fails the task once running items finish after one failed, and names the failed item', () => {
    const failed = { failed: true, return_code: 1, stderr: '', stdout: '', succeeded: false };
    const run = drive(exampleWorkflow('tests/orquesta-test-with-items-failure'), {}, [
      ...Array.from({ length: 10 }, (_, i) =>
        i % 2 === 1
          ? (['task1', 'failed', failed, { item: i }] as const)
          : (['task1', 'succeeded', echo(''), { item: i }] as const),
      ),
    ]);
    expect(actionsRun(run.steps[0] ?? [])).toHaveLength(10);
    // Only after the last item reported does the workflow complete.
    expect(
      run.steps
        .slice(0, 10)
        .flat()
        .filter((c) => c.type === 'workflow_completed'),
    ).toEqual([]);
    expect(run.completed?.status).toBe('failed');
    const errors = (run.completed?.result.errors ?? []).map((e) => e.task_id);
    expect(errors).toEqual(['task1']);
  });

  it('succeeds at once with an empty list of items', () => {
    const run = drive(exampleWorkflow('orquesta-with-items'), { members: [] }, []);
    expect(actionsRun(run.commands)).toEqual([]);
    expect(run.completed).toMatchObject({ status: 'succeeded', result: { output: { items: [] } } });
  });

  it('names item fields with `x, y in <% zip(…) %>`', () => {
    const definition = `
version: 1.0
input: [hosts, commands]
tasks:
  t:
    with: host, cmd in <% zip(ctx(hosts), ctx(commands)) %>
    action: core.remote hosts=<% item(host) %> cmd=<% item(cmd) %>
`;
    const run = drive(definition, { hosts: ['h1', 'h2'], commands: ['ls', 'pwd'] }, []);
    expect(actionsRun(run.commands)).toEqual([
      { task: 't', item: 0, action: 'core.remote', input: { hosts: 'h1', cmd: 'ls' } },
      { task: 't', item: 1, action: 'core.remote', input: { hosts: 'h2', cmd: 'pwd' } },
    ]);
  });

  it('fails the workflow when the items expression is not a list', () => {
    const definition = `
version: 1.0
input: [xs]
tasks:
  t:
    with: <% ctx(xs) %>
    action: core.noop
`;
    const run = drive(definition, { xs: 'abc' }, []);
    expect(run.completed).toEqual({
      type: 'workflow_completed',
      status: 'failed',
      result: {
        output: null,
        errors: [
          {
            type: 'error',
            message: 'TypeError: The value of "<% ctx(xs) %>" is not type of list.',
            task_id: 't',
            route: 0,
          },
        ],
      },
    });
  });
});

describe('retry', () => {
  const definition = `
version: 1.0
tasks:
  check:
    action: core.local cmd="test -e /tmp/done"
    retry:
      count: 2
      delay: 5
    next:
      - when: <% succeeded() %>
        do: after
  after:
    action: core.noop
`;

  it('re-runs a failed task after its delay until it succeeds', () => {
    const run = drive(definition, {}, [
      ['check', 'failed', { return_code: 1 }],
      ['check', 'succeeded', { return_code: 0 }],
      ['after', 'succeeded', {}],
    ]);
    expect(actionsRun(run.commands)).toEqual([
      { task: 'check', action: 'core.local', input: { cmd: 'test -e /tmp/done' } },
      { task: 'check', action: 'core.local', input: { cmd: 'test -e /tmp/done' }, delay: 5 },
      { task: 'after', action: 'core.noop', input: {} },
    ]);
    expect(run.completed?.status).toBe('succeeded');
  });

  it('fails once the retries are exhausted', () => {
    const run = drive(definition, {}, [
      ['check', 'failed', { return_code: 1 }],
      ['check', 'failed', { return_code: 1 }],
      ['check', 'failed', { return_code: 2 }],
    ]);
    expect(actionsRun(run.commands)).toHaveLength(3);
    expect(run.completed?.status).toBe('failed');
  });

  it('retries while `when` holds', () => {
    const run = drive(
      `
version: 1.0
tasks:
  poll:
    action: core.http url=http://x
    retry:
      when: <% result().status_code != 200 %>
      count: 5
`,
      {},
      [
        ['poll', 'succeeded', { status_code: 503 }],
        ['poll', 'succeeded', { status_code: 200 }],
      ],
    );
    expect(actionsRun(run.commands)).toHaveLength(2);
    expect(run.completed?.status).toBe('succeeded');
  });
});
