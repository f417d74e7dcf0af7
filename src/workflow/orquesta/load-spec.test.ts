/** Loading Orquesta definitions, shorthands included (cases from Orquesta's spec tests, Apache-2.0). */
import { describe, expect, it } from 'vitest';
import { parseInlineParams } from './inline-params.ts';
import { loadWorkflowSpec } from './load-spec.ts';

describe('parseInlineParams', () => {
  it.each([
    [
      'cmd="echo hi" timeout=10',
      [
        ['cmd', 'echo hi'],
        ['timeout', 10],
      ],
    ],
    [
      "msg='a b' flag=true other=False n=null",
      [
        ['msg', 'a b'],
        ['flag', true],
        ['other', false],
        ['n', null],
      ],
    ],
    [
      'x=<% ctx(a) %> y={{ ctx("b") }}',
      [
        ['x', '<% ctx(a) %>'],
        ['y', '{{ ctx("b") }}'],
      ],
    ],
    [
      'ratio=0.5 list=[1, 2] obj=\'{"a": 1}\'',
      [
        ['ratio', 0.5],
        ['list', [1, 2]],
        ['obj', { a: 1 }],
      ],
    ],
    ['quoted="123"', [['quoted', '123']]],
    ['no parameters here', []],
  ])('%s', (text, expected) => {
    expect(parseInlineParams(text)).toEqual(expected);
  });
});

describe('loadWorkflowSpec', () => {
  it('resolves the shorthands of actions, publish, do and with', () => {
    const spec = loadWorkflowSpec(`
version: 1.0
input:
  - a
  - b: 2
tasks:
  t1:
    action: core.local cmd="ls" timeout=5
    next:
      - when: <% succeeded() %>
        publish: x=<% result() %> y=1
        do: t2, t3
      - publish:
          - z: 3
  t2:
    with: i in <% ctx(a) %>
    action: core.noop
  t3:
    with:
      items: <% ctx(a) %>
      concurrency: 2
    action: core.noop
    join: all
    retry:
      count: 2
`);
    expect(spec.input).toEqual([
      { name: 'a', value: null, hasDefault: false },
      { name: 'b', value: 2, hasDefault: true },
    ]);
    const t1 = spec.tasks['t1'];
    expect(t1?.action).toBe('core.local');
    expect(t1?.input).toEqual({ cmd: 'ls', timeout: 5 });
    expect(t1?.next).toEqual([
      {
        when: '<% succeeded() %>',
        publish: [
          { name: 'x', value: '<% result() %>', hasDefault: true },
          { name: 'y', value: 1, hasDefault: true },
        ],
        do: ['t2', 't3'],
      },
      { when: undefined, publish: [{ name: 'z', value: 3, hasDefault: true }], do: ['continue'] },
    ]);
    expect(spec.tasks['t2']?.with).toEqual({ items: '<% ctx(a) %>', keys: ['i'], concurrency: undefined });
    expect(spec.tasks['t3']).toMatchObject({
      with: { items: '<% ctx(a) %>', keys: [], concurrency: 2 },
      join: 'all',
      retry: { count: 2, when: undefined, delay: undefined },
    });
  });
});
