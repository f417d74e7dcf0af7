import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, PyError } from './index.ts';

const VARS = {
  e: [],
  n: [1, 2],
  s: 'ab',
  d: { a: 1, b: [true, null] },
  one: '1',
  people: [{ name: 'ann' }, { name: 'bob' }],
};
const run = (expr: string, functions = {}): unknown => evaluate(expr, { vars: VARS, functions });
const failure = (expr: string, functions = {}): string => {
  try {
    run(expr, functions);
  } catch (err) {
    if (err instanceof ExpressionError) return err.message;
    throw err;
  }
  throw new Error(`no error from ${expr}`);
};

describe('Jinja expressions return native values', () => {
  it.each<[string, unknown]>([
    ['{{ 1 }}', 1],
    ['{{ 1.5 }}', 1.5],
    ['{{ "x" }}', 'x'],
    ['{{ True }}', true],
    ['{{ false }}', false],
    ['{{ None }}', null],
    ['{{ [1, "a"] }}', [1, 'a']],
    ['{{ {"a": [1]} }}', { a: [1] }],
    ['{{ ("a", "b") }}', ['a', 'b']],
    ['{{ ctx().d }}', VARS.d],
    ['{{ ctx("n") }}', [1, 2]],
    ["{{ ctx('d')['b'] }}", [true, null]],
    ['{{ ctx().n[-1] }}', 2],
    [
      '{{ ctx().d.items() | list }}',
      [
        ['a', 1],
        ['b', [true, null]],
      ],
    ],
    ['{{ ctx().s.upper() }}', 'AB'],
    ['{{ ctx().people | map(attribute="name") | list }}', ['ann', 'bob']],
    ['{{ ctx().n | map("string") | join("-") }}', '1-2'],
    ['{{ ctx().n | length }}', 2],
    ['{{ ctx().n | tojson }}', '[1, 2]'],
    ['{{ ctx().missing | default("dflt") }}', 'dflt'],
    ['{{ ctx().missing is defined }}', false],
    ['{{ ctx().d is mapping }}', true],
    ['{{ range(3) | list }}', [0, 1, 2]],
    ['{{ "3" | int + 1 }}', 4],
    ['{{ "x" | int }}', 0],
  ])('%s', (expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });
});

describe('Jinja operators follow Python, not JavaScript', () => {
  it.each<[string, unknown]>([
    ['{{ ctx().e and 1 }}', []],
    ['{{ ctx().e or "x" }}', 'x'],
    ['{{ (0 or None) is none }}', true],
    ['{{ not ctx().e }}', true],
    ['{{ not {} }}', true],
    ['{% if ctx().e %}y{% else %}n{% endif %}', 'n'],
    ['{{ "y" if ctx().e else "n" }}', 'n'],
    ['{{ ctx().n + [3] }}', [1, 2, 3]],
    ['{{ ctx().one == 1 }}', false],
    ['{{ [1] == [1] }}', true],
    ['{{ {"a": 1} != {"a": 1} }}', false],
    ['{{ 1 == 1.0 }}', true],
    ['{{ -7 % 3 }}', 2],
    ['{{ 7 // 2 }}', 3],
    ['{{ 7 / 2 }}', 3.5],
    ['{{ 2 ** 3 }}', 8],
    ['{{ "ab" * 2 }}', 'abab'],
    ['{{ "%s-%d" % ("a", 2) }}', 'a-2'],
    ['{{ "v=%s" % ctx().d.b }}', null],
    ['{{ "a" ~ True ~ None }}', 'aTrueNone'],
    ['{{ 1 < 2 < 3 }}', true],
    ['{{ 3 > 2 > 2 }}', false],
    ['{{ "a" in ctx().s }}', true],
    ['{{ [1] in [[1], 2] }}', true],
    ['{{ 2 not in ctx().n }}', false],
    ['{{ "a" in ctx().d }}', true],
  ])('%s', (expr, expected) => {
    if (expected === null) expect(() => run(expr)).toThrow(ExpressionError);
    else expect(run(expr)).toEqual(expected);
  });

  it('prints values inside templates with Python str()', () => {
    expect(run('{% for x in ctx().d.b %}[{{ x }}]{% endfor %} {{ ctx().d }}')).toBe(
      "[True][None] {'a': 1, 'b': [True, None]}",
    );
  });
});

describe('Jinja errors read as Orquesta reports them', () => {
  it.each<[string, string]>([
    ['{{ ctx().nope }}', 'There are unresolved variables: ctx().nope'],
    ['{{ nope }} and {{ ctx().s }}', 'There are unresolved variables: nope'],
    [
      '{{ ctx("nope") }}',
      `Unable to evaluate expression '{{ ctx("nope") }}'. VariableUndefinedError: The variable "nope" is undefined.`,
    ],
    [
      '{{ "a" + 1 }}',
      `Unable to evaluate expression '{{ "a" + 1 }}'. TypeError: can only concatenate str (not "int") to str`,
    ],
    [
      '{{ foobar() }}',
      `Unable to evaluate expression '{{ foobar() }}'. UndefinedError: 'foobar' is undefined`,
    ],
    [
      '{{ json(1) }}',
      `Unable to evaluate expression '{{ json(1) }}'. TypeError: Given object is not typeof string.`,
    ],
    ['{{ 1 / 0 }}', `Unable to evaluate expression '{{ 1 / 0 }}'. ZeroDivisionError: division by zero`],
  ])('%s', (expr, expected) => {
    expect(failure(expr)).toBe(expected);
  });

  it('refuses to use an undefined value in an operation (StrictUndefined)', () => {
    expect(failure('{{ ctx().nope == 1 }}')).toMatch(/^Unable to evaluate expression .* UndefinedError: /);
    expect(failure('{{ ctx().nope.x }}')).toBe(
      "Unable to evaluate expression '{{ ctx().nope.x }}'. UndefinedError: 'dict object' has no attribute 'nope'",
    );
    expect(failure('{% if ctx().nope %}y{% endif %}')).toMatch(/UndefinedError/);
  });

  it('keeps the Python class a context function raised', () => {
    const task = (): unknown => {
      throw new PyError('ExpressionEvaluationException', 'Unable to find task execution for "task0".');
    };
    expect(failure('{{ task("task0") }}', { task })).toBe(
      `Unable to evaluate expression '{{ task("task0") }}'. ExpressionEvaluationException: Unable to find task execution for "task0".`,
    );
  });

  it('does not reach JavaScript internals through member access', () => {
    expect(() => run('{{ ctx().constructor.constructor("return 1")() }}')).toThrow(ExpressionError);
    expect(() => run('{{ constructor }}')).toThrow('There are unresolved variables: constructor');
  });
});

describe('Jinja context functions', () => {
  it('passes keyword arguments as a trailing object', () => {
    const seen: unknown[][] = [];
    const st2kv = (...args: readonly unknown[]): unknown => {
      seen.push([...args]);
      return 'v';
    };
    expect(run('{{ st2kv("k", decrypt=true) }}', { st2kv })).toBe('v');
    expect(seen).toEqual([['k', { __keywords: true, decrypt: true }]]);
  });

  it('gives result() and item() their native values', () => {
    const functions = { result: () => ({ stdout: 'out', code: 0 }), item: () => ({ id: 7 }) };
    expect(run('{{ result().code }}', functions)).toBe(0);
    expect(run('{{ item().id + 1 }}', functions)).toBe(8);
    expect(run('{{ result().stdout }}-{{ item().id }}', functions)).toBe('out-7');
  });
});

describe('Python methods on values inside Jinja', () => {
  it.each<[string, unknown]>([
    ['{{ "{} items of {}".format(2, "x") }}', '2 items of x'],
    ['{{ "{0}-{0}".format(1) }}', '1-1'],
    ['{{ "{name}!".format(name="bob") }}', 'bob!'],
    ['{{ "{:03d}|{:>5}|{:.2f}|{:,}".format(7, "ab", 3.14159, 1234567) }}', '007|   ab|3.14|1,234,567'],
    ['{{ ",".join(["a", "b"]) }}', 'a,b'],
    ['{{ ["a", "b"].index("b") }}', 1],
    ['{{ "hello world".title() }}', 'Hello World'],
    ['{{ " x ".strip() }}', 'x'],
    ['{{ "a b".split() }}', ['a', 'b']],
    ['{{ {"a": 1}.get("b", 2) }}', 2],
  ])('%s', (expr, expected) => {
    expect(run(expr)).toEqual(expected);
  });

  it('fails clearly on a method Squall does not provide', () => {
    expect(failure('{{ "x".zfill(3) }}')).toBe(
      `Unable to evaluate expression '{{ "x".zfill(3) }}'. UndefinedError: 'str object' has no attribute 'zfill'`,
    );
  });
});
