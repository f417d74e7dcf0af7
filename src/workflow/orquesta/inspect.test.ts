/**
 * Inspection as StackStorm reports it. Expected entries come from st2's integration tests
 * (test_wiring_error_handling.py) and Orquesta's spec tests (orquesta/tests/unit/specs/native/),
 * Apache-2.0.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleWorkflow, FAIL_INSPECTION_ERRORS } from '../../../test/helpers/workflow-driver.ts';
import { inspectWorkflow, type ActionParameters } from './inspect.ts';

const CATALOG: Record<string, ActionParameters> = {
  'core.local': { cmd: { required: true }, timeout: { default: 60 } },
  'core.noop': {},
  'core.echo': { message: { required: true } },
};
const readFixture = (name: string): string =>
  readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'orquesta', `${name}.yaml`),
    'utf8',
  );
const lookupAction = (ref: string): ActionParameters | undefined => CATALOG[ref];

describe('inspectWorkflow', () => {
  it('reports content, context, expression and syntax errors as st2 does', () => {
    expect(inspectWorkflow(exampleWorkflow('tests/orquesta-fail-inspection'), { lookupAction })).toEqual(
      FAIL_INSPECTION_ERRORS,
    );
  });

  it('checks each action reference and its input against the catalogue', () => {
    const definition = `
version: 1.0
tasks:
  task1:
    action: echo
    next: [{do: task2}]
  task2:
    action: core.echoz
    next: [{do: task3}]
  task3:
    action: core.echo
    input:
      messages: hi
`;
    expect(inspectWorkflow(definition, { lookupAction })).toEqual([
      {
        type: 'content',
        message: 'The action reference "echo" is not formatted correctly.',
        schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.action',
        spec_path: 'tasks.task1.action',
      },
      {
        type: 'content',
        message: 'The action "core.echoz" is not registered in the database.',
        schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.action',
        spec_path: 'tasks.task2.action',
      },
      {
        type: 'content',
        message: 'Action "core.echo" is missing required input "message".',
        schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.input',
        spec_path: 'tasks.task3.input',
      },
      {
        type: 'content',
        message: 'Action "core.echo" has unexpected input "messages".',
        schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.input.patternProperties.^\\w+$',
        spec_path: 'tasks.task3.input.messages',
      },
    ]);
  });

  it.each([
    ['sequential', 'orquesta-sequential'],
    ['join', 'orquesta-join'],
    ['with items', 'orquesta-with-items-concurrency'],
    ['retry', 'orquesta-task-retry'],
    ['remediate then fail', 'orquesta-remediate-then-fail'],
    ['action-less', 'tests/orquesta-test-action-less-tasks'],
  ])('finds nothing wrong with the %s example', (_name, workflow) => {
    expect(inspectWorkflow(exampleWorkflow(workflow))).toEqual([]);
  });

  it.each([
    {
      name: 'a `when` that is not a string',
      next: '- when: [foobar]\n        do: task2',
      error: {
        message: "['foobar'] is not of type 'string'",
        schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.next.items.properties.when.type',
        spec_path: 'tasks.task1.next[0].when',
      },
    },
    {
      name: 'a bare name under publish',
      next: '- publish: [foobar]\n        do: task2',
      error: {
        message: "['foobar'] is not valid under any of the given schemas",
        schema_path:
          'properties.tasks.patternProperties.^\\w+$.properties.next.items.properties.publish.oneOf',
        spec_path: 'tasks.task1.next[0].publish',
      },
    },
    {
      name: 'a mapping under do',
      next: '- do: {task2: foobar}',
      error: {
        message: "{'task2': 'foobar'} is not valid under any of the given schemas",
        schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.next.items.properties.do.oneOf',
        spec_path: 'tasks.task1.next[0].do',
      },
    },
  ])('reports $name with jsonschema’s message (orquesta test_workflow_spec_validate)', ({ next, error }) => {
    const definition = `
version: 1.0
tasks:
  task1:
    action: core.noop
    next:
      ${next}
  task2:
    action: core.noop
`;
    expect(inspectWorkflow(definition)).toEqual([{ type: 'syntax', ...error }]);
  });

  it('reports semantic errors: undefined tasks, reserved names, no start task, with-items without action', () => {
    const definition = `
version: 1.0
tasks:
  noop:
    action: core.noop
  task1:
    with: <% ctx(xs) %>
    next:
      - do: task9
`;
    expect(inspectWorkflow(definition, { knownVariables: ['xs'] })).toEqual([
      {
        type: 'semantic',
        message: 'The task name "noop" is reserved with special function.',
        spec_path: 'tasks.noop',
        schema_path: 'properties.tasks.patternProperties.^\\w+$',
      },
      {
        type: 'semantic',
        message: 'The action property is required for with items task.',
        spec_path: 'tasks.task1',
        schema_path: 'properties.tasks.patternProperties.^\\w+$',
      },
      {
        type: 'semantic',
        message: 'The task "task9" is not defined.',
        spec_path: 'tasks.task1.next[0].do',
        schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.next.items.properties.do',
      },
    ]);
    const loop = 'version: 1.0\ntasks:\n  a:\n    next: [{do: b}]\n  b:\n    next: [{do: a}]\n';
    expect(inspectWorkflow(loop).map((e) => e.message)).toEqual([
      'Unable to identify any tasks to start the workflow. If the workflow has a loop, please add a task that serves as an entry point (or lead) into the loop.',
    ]);
  });

  it('reports a join behind nested forks as unreachable (orquesta test_unreachable_task)', () => {
    const definition = `
version: 1.0
tasks:
  task1:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task2, task3, task5
  task2:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task4
  task3:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task4
  task4:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task5
  task5:
    join: all
    action: core.noop
`;
    expect(inspectWorkflow(definition)).toEqual([
      {
        type: 'semantic',
        message:
          'The join task "task5" is unreachable. A join task is determined to be unreachable if there are nested forks ' +
          'from multi-referenced tasks that join on the said task. This is ambiguous to the workflow engine because it ' +
          'does not know at which level should the join occurs.',
        spec_path: 'tasks.task5',
        schema_path: 'properties.tasks.patternProperties.^\\w+$',
      },
    ]);
    expect(inspectWorkflow(readFixture('split'))).toEqual([]);
  });

  it('reports unknown properties and a missing tasks section', () => {
    expect(inspectWorkflow('version: 1.0\nfoo: bar\n')).toEqual([
      {
        type: 'syntax',
        message: "Additional properties are not allowed ('foo' was unexpected)",
        spec_path: null,
        schema_path: 'additionalProperties',
      },
      { type: 'syntax', message: "'tasks' is a required property", spec_path: null, schema_path: 'required' },
    ]);
  });

  it('knows variables published upstream, but not those of a sibling branch', () => {
    const definition = `
version: 1.0
input: [a]
tasks:
  t1:
    action: core.noop
    next:
      - publish: b=<% ctx(a) %>
        do: [t2, t3]
      - when: <% failed() %>
        publish: c=1
        do: t4
  t2:
    action: core.echo message=<% ctx(b) %>
  t3:
    action: core.echo message=<% ctx(c) %>
  t4:
    action: core.noop
output:
  - all: <% ctx(b) %><% ctx(c) %>
`;
    expect(inspectWorkflow(definition)).toEqual([
      {
        type: 'context',
        language: 'yaql',
        expression: '<% ctx(c) %>',
        message: 'Variable "c" is referenced before assignment.',
        spec_path: 'tasks.t3.input',
        schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.input',
      },
    ]);
  });
});
