import { describe, expect, it } from 'vitest';
import { evaluate, ExpressionError, inspectSyntax, PyError } from './index.ts';
import { tokenize } from './yaql/lexer.ts';
import { parseYaql } from './yaql/parser.ts';

const VARS = {
  n: [3, 1, 2],
  d: { a: 1, b: 'x' },
  s: 'Hello World',
  people: [
    { name: 'ann', age: 31 },
    { name: 'bob', age: 25 },
  ],
  empty: [],
  nothing: null,
};
const run = (expr: string, functions = {}): unknown => evaluate(`<% ${expr} %>`, { vars: VARS, functions });

describe('YAQL lexer', () => {
  it('reads yaql 1.x tokens: function names, keyword strings, variables, escapes', () => {
    const kinds = tokenize(`ctx(foo).bar $ $x $1 'a\\'b' "c\\n" \`v\` 12 1.5 true null => ?. != mod`).map(
      (t) => `${t.kind}:${t.text}`,
    );
    expect(kinds).toEqual([
      'func:ctx',
      'keyword:foo',
      'punct:)',
      'op:.',
      'keyword:bar',
      'dollar:$',
      'dollar:$x',
      'dollar:$1',
      "string:a'b",
      'string:c\n',
      'string:v',
      'number:12',
      'number:1.5',
      'constant:true',
      'constant:null',
      'op:=>',
      'op:?.',
      'op:!=',
      'op:mod',
      'end:',
    ]);
  });

  it('reports an illegal character with its position', () => {
    expect(() => tokenize('1 : 2')).toThrow("Lexical error: illegal character ':' at position 2");
    expect(() => tokenize('__x')).toThrow('Lexical error');
  });
});

describe('YAQL parser precedence', () => {
  it.each<[string, unknown]>([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 2 - 3', 5],
    ['-2 * 3', -6],
    ['not 1 = 2', true],
    ['not true and false', false],
    ['true or false and false', true],
    ['1 < 2 and 2 < 3', true],
    ['2 * 3 = 6 or false', true],
    ['1 + 1 in [2, 3]', true],
    ['$.n[0] + 1', null],
  ])('%s', (expr, expected) => {
    if (expected === null) expect(() => run(expr)).toThrow(ExpressionError);
    else expect(run(expr)).toEqual(expected);
  });

  it('reports the unexpected token like yaql', () => {
    expect(() => parseYaql('1 +')).toThrow('Parse error: unexpected end of statement');
    expect(() => parseYaql('f(1]')).toThrow("Parse error: unexpected ']' at position 3 of expression 'f(1]'");
    expect(() => parseYaql('(1')).toThrow('Parse error: unexpected end of statement');
    expect(() => parseYaql('f(a => 1, 2)')).toThrow('Parse error');
  });

  it('refuses yaql constructs Squall does not implement at inspection', () => {
    expect(inspectSyntax('<% f(, 1) %>')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('skipped (empty) arguments') }),
    ]);
  });
});

describe('YAQL evaluation', () => {
  it.each<[string, unknown]>([
    // literals and collections
    ['42', 42],
    ['1.5', 1.5],
    ["'it''s'", null],
    ['"double"', 'double'],
    ['true', true],
    ['null', null],
    ['abc', 'abc'],
    ['[1, "a", [true]]', [1, 'a', [true]]],
    ['{a => 1, "b c" => [2]}', { a: 1, 'b c': [2] }],
    ['[]', []],
    ['{}', {}],
    // arithmetic: yaql's `/` of two integers is Python's `//`
    ['7 / 2', 3],
    ['-7 / 2', -4],
    ['7.5 / 2.5', 3],
    ['7 mod 3', 1],
    ['-7 mod 3', 2],
    ['"ab" + "cd"', 'abcd'],
    ['[1] + [2, 3]', [1, 2, 3]],
    ['{a => 1} + {b => 2}', { a: 1, b: 2 }],
    ["'ab' * 3", 'ababab'],
    ['[0] * 2', [0, 0]],
    // comparison and logic with Python semantics
    ['1 = 1.0', true],
    ['[1, 2] = [1, 2]', true],
    ['{a => 1} != {a => 2}', true],
    ["'abc' < 'abd'", true],
    ['null < 1', true],
    ['1 > null', true],
    ['[1, 2] < [1, 3]', true],
    ['1 and 2', 2],
    ['0 or "x"', 'x'],
    ['[] or null', null],
    ['not []', true],
    ["'a' in ['a', 'b']", true],
    ["'ell' in $s", null],
    ["'a' in {a => 1}", true],
    ["'World' =~ 'W.r'", true],
    ["'World' !~ '^W'", false],
    // context
    ['ctx(s)', 'Hello World'],
    ['ctx().d.b', 'x'],
    ["ctx('d')['a']", 1],
    ['ctx().d.get(zz, 5)', 5],
    ['ctx().d[zz, 7]', 7],
    ['ctx().n[-1]', 2],
    ['ctx().people.name', ['ann', 'bob']],
    ['ctx().nothing?.x', null],
    ['ctx().d?.a', 1],
    ['$', null],
    // methods and lambdas
    ['ctx().n.select($ * 10)', [30, 10, 20]],
    ['ctx().people.where($.age > 30).select($.name)', ['ann']],
    ['ctx().people.select([$.name, $.age]).where($[1] < 30)', [['bob', 25]]],
    ['ctx().n.orderBy($)', [1, 2, 3]],
    ['ctx().people.orderByDescending($.age).first().name', 'ann'],
    ['ctx().n.first()', 3],
    ['ctx().empty.first(0)', 0],
    ['ctx().n.last()', 2],
    ['ctx().n.sum()', 6],
    ["['a', 'b'].sum()", 'ab'],
    ["['a', 'b'].sum('c')", 'cab'],
    ['ctx().empty.sum()', null],
    ['ctx().empty.max()', null],
    ["'World' =~ '(?P<first>W)'", true],
    ['ctx().n.max()', 3],
    ['ctx().n.min()', 1],
    ['max(3, 9)', 9],
    ['ctx().n.count()', 3],
    ['len(ctx().n)', 3],
    ['ctx().n.len()', 3],
    ['len(ctx(s))', 11],
    ['len(ctx().d)', 2],
    ['ctx().n.any($ > 2)', true],
    ['ctx().n.all($ > 2)', false],
    ['[1, 1, 2].distinct()', [1, 2]],
    ['ctx().n.skip(1).take(1)', [1]],
    ['ctx().n.reverse()', [2, 1, 3]],
    ['[[1, 2], [3]].selectMany($)', [1, 2, 3]],
    ['ctx().n.contains(2)', true],
    ['ctx().d.keys()', ['a', 'b']],
    ['ctx().d.values()', [1, 'x']],
    [
      'ctx().d.items()',
      [
        ['a', 1],
        ['b', 'x'],
      ],
    ],
    ['ctx().d.containsKey(a)', true],
    ['dict(a => 1, b => 2)', { a: 1, b: 2 }],
    ["dict([['k', 'v']])", { k: 'v' }],
    ['list(1, 2)', [1, 2]],
    ['range(3)', [0, 1, 2]],
    ['range(1, 7, 2)', [1, 3, 5]],
    ['range(0, 4).select($ * $)', [0, 1, 4, 9]],
    ['let(x => 2, y => 3) -> $x * $y', 6],
    ['ctx().n.let(total => $.sum()) -> $total', 6],
    ['[1, 2].aggregate($1 + $2)', 3],
    // strings
    ['ctx(s).toUpper()', 'HELLO WORLD'],
    ['ctx(s).toLower()', 'hello world'],
    ["'  x  '.trim()", 'x'],
    ["'xxaxx'.trim('x')", 'a'],
    ["'a,b,,c'.split(',')", ['a', 'b', '', 'c']],
    ["' a  b '.split()", ['a', 'b']],
    ["'a-b-c'.split('-', 1)", ['a', 'b-c']],
    ["'aaa'.replace('a', 'b', 2)", 'bba'],
    ["['a', 1, true].join('-')", 'a-1-true'],
    ["'-'.join(['x', 'y'])", 'x-y'],
    ["ctx(s).startsWith('Hell')", true],
    ["ctx(s).endsWith('x', 'ld')", true],
    ['ctx(s).substring(6)', 'World'],
    ['ctx(s).substring(0, 4)', 'Hell'],
    ["ctx(s).indexOf('o')", 4],
    ["concat('a', 'b', 'c')", 'abc'],
    // conversions
    ['str(null)', 'null'],
    ['str(true)', 'true'],
    ['str(12)', '12'],
    ["str({a => 'b'})", "{'a': 'b'}"],
    ["int('42')", 42],
    ['int(3.9)', 3],
    ['int(null)', 0],
    ["float('2.5')", 2.5],
    ['bool([])', false],
    ['abs(-4)', 4],
    ['isString(abc)', true],
    ["coalesce(null, 'x')", 'x'],
  ])('%s', (expr, expected) => {
    if (expected === null && !['null', '[] or null', 'ctx().nothing?.x', '$'].includes(expr)) {
      expect(() => run(expr)).toThrow(ExpressionError);
    } else {
      expect(run(expr)).toEqual(expected);
    }
  });

  it('interpolates with Python str(), as Orquesta does', () => {
    expect(
      evaluate('a <% true %> <% null %> <% ctx(d) %> <% [1, "x"] %> <% 2.5 %>', {
        vars: VARS,
        functions: {},
      }),
    ).toBe("a True None {'a': 1, 'b': 'x'} [1, 'x'] 2.5");
  });

  it('returns the native value only when the expression is the whole string', () => {
    expect(evaluate('<% 1 %>', { vars: {}, functions: {} })).toBe(1);
    expect(evaluate(' <% 1 %>', { vars: {}, functions: {} })).toBe(' 1');
    expect(evaluate('<%1%>', { vars: {}, functions: {} })).toBe(1);
  });

  it('calls context functions with keyword arguments as a trailing object', () => {
    const seen: unknown[][] = [];
    const st2kv = (...args: readonly unknown[]): unknown => {
      seen.push([...args]);
      return 'secret';
    };
    expect(run('st2kv(ctx().s, decrypt => true)', { st2kv })).toBe('secret');
    expect(seen).toEqual([['Hello World', { __keywords: true, decrypt: true }]]);
  });
});

describe('YAQL errors read as Orquesta reports them', () => {
  const message = (expr: string, functions = {}): string => {
    try {
      evaluate(expr, { vars: VARS, functions });
    } catch (err) {
      if (err instanceof ExpressionError) return err.message;
      throw err;
    }
    throw new Error('no error');
  };

  it.each<[string, string]>([
    [
      '<% ctx(x) %>',
      `Unable to evaluate expression '<% ctx(x) %>'. VariableUndefinedError: The variable "x" is undefined.`,
    ],
    ['<% ctx().x %>', `Unable to resolve key 'x' in expression '<% ctx().x %>' from context.`],
    ['<% ctx().d.zz %>', `Unable to resolve key 'zz' in expression '<% ctx().d.zz %>' from context.`],
    [
      '<% abs(4).value %>',
      `Unable to evaluate expression '<% abs(4).value %>'. NoFunctionRegisteredException: Unknown function "#property#value"`,
    ],
    [
      '<% ctx(s).value %>',
      `Unable to evaluate expression '<% ctx(s).value %>'. NoFunctionRegisteredException: Unknown function "#property#value"`,
    ],
    [
      '<% foobar() %>',
      `Unable to evaluate expression '<% foobar() %>'. NoFunctionRegisteredException: Unknown function "foobar"`,
    ],
    [
      '<% 1 + "a" %>',
      `Unable to evaluate expression '<% 1 + "a" %>'. NoMatchingFunctionException: No function "#operator_+" matches supplied arguments`,
    ],
    [
      '<% ctx().n[5] %>',
      `Unable to evaluate expression '<% ctx().n[5] %>'. IndexError: list index out of range`,
    ],
    [
      '<% 1 / 0 %>',
      `Unable to evaluate expression '<% 1 / 0 %>'. ZeroDivisionError: integer division or modulo by zero`,
    ],
    [
      '<% 1 +/ 2 %>',
      `Unable to evaluate expression '<% 1 +/ 2 %>'. YaqlGrammarException: Parse error: unexpected '/' at position 3 of expression '1 +/ 2`,
    ], // Orquesta strips the quote
    [
      'ok <% json(1) %>',
      `Unable to evaluate expression '<% json(1) %>'. TypeError: Given object is not typeof string.`,
    ],
  ])('%s', (expr, expected) => {
    expect(message(expr)).toBe(expected);
  });

  it("treats a context function's KeyError as Orquesta's unresolved key", () => {
    const item = (): unknown => {
      throw new PyError('KeyError', "'__current_item'");
    };
    expect(message('<% item() %>', { item })).toBe(
      "Unable to resolve key '__current_item' in expression '<% item() %>' from context.",
    );
  });

  it('reports the Python class a context function names', () => {
    const task = (): unknown => {
      throw new PyError('ExpressionEvaluationException', 'Unable to find task execution for "task0".');
    };
    const err = (() => {
      try {
        evaluate('<% task("task0") %>', { vars: {}, functions: { task } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ExpressionError);
    expect((err as ExpressionError).pythonClass).toBe('YaqlEvaluationException');
    expect((err as ExpressionError).message).toBe(
      `Unable to evaluate expression '<% task("task0") %>'. ExpressionEvaluationException: Unable to find task execution for "task0".`,
    );
  });
});
