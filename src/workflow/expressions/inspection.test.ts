import { describe, expect, it } from 'vitest';
import { evaluate, inspectSyntax } from './index.ts';

describe('constructs Squall does not implement are refused at inspection', () => {
  it('names an unimplemented yaql standard function', () => {
    expect(inspectSyntax({ a: '<% now() %>', b: ['<% ctx().x.toSet().len() %>'] })).toEqual([
      {
        type: 'yaql',
        expression: '<% now() %>',
        message: 'The YAQL function "now" is not supported by Squall.',
      },
      {
        type: 'yaql',
        expression: '<% ctx().x.toSet().len() %>',
        message: 'The YAQL function "toSet" is not supported by Squall.',
      },
    ]);
  });

  it('leaves functions yaql does not define to the context (task, result, st2kv …)', () => {
    expect(
      inspectSyntax('<% task(t1).result.items.select($.result) and succeeded() and st2kv("k") %>'),
    ).toEqual([]);
  });

  it('names a Jinja filter nunjucks lacks and reports Jinja syntax nunjucks cannot parse', () => {
    expect(inspectSyntax('{{ "%s" | format(1) }}')).toEqual([
      {
        type: 'jinja',
        expression: '{{ "%s" | format(1) }}',
        message: 'The Jinja filter "format" is not supported by Squall.',
      },
    ]);
    expect(inspectSyntax('{{ ctx().n[1:3] }}')).toHaveLength(1);
    expect(
      inspectSyntax('{{ ctx().n | to_json_string | from_json_string | tojson | map("string") }}'),
    ).toEqual([]);
  });
});

describe('yaql switch and Jinja loops over dicts', () => {
  const run = (expr: string, vars: Record<string, unknown>): unknown =>
    evaluate(expr, { vars, functions: {} });

  it('switch returns the value of the first true condition', () => {
    const expr = '<% switch(ctx(a) > 5 => big, ctx(a) > 1 => medium, true => small) %>';
    expect(run(expr, { a: 7 })).toBe('big');
    expect(run(expr, { a: 3 })).toBe('medium');
    expect(run(expr, { a: 0 })).toBe('small');
    expect(run('<% switch(false => 1) %>', {})).toBeNull();
  });

  it('iterates a dict by its keys and a string by its characters', () => {
    expect(run('{% for k in ctx().d %}{{ k }}{% endfor %}', { d: { b: 2, a: 1 } })).toBe('ba');
    expect(run('{% for c in "ab" %}[{{ c }}]{% endfor %}', {})).toBe('[a][b]');
    expect(run('{{ dict(a=1, b="x") }}', {})).toEqual({ a: 1, b: 'x' });
  });
});

describe('data keys named __proto__', () => {
  it('stay ordinary keys in dicts built by expressions', () => {
    const built = evaluate({ '<% "__proto__" %>': '<% {"__proto__" => 1} %>' }, { vars: {}, functions: {} });
    expect(Object.getPrototypeOf(built)).toBe(Object.prototype);
    expect(JSON.stringify(built)).toBe('{"__proto__":{"__proto__":1}}');
    expect(evaluate('<% dict(list(list("__proto__", 2))) %>', { vars: {}, functions: {} })).toEqual(
      JSON.parse('{"__proto__": 2}'),
    );
  });
});
