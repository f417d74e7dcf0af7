import { describe, expect, it } from 'vitest';
import {
  compileTemplate,
  containsTemplate,
  isTemplateString,
  jinjaStr,
  singleVariable,
  TemplateFailure,
} from './template.ts';

const vars = (source: string): readonly string[] => compileTemplate(source).variables;
const render = (source: string, context: Record<string, unknown> = {}): string =>
  compileTemplate(source).render(context);

describe('template detection', () => {
  it('needs a complete expression or statement tag', () => {
    expect(isTemplateString('echo "{{message}}"')).toBe(true);
    expect(isTemplateString('{% if a %}x{% endif %}')).toBe(true);
    expect(isTemplateString('{{ a\n }}')).toBe(true);
    expect(isTemplateString('a {{ b')).toBe(false);
    expect(isTemplateString('plain')).toBe(false);
    expect(isTemplateString('{ {a} }')).toBe(false);
  });

  it('looks into arrays and objects, keys included', () => {
    expect(containsTemplate(['a', { b: '{{ c }}' }])).toBe(true);
    expect(containsTemplate({ '{{ k }}': 1 })).toBe(true);
    expect(containsTemplate({ a: [1, 'x'] })).toBe(false);
    expect(containsTemplate(5)).toBe(false);
  });

  it('recognises single-variable leaves', () => {
    expect(singleVariable('{{ hosts }}')).toBe('hosts');
    expect(singleVariable('{{hosts}}')).toBe('hosts');
    expect(singleVariable('{{ a.b }}')).toBeUndefined();
    expect(singleVariable('x {{ a }}')).toBeUndefined();
  });
});

describe('referenced variables (from the parser AST)', () => {
  it('finds root names of lookups, calls and filter arguments', () => {
    expect(vars('{{ a.b[c] | default(d, true) | int }}')).toEqual(['a', 'c', 'd']);
    expect(vars('{{ st2kv.system.key }} {{ action_context.user }}')).toEqual(['st2kv', 'action_context']);
    expect(vars('{{ foo(bar=baz) }}')).toEqual(['foo', 'baz']);
  });

  it('does not report filter or test names', () => {
    expect(vars('{{ x | upper }}')).toEqual(['x']);
    expect(vars('{{ x is defined }}{{ y is divisibleby(n) }}')).toEqual(['x', 'y', 'n']);
  });

  it('reports globals that are looked up, as Jinja does', () => {
    expect(vars('{{ range(3) }}')).toEqual(['range']);
  });

  it('excludes names bound by for, set and macros', () => {
    expect(vars('{% for k, v in items %}{{ k }}{{ v }}{{ loop.index }}{{ other }}{% endfor %}')).toEqual([
      'items',
      'other',
    ]);
    expect(vars('{% set y = x %}{{ y }}')).toEqual(['x']);
    expect(vars('{% set y %}{{ x }}{% endset %}{{ y }}')).toEqual(['x']);
    expect(vars('{% macro m(p, q=dflt) %}{{ p }}{{ q }}{{ z }}{% endmacro %}{{ m(1) }}')).toEqual([
      'dflt',
      'z',
    ]);
  });

  it('scopes for-loop names to the loop body', () => {
    expect(vars('{% for k in items %}{{ k }}{% endfor %}{{ k }}')).toEqual(['items', 'k']);
  });

  it('treats dict-literal keys and constants as literals', () => {
    expect(vars('{{ {a: b} }}')).toEqual(['b']);
    expect(vars('{{ True }}{{ None }}{{ false }}')).toEqual([]);
  });

  it('ignores regex-lookalikes in plain text', () => {
    expect(vars('{{ "{{ notavar }}" }} text {{ real }}')).toEqual(['real']);
  });
});

describe('rendering like Jinja', () => {
  const context = { a: { b: 1 }, flag: true, off: false, nothing: null, list: [1, 'x', true], x: 'X' };

  it('prints values like Python str()', () => {
    expect(render('{{ a }}', context)).toBe("{'b': 1}");
    expect(render('{{ flag }} {{ off }} {{ nothing }} {{ list }}', context)).toBe(
      "True False None [1, 'x', True]",
    );
    expect(render('{{ 10 / 4 }} {{ 3 }}', context)).toBe('2.5 3');
    expect(render('{{ True }}|{{ None }}|{{ none }}')).toBe('True|None|None');
  });

  it('concatenates with str()', () => {
    expect(render('{{ x ~ flag }}', context)).toBe('XTrue');
  });

  it('renders undefined variables as empty strings', () => {
    expect(render('[{{ missing }}]')).toBe('[]');
    expect(render('[{{ st2kv.system.key }}]', { st2kv: { system: {}, user: {} } })).toBe('[]');
  });

  it('follows Jinja int/float/string filters', () => {
    expect(render('{{ "" | int }}|{{ "4.7" | int }}|{{ "abc" | int(5) }}|{{ "abc" | int(default=6) }}')).toBe(
      '0|4|5|6',
    );
    expect(render('{{ "2.5" | float }}|{{ "x" | float }}|{{ flag | int }}', context)).toBe('2.5|0|1');
    expect(render('{{ flag | string }}', context)).toBe('True');
  });

  it('trims blocks like StackStorm environment', () => {
    expect(render('{% if flag %}\n  yes\n{% endif %}\nend', context)).toBe('  yes\nend');
  });

  it('supports loops and the usual filters', () => {
    expect(render('{% for i in list %}{{ i }};{% endfor %}', context)).toBe('1;x;True;');
    expect(render('{{ x | lower }} {{ list | length }} {{ d | default("dflt") }}', context)).toBe('x 3 dflt');
  });

  it('does not autoescape', () => {
    expect(render('{{ s }}', { s: '<a href="x">&</a>' })).toBe('<a href="x">&</a>');
  });

  it('reports syntax errors as TemplateFailure', () => {
    expect(() => compileTemplate('{{ a.b( }}')).toThrow(TemplateFailure);
    expect(() => compileTemplate('{{ a.b( }}')).toThrow('unexpected token: }}');
  });

  it('reports render errors as TemplateFailure with the reason only', () => {
    expect(() => render('{{ nofunc() }}')).toThrow('Unable to call `nofunc`, which is undefined or falsey');
    expect(() => render('{{ x | nofilter }}', context)).toThrow('filter not found: nofilter');
  });

  it('caches compiled templates', () => {
    expect(compileTemplate('{{ cached }}')).toBe(compileTemplate('{{ cached }}'));
  });
});

describe('jinjaStr', () => {
  it('stringifies like Python str()', () => {
    expect(jinjaStr(undefined)).toBe('');
    expect(jinjaStr(null)).toBe('None');
    expect(jinjaStr('s')).toBe('s');
    expect(jinjaStr([undefined, 'a'])).toBe("[None, 'a']");
    expect(jinjaStr({ k: [false] })).toBe("{'k': [False]}");
    expect(jinjaStr(new Map())).toBe('[object Map]');
  });
});

describe('sandboxing', () => {
  it('blocks the way to the Function constructor', () => {
    expect(render('{{ x.constructor }}|{{ x["constructor"] }}|{{ x.__proto__ }}', { x: 'a' })).toBe('||');
    expect(() => render('{{ x.constructor.constructor("return process")() }}', { x: 'a' })).toThrow(
      TemplateFailure,
    );
    expect(render('{% set k = "constr" ~ "uctor" %}[{{ x[k] }}]', { x: [] })).toBe('[]');
  });

  it('hides inherited names of the context object', () => {
    expect(render('[{{ constructor }}][{{ hasOwnProperty }}]')).toBe('[][]');
    expect(render('{{ constructor }}', { constructor: 'param' })).toBe('param');
  });

  it('keeps ordinary member access and method calls working', () => {
    const context = { s: 'abc', list: [1, 2], obj: { 'a-b': 1, n: { m: 2 } } };
    expect(
      render('{{ s.length }} {{ s.toUpperCase() }} {{ list[1] }} {{ obj["a-b"] }} {{ obj.n.m }}', context),
    ).toBe('3 ABC 2 1 2');
    expect(vars('{{ a.b[c].d }}')).toEqual(['a', 'c']);
  });
});
