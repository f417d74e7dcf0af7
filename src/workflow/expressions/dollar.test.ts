/**
 * What `$` means, as in Orquesta. Orquesta evaluates YAQL with the workflow context bound to
 * `$__vars` (for `ctx()`) and passes no data, so a top-level `$` is null and `$.x` is yaql's
 * `Unknown function "#property#x"` (checked against yaql 2.0.0 called as orquesta/expressions/
 * yql.py calls it); inside a query `$` is the item. Jinja has no `$` at all: jinja2's lexer
 * rejects it, which Orquesta's inspection reports.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, inspectSyntax } from './index.ts';

const context = { vars: { x: 1, vms: [{ name: 'a' }, { name: 'b' }] }, functions: {} };

describe('$ in YAQL', () => {
  it('is null at the top level, not the workflow context', () => {
    expect(evaluate('<% $ %>', context)).toBeNull();
    expect(() => evaluate('<% $.x %>', context)).toThrow(
      'Unable to evaluate expression \'<% $.x %>\'. NoFunctionRegisteredException: Unknown function "#property#x"',
    );
  });

  it('is the item inside a query', () => {
    expect(evaluate('<% ctx(vms).select($.name) %>', context)).toEqual(['a', 'b']);
  });
});

describe('$ in Jinja', () => {
  it('is a syntax error at inspection, worded as jinja2’s lexer words it', () => {
    expect(inspectSyntax('{{ $.x }}')).toEqual([
      { type: 'jinja', expression: '{{ $.x }}', message: "unexpected char '$' at 3" },
    ]);
    expect(inspectSyntax('echo {{ $.x }}')).toEqual([
      { type: 'jinja', expression: 'echo {{ $.x }}', message: "unexpected char '$' at 8" },
      { type: 'jinja', expression: '{{ $.x }}', message: "unexpected char '$' at 0\n  line 1" },
    ]);
  });

  it('is fine inside a string', () => {
    expect(inspectSyntax('{{ "$" ~ \'$\' }}')).toEqual([]);
    expect(evaluate('{{ "$" }}', context)).toBe('$');
  });
});
