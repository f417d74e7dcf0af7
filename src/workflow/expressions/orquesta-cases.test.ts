/**
 * Cases from Orquesta's own unit tests (github:StackStorm/orquesta, Apache-2.0):
 * orquesta/tests/unit/expressions/test_facade_yaql_evaluate.py, test_facade_jinja_evaluate.py,
 * test_yaql_eval_by_function_arg.py, test_yaql_ctx_query.py, test_jinja_eval_raw_blocks.py,
 * test_yaql_validate.py, test_jinja_validate.py, test_facade.py, functions/test_common.py and the
 * *_ctx_by_* extraction tests. Expressions, data and expected values are copied; code is ours.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, inspectSyntax, referencedVariables } from './index.ts';

const run = (expr: unknown, vars: Record<string, unknown> = {}): unknown =>
  evaluate(expr, { vars, functions: {} });

const RECURSIVE = {
  fee: '<% ctx().fi %>',
  fi: '<% ctx().fo %>',
  fo: '<% ctx().fum %>',
  fum: 'fee-fi-fo-fum',
};
const RECURSIVE_J = {
  fee: '{{ ctx().fi }}',
  fi: '{{ ctx().fo }}',
  fo: '{{ ctx().fum }}',
  fum: 'fee-fi-fo-fum',
};
const TYPES = { k1: 101, k2: 1.999, k3: true, k4: [1, 2], k5: { k: 'v' }, k6: null };
const VMS = [
  { name: 'vmweb1', region: 'us-east', role: 'web' },
  { name: 'vmdb1', region: 'us-east', role: 'db' },
  { name: 'vmweb2', region: 'us-west', role: 'web' },
  { name: 'vmdb2', region: 'us-west', role: 'db' },
];
const VMS_BY_NAME = Object.fromEntries(VMS.map((vm) => [vm.name, vm]));

describe.each([
  ['yaql', (s: string) => `<% ${s} %>`],
  ['jinja', (s: string) => `{{ ${s} }}`],
] as const)('Orquesta facade evaluation (%s)', (_language, x) => {
  it.each<[string, unknown, Record<string, unknown>, unknown]>([
    ['basic', x('ctx().foo'), { foo: 'bar' }, 'bar'],
    ['interpolated', `foo${x('ctx().foo')}`, { foo: 'bar' }, 'foobar'],
    ['nested dict', x('ctx().nested.foo'), { nested: { foo: 'bar' } }, 'bar'],
    ['multiple', `${x('ctx().foo')} and ${x('ctx().marco')}`, { foo: 'bar', marco: 'polo' }, 'bar and polo'],
    ['int', x('ctx().k1'), TYPES, 101],
    ['float', x('ctx().k2'), TYPES, 1.999],
    ['bool', x('ctx().k3'), TYPES, true],
    ['list', x('ctx().k4'), TYPES, [1, 2]],
    ['dict', x('ctx().k5'), TYPES, { k: 'v' }],
    ['null', x('ctx().k6'), TYPES, null],
    ['numbers in text', `${x('ctx().foo')} -> ${x('ctx().bar')}`, { foo: 101, bar: 201 }, '101 -> 201'],
    ['custom function json', x(`json('{"a": 123}')`), {}, { a: 123 }],
  ])('%s', (_name, expr, vars, expected) => {
    expect(run(expr, vars)).toEqual(expected);
  });

  it('evaluates lists, dicts and dict keys recursively', () => {
    const data = { foo: 'bar', marco: 'polo', bar: 'bar' };
    expect(run([x('ctx().foo'), x('ctx().marco'), `foo${x('ctx().foo')}`], data)).toEqual([
      'bar',
      'polo',
      'foobar',
    ]);
    expect(run([[x('ctx().foo'), x('ctx().marco')]], data)).toEqual([['bar', 'polo']]);
    expect(run([{ foo: x('ctx().bar'), [x('ctx().foo')]: 'polo' }], data)).toEqual([
      { foo: 'bar', bar: 'polo' },
    ]);
    expect(run({ nested: { foo: x('ctx().bar'), [x('ctx().marco')]: 'polo' } }, data)).toEqual({
      nested: { foo: 'bar', polo: 'polo' },
    });
    expect(run({ nested: [x('ctx().foo'), x('ctx().marco')] }, data)).toEqual({ nested: ['bar', 'polo'] });
  });

  it('fails on an undefined variable and on json() of a number', () => {
    expect(() => run(x('ctx().foo'))).toThrow(ExpressionError);
    expect(() => run(x('json(int(123))'))).toThrow(ExpressionError);
  });
});

describe('recursive evaluation of string results', () => {
  it('expands expressions found in results (yaql and jinja)', () => {
    expect(run('<% ctx().fee %>', RECURSIVE)).toBe('fee-fi-fo-fum');
    expect(run('{{ ctx().fee }}', RECURSIVE_J)).toBe('fee-fi-fo-fum');
    expect(
      run('<% ctx(fee) %> <% ctx(im) %>', {
        fee: '<% ctx(fi) %>',
        fi: '<% ctx(fo) %>',
        fo: '<% ctx(fum) %>',
        fum: 'fee-fi-fo-fum!',
        im: '<% ctx(hungry) %>',
        hungry: "i'm hungry!",
      }),
    ).toBe("fee-fi-fo-fum! i'm hungry!");
  });

  it('fails when the chain ends in an undefined variable', () => {
    const { fum: _fum, ...broken } = RECURSIVE_J;
    expect(() => run('{{ ctx().fee }}', broken)).toThrow(ExpressionError);
  });

  it('stops a self-referencing variable instead of overflowing the stack', () => {
    expect(() => run('<% ctx(x) %>', { x: '<% ctx(x) %>' })).toThrow(/RecursionError/);
  });
});

describe('YAQL by function argument and queries', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['<% ctx(foo) %>', { foo: 'bar' }, 'bar'],
    ['<% ctx(ctx(foo)) %>', { foo: 'bar', bar: 'foobar' }, 'foobar'],
    ['<% ctx(ctx().foo) %>', { foo: 'bar', bar: 'foobar' }, 'foobar'],
    ['<% ctx(nested).foo %>', { nested: { foo: 'bar' } }, 'bar'],
    ['<% ctx(vms).select($.name) %>', { vms: VMS }, ['vmweb1', 'vmdb1', 'vmweb2', 'vmdb2']],
    ['<% ctx().vms.select($.name) %>', { vms: VMS }, ['vmweb1', 'vmdb1', 'vmweb2', 'vmdb2']],
    ['<% ctx(vms)[0] %>', { vms: VMS }, VMS[0]],
    ['<% ctx().vms[0] %>', { vms: VMS }, VMS[0]],
    ['<% dict(vms=>dict(ctx(vms).select([$.name, $]))) %>', { vms: VMS }, { vms: VMS_BY_NAME }],
    ['<% ctx(vms).get(vmweb1) %>', { vms: VMS_BY_NAME }, VMS[0]],
    ['<% ctx().vms[vmweb1] %>', { vms: VMS_BY_NAME }, VMS[0]],
    ['<% ctx(val).distinct() %>', { val: [1, 2, 3, 1] }, [1, 2, 3]],
    ['<% ctx(val).distinct() %>', { val: [{ a: 1 }, { b: 2 }, { a: 1 }] }, [{ a: 1 }, { b: 2 }]],
    [
      '<% ctx(val).distinct($[1]) %>',
      {
        val: [
          ['a', 1],
          ['b', 2],
          ['c', 1],
          ['a', 3],
        ],
      },
      [
        ['a', 1],
        ['b', 2],
        ['a', 3],
      ],
    ],
  ])('%s', (expr, vars, expected) => {
    expect(run(expr, vars)).toEqual(expected);
  });
});

describe('Jinja blocks and raw blocks', () => {
  it.each<[string, Record<string, unknown>, unknown]>([
    ['{% for i in ctx().x %}{{ i }}{% endfor %}', { x: ['a', 'b', 'c'] }, 'abc'],
    [
      '{% for i in ctx().x %}{{ i.k }}{{ ctx().z }}{% endfor %}',
      { x: [{ k: 'a' }, { k: 'b' }, { k: 'c' }], z: '->' },
      'a->b->c->',
    ],
    [
      '{% for i in ctx().x %}{{ i }}{% endfor %}',
      {
        x: ['{{ ctx().a }}', '{{ ctx().b }}', '{{ ctx().c }}{% for j in ctx().y %}{{ j }}{% endfor %}'],
        a: 'a',
        b: 'b',
        c: 'c',
        y: ['d', 'e', 'f'],
      },
      'abcdef',
    ],
    [
      '{% for i in ctx().x %}{{ i }}{% endfor %}{% for i in ctx().y %}{{ i }}{% endfor %}',
      { x: ['a', 'b', 'c'], y: ['d', 'e', 'f'] },
      'abcdef',
    ],
    ['{% raw %}{{ ctx().foo }}{% endraw %}', { foo: 'bar' }, '{{ ctx().foo }}'],
    [
      '{% raw %}{{ ctx().foo }}{% endraw %} and {% raw %}{{ ctx().bar }}{% endraw %} and {% raw %}foobar{% endraw %}',
      { foo: 'bar' },
      '{{ ctx().foo }} and {{ ctx().bar }} and foobar',
    ],
    [
      '{{ ctx().a }}{% for i in ctx().x %}{{ i }}{% endfor %}{{ ctx().d }} and {% raw %}{{ 1234 }}{% endraw %}',
      { x: ['b', 'c'], a: 'a', d: 'd' },
      'abcd and {{ 1234 }}',
    ],
  ])('%s', (expr, vars, expected) => {
    expect(run(expr, vars)).toBe(expected);
  });

  it('fails on an undefined value inside a block', () => {
    expect(() => run('{% for i in ctx().x %}{{ ctx().y }}{% endfor %}', { x: ['a'] })).toThrow(
      ExpressionError,
    );
  });
});

describe('functions/common', () => {
  it.each<[string, unknown]>([
    [`<% json('{"k1": "v1"}') %>`, { k1: 'v1' }],
    [`<% json('[{"a": 1}, {"b": 2}]') %>`, [{ a: 1 }, { b: 2 }]],
    [`<% json('[5, 3, 5, 4]') %>`, [5, 3, 5, 4]],
    ['<% zip() %>', []],
    ['<% zip(null) %>', []],
    ['<% zip([1, 2, 3, 4, 5]) %>', [1, 2, 3, 4, 5]],
    [
      "<% zip([1, 2], ['a', 'b']) %>",
      [
        [1, 'a'],
        [2, 'b'],
      ],
    ],
    [
      "<% zip([1, 2], ['a', 'b'], ['i', 'ii']) %>",
      [
        [1, 'a', 'i'],
        [2, 'b', 'ii'],
      ],
    ],
    [
      "<% zip([1, 2, 3], ['a']) %>",
      [
        [1, 'a'],
        [2, null],
        [3, null],
      ],
    ],
    [
      "<% zip([1, 2, 3], ['a'], pad => 'foobar') %>",
      [
        [1, 'a'],
        [2, 'foobar'],
        [3, 'foobar'],
      ],
    ],
    [
      "<% zip([], ['a', 'b'], pad => 'z') %>",
      [
        ['z', 'a'],
        ['z', 'b'],
      ],
    ],
    [
      "{{ zip([], ['a', 'b'], pad='z') }}",
      [
        ['z', 'a'],
        ['z', 'b'],
      ],
    ],
  ])('%s', (expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });

  it('ctx() hides private variables and refuses to read them by name', () => {
    const vars = { a: 123, b: 'foobar', __state: { foobar: 'fubar' } };
    expect(run('<% ctx() %>', vars)).toEqual({ a: 123, b: 'foobar' });
    expect(() => run('<% ctx(__state) %>', vars)).toThrow(/Lexical error/);
    expect(() => run("<% ctx('__state') %>", vars)).toThrow(
      `Unable to evaluate expression '<% ctx('__state') %>'. VariableInaccessibleError: The variable "__state" is for internal use and inaccessible.`,
    );
    expect(() => run('{{ ctx("a2") }}', vars)).toThrow(
      `Unable to evaluate expression '{{ ctx("a2") }}'. VariableUndefinedError: The variable "a2" is undefined.`,
    );
  });
});

describe('inspectSyntax', () => {
  it.each([
    '<% 1 %>',
    '<% abc %>',
    '<% 1 + 2 %>',
    '<% ctx().foo %>',
    '<% ctx(foo) %>',
    '<% ctx().a1 + ctx(a2) %>',
  ])('accepts %s', (expr) => {
    expect(inspectSyntax(expr)).toEqual([]);
    expect(
      inspectSyntax(expr.replace('<%', '{{').replace('%>', '}}').replace('ctx(foo)', 'ctx("foo")')),
    ).toEqual([]);
  });

  it('reports YAQL parse and lexical errors, each with its expression', () => {
    expect(inspectSyntax('<% <% ctx().foo %> %>')).toEqual([
      expect.objectContaining({ type: 'yaql', message: expect.stringContaining('Parse error') }),
    ]);
    const errors = inspectSyntax('<% 1 +/ 2 %> and <% {"a": 123} %>');
    expect(errors).toEqual([
      {
        type: 'yaql',
        expression: '<% 1 +/ 2 %>',
        message: "Parse error: unexpected '/' at position 3 of expression '1 +/ 2'",
      },
      {
        type: 'yaql',
        expression: '<% {"a": 123} %>',
        message: "Lexical error: illegal character ':' at position 4",
      },
    ]);
  });

  it('reports Jinja errors for the whole text and for each expression', () => {
    expect(inspectSyntax('{{ 1 +/ 2 }} and {{ * }}')).toHaveLength(3);
    expect(inspectSyntax('{{ {{ ctx().foo }} }}')).toHaveLength(2);
    expect(inspectSyntax('{% for i in ctx().x %}{{ i }}{% foobar %}')).toEqual([
      expect.objectContaining({ type: 'jinja', message: expect.stringContaining('unknown block tag') }),
    ]);
  });

  it('refuses a string mixing both languages, as Orquesta does', () => {
    const expr = '<% ctx().foo %> and {{ ctx().foo }}';
    expect(inspectSyntax(expr)).toEqual([
      {
        type: 'yaql',
        mixed: true,
        expression: expr,
        message: 'Expression with multiple types is not supported.',
      },
    ]);
  });
});

describe('referencedVariables', () => {
  it.each<[string, string[]]>([
    ['<% just_text and $not_a_var and notctx().bar %>', []],
    ['<% ctx().foobar  %>', ['foobar']],
    ['<% ctx().foo.bar %>', ['foo']],
    ['<% ctx().foo[0]  %>', ['foo']],
    ['<% ctx().foo.get(bar)  %>', ['foo']],
    [
      '<%ctx().fubar ctx().foobar ctx().foo.get(bar) ctx().fu.bar ctx().foobaz.bar[0] %>',
      ['foo', 'foobar', 'foobaz', 'fu', 'fubar'],
    ],
    ['<% Why the ctx().foobar are you so ctx().fu.bar serious? %>', ['foobar', 'fu']],
    ['<% ctx(foo) and ctx("bar") and ctx(\'baz\') %>', ['bar', 'baz', 'foo']],
    ['{{ ctx().foo.bar and ctx("fu") }}', ['foo', 'fu']],
    ['{{ just_text and not_a_var and notctx().bar }}', []],
  ])('%s', (expr, names) => {
    expect(referencedVariables(expr).sort()).toEqual(names);
  });

  it('looks into lists and into object keys', () => {
    expect(referencedVariables({ '<% ctx(k) %>': ['{{ ctx().v }}'] }).sort()).toEqual(['k', 'v']);
  });
});

/**
 * Messages st2's tests expect (github:StackStorm/st2, Apache-2.0:
 * st2tests/integration/orquesta/test_wiring_error_handling.py and
 * contrib/runners/orquesta_runner/tests/unit/test_error_handling.py).
 */
describe('messages st2 expects', () => {
  const message = (expr: string, vars: Record<string, unknown> = {}, functions = {}): string => {
    try {
      evaluate(expr, { vars, functions });
    } catch (err) {
      if (err instanceof ExpressionError) return `${err.pythonClass}: ${err.message}`;
      throw err;
    }
    throw new Error('no error');
  };
  const result = (value: unknown) => ({ result: () => value, succeeded: () => true });

  it('inspection of a doubled delimiter', () => {
    expect(inspectSyntax('<% <% succeeded() %>')).toEqual([
      {
        type: 'yaql',
        expression: '<% <% succeeded() %>',
        message: "Parse error: unexpected '<' at position 0 of expression '<% succeeded()'",
      },
    ]);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    [
      '<% abs(8).value %>',
      {},
      {},
      `YaqlEvaluationException: Unable to evaluate expression '<% abs(8).value %>'. NoFunctionRegisteredException: Unknown function "#property#value"`,
    ],
    [
      '<% ctx().name.value %>',
      { name: 'Stanley' },
      {},
      `YaqlEvaluationException: Unable to evaluate expression '<% ctx().name.value %>'. NoFunctionRegisteredException: Unknown function "#property#value"`,
    ],
    [
      '<% ctx().greeting %>',
      {},
      {},
      `YaqlEvaluationException: Unable to resolve key 'greeting' in expression '<% ctx().greeting %>' from context.`,
    ],
    [
      '<% succeeded() and result().value %>',
      {},
      result({ stdout: '' }),
      `YaqlEvaluationException: Unable to resolve key 'value' in expression '<% succeeded() and result().value %>' from context.`,
    ],
    [
      '<% foobar() %>',
      {},
      {},
      `YaqlEvaluationException: Unable to evaluate expression '<% foobar() %>'. NoFunctionRegisteredException: Unknown function "foobar"`,
    ],
  ])('%s', (expr, vars, functions, expected) => {
    expect(message(expr, vars, functions)).toBe(expected);
  });
});
