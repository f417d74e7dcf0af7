import { describe, expect, it } from 'vitest';
import { PyLiteralError, pyLiteralEval } from './py-literal.ts';

describe('pyLiteralEval', () => {
  it.each([
    ['True', true],
    ['False', false],
    ['None', null],
    ['42', 42],
    ['-42', -42],
    ['+-3', -3],
    ['1_000', 1000],
    ['0x1F', 31],
    ['0o17', 15],
    ['0b101', 5],
    ['0', 0],
    ['00', 0],
    ['2.5', 2.5],
    ['.5', 0.5],
    ['1e3', 1000],
    ['  7  ', 7],
  ])('scalars: %s', (source, expected) => {
    expect(pyLiteralEval(source)).toBe(expected);
  });

  it.each([
    ["'abc'", 'abc'],
    ['"abc"', 'abc'],
    ["'it\\'s'", "it's"],
    ["'a\\nb\\t\\x41\\u00e9\\U0001F600\\101'", 'a\nb\tA\u00e9\u{1F600}A'],
    ["'\\d'", '\\d'],
    ["r'\\n'", '\\n'],
    ["u'x'", 'x'],
    ["'''multi\nline'''", 'multi\nline'],
    ["'a' 'b' \"c\"", 'abc'],
  ])('strings: %s', (source, expected) => {
    expect(pyLiteralEval(source)).toBe(expected);
  });

  it('containers', () => {
    expect(pyLiteralEval("{'a': 1, 'b': [True, None, 'x'], 'c': {'d': ()}}")).toEqual({
      a: 1,
      b: [true, null, 'x'],
      c: { d: [] },
    });
    expect(pyLiteralEval('[1, 2,]')).toEqual([1, 2]);
    expect(pyLiteralEval('(1, 2)')).toEqual([1, 2]);
    expect(pyLiteralEval('(1,)')).toEqual([1]);
    expect(pyLiteralEval('(1)')).toBe(1);
    expect(pyLiteralEval('{}')).toEqual({});
  });

  it('turns non-string dict keys into JSON keys', () => {
    expect(pyLiteralEval("{1: 'a', True: 'b', None: 'c', 1.5: 'd'}")).toEqual({
      '1': 'a',
      true: 'b',
      null: 'c',
      '1.5': 'd',
    });
  });

  it.each([
    'abc',
    'Yes',
    '',
    'true',
    "'open",
    '[1, 2',
    '1 2',
    '{1, 2}',
    "b'x'",
    '1j',
    '007',
    '1e400',
    'f(1)',
    "{'a' 1}",
  ])('rejects %j', (source) => {
    expect(() => pyLiteralEval(source)).toThrow(PyLiteralError);
  });

  it('names the input in the message', () => {
    expect(() => pyLiteralEval('Yes')).toThrow("malformed node or string: 'Yes'");
  });
});
