/**
 * st2's expression functions, driven by the outputs of st2's orquesta_tests fixture workflows
 * (github:StackStorm/st2, Apache-2.0: st2tests/st2tests/fixtures/packs/orquesta_tests/actions/
 * workflows/{yaql,jinja}-{data,path,regex,time,version}-functions.yaml) and the values
 * contrib/runners/orquesta_runner/tests/unit/test_functions_common.py expects from them.
 */
import { describe, expect, it } from 'vitest';
import { evaluate, NONE_MAGIC_VALUE } from './index.ts';
import { toHumanTimeFromSeconds } from './functions/text.ts';

/** Evaluates workflow `output` entries in order, each one visible to the next, as Orquesta does. */
function outputs(
  vars: Record<string, unknown>,
  entries: readonly (readonly [string, string])[],
): Record<string, unknown> {
  const context: Record<string, unknown> = { ...vars };
  const out: Record<string, unknown> = {};
  for (const [name, expr] of entries) {
    const value = evaluate(expr, { vars: context, functions: {} });
    context[name] = value;
    out[name] = value;
  }
  return out;
}

const DATA_VARS = {
  data_json_str_1: '{"foo": {"bar": "foobar"}}',
  none: null,
  data_list: [
    { a: 1, b: 2 },
    { x: 3, y: 4 },
  ],
};
const OBJ = { foo: { bar: 'foobar' } };

describe.each([
  ['yaql', (s: string) => `<% ${s} %>`],
  ['jinja', (s: string) => `{{ ${s} }}`],
] as const)('st2 functions in %s', (_language, x) => {
  it('data functions', () => {
    expect(
      outputs(DATA_VARS, [
        ['data_json_str_1', x('ctx("data_json_str_1")')],
        ['data_json_obj_1', x('from_json_string(ctx("data_json_str_1"))')],
        ['data_yaml_str_1', x('to_yaml_string(ctx("data_json_obj_1"))')],
        ['data_json_obj_2', x('from_yaml_string(ctx("data_yaml_str_1"))')],
        ['data_json_str_2', x('to_json_string(ctx("data_json_obj_2"))')],
        ['data_query_1', x('jsonpath_query(ctx("data_json_obj_2"), "$.foo.bar")')],
        ['data_json_obj_3', x('json_parse(ctx("data_json_str_1"))')],
        ['data_yaml_str_2', x('yaml_dump(ctx("data_json_obj_3"))')],
        ['data_json_obj_4', x('yaml_parse(ctx("data_yaml_str_2"))')],
        ['data_json_str_3', x('json_dump(ctx("data_json_obj_4"))')],
        ['data_none_str', x('use_none(ctx("none"))')],
        ['data_str', x('use_none("foobar")')],
        ['data_list_str', x('to_yaml_string(ctx("data_list"))')],
      ]),
    ).toEqual({
      data_json_str_1: '{"foo": {"bar": "foobar"}}',
      data_json_str_2: '{"foo": {"bar": "foobar"}}',
      data_json_str_3: '{"foo": {"bar": "foobar"}}',
      data_json_obj_1: OBJ,
      data_json_obj_2: OBJ,
      data_json_obj_3: OBJ,
      data_json_obj_4: OBJ,
      data_yaml_str_1: 'foo:\n  bar: foobar\n',
      data_yaml_str_2: 'foo:\n  bar: foobar\n',
      data_query_1: ['foobar'],
      data_none_str: NONE_MAGIC_VALUE,
      data_str: 'foobar',
      data_list_str: '- a: 1\n  b: 2\n- x: 3\n  y: 4\n',
    });
  });

  it('path, regex and time functions', () => {
    expect(
      outputs({}, [
        ['basename', x('basename("/path/to/some/file.txt")')],
        ['dirname', x('dirname("/path/to/some/file.txt")')],
        ['match', x('regex_match("xyz", "x")')],
        ['replace', x('regex_replace("xyz", "x", "wx")')],
        ['search', x('regex_search("xyz", "y")')],
        ['substring', x('regex_substring("I live at 668 Infinite Dr", "([0-9]{3} \\w+ (?:Ave|St|Dr))")')],
        ['time', x('to_human_time_from_seconds(12345)')],
      ]),
    ).toEqual({
      basename: 'file.txt',
      dirname: '/path/to/some',
      match: true,
      replace: 'wxyz',
      search: true,
      substring: '668 Infinite Dr',
      time: '3h25m45s',
    });
  });

  it('version functions', () => {
    expect(
      outputs({}, [
        ['compare_equal', x('version_compare("0.10.0", "0.10.0")')],
        ['compare_more_than', x('version_compare("0.10.0", "0.10.1")')],
        ['compare_less_than', x('version_compare("0.10.1", "0.10.0")')],
        ['equal', x('version_equal("0.10.0", "0.10.0")')],
        ['more_than', x('version_more_than("0.9.0", "0.10.0")')],
        ['less_than', x('version_less_than("0.10.0", "0.9.0")')],
        ['match', x('version_match("0.10.1", ">0.10.0")')],
        ['bump_major', x('version_bump_major("0.10.0")')],
        ['bump_minor', x('version_bump_minor("0.10.0")')],
        ['bump_patch', x('version_bump_patch("0.10.0")')],
        ['strip_patch', x('version_strip_patch("0.10.0")')],
      ]),
    ).toEqual({
      compare_equal: 0,
      compare_more_than: -1,
      compare_less_than: 1,
      equal: true,
      more_than: false,
      less_than: false,
      match: true,
      bump_major: '1.0.0',
      bump_minor: '0.11.0',
      bump_patch: '0.10.1',
      strip_patch: '0.10',
    });
  });
});

describe('Jinja filter forms of st2 functions', () => {
  it('pipes through the data functions (jinja-data-functions data_pipe_str_1)', () => {
    const expr =
      '{{ ctx("data_json_str_1") | from_json_string() | to_yaml_string() | from_yaml_string() | to_json_string() }}';
    expect(evaluate(expr, { vars: DATA_VARS, functions: {} })).toBe('{"foo": {"bar": "foobar"}}');
  });

  it('json_escape, to_json_string options, regex options', () => {
    const run = (e: string): unknown => evaluate(e, { vars: { v: { b: 1, a: [1, 'é'] } }, functions: {} });
    expect(run('{{ "say \\"hi\\"\\n" | json_escape }}')).toBe('say \\"hi\\"\\n');
    expect(run('{{ ctx().v | to_json_string(sort_keys=True) }}')).toBe('{"a": [1,"\\u00e9"],"b": 1}');
    expect(run('{{ to_json_string(ctx().v, indent=2) }}')).toBe(
      '{\n  "b": 1,\n  "a": [\n    1,\n    "\\u00e9"\n  ]\n}',
    );
    expect(run('<% regex_match("XYZ", "x", ignorecase => true) %>')).toBe(true);
    expect(run('{{ regex_replace("a1b22", "(\\d+)", "<\\\\1>") }}')).toBe('a<1>b<22>');
    // As in Python, `"\1"` in a Jinja string literal is the octal escape chr(1), not a group.
    expect(run('{{ regex_replace("a1b22", "(\\d+)", "<\\1>") }}')).toBe('a<\u0001>b<\u0001>');
  });
});

describe('to_human_time_from_seconds', () => {
  it.each<[number, string]>([
    [0, '0s'],
    [0.5, '0.5\u03BCs'],
    [59, '59s'],
    [61, '1m1s'],
    [3600, '1h0m0s'],
    [86400 + 1, '1d0h0m1s'],
    [12345, '3h25m45s'],
  ])('%s', (seconds, text) => {
    expect(toHumanTimeFromSeconds(seconds)).toBe(text);
  });
});
