import { describe, expect, it } from 'vitest';
import { pyFloatRepr, pyJsonDumps, pyRepr, pyStr, pyStringRepr, pyTypeName } from './pyrepr.ts';

describe('pyRepr', () => {
  it('renders scalars like Python', () => {
    expect(pyRepr(null)).toBe('None');
    expect(pyRepr(true)).toBe('True');
    expect(pyRepr(false)).toBe('False');
    expect(pyRepr(5)).toBe('5');
    expect(pyRepr(-3)).toBe('-3');
    expect(pyRepr(-0)).toBe('0');
    expect(pyRepr(2.5)).toBe('2.5');
    expect(pyRepr(1e22)).toBe('10000000000000000000000');
  });

  it('renders containers with Python separators', () => {
    expect(pyRepr({ a: 1, b: [1, 2] })).toBe("{'a': 1, 'b': [1, 2]}");
    expect(pyRepr([])).toBe('[]');
    expect(pyRepr({})).toBe('{}');
    expect(pyRepr([null, true, 'x', { k: [] }])).toBe("[None, True, 'x', {'k': []}]");
    expect(pyRepr(['requested', 'scheduled'])).toBe("['requested', 'scheduled']");
  });
});

describe('pyStringRepr', () => {
  it('prefers single quotes', () => {
    expect(pyStringRepr('abc')).toBe("'abc'");
    expect(pyStringRepr('')).toBe("''");
    expect(pyStringRepr('say "hi"')).toBe('\'say "hi"\'');
  });

  it('switches to double quotes only when that avoids escaping', () => {
    expect(pyStringRepr("it's")).toBe('"it\'s"');
    expect(pyStringRepr('it\'s "x"')).toBe("'it\\'s \"x\"'");
  });

  it('escapes backslashes and control characters', () => {
    expect(pyStringRepr('a\\b')).toBe("'a\\\\b'");
    expect(pyStringRepr('a\nb\tc\rd')).toBe("'a\\nb\\tc\\rd'");
    expect(pyStringRepr('\u0007\u007f\u0000')).toBe("'\\x07\\x7f\\x00'");
  });

  it('keeps printable non-ASCII and escapes the rest with the shortest form', () => {
    expect(pyStringRepr('héllo 日本 😀')).toBe("'héllo 日本 😀'");
    expect(pyStringRepr('\u00a0')).toBe("'\\xa0'");
    expect(pyStringRepr('\u00ad')).toBe("'\\xad'");
    expect(pyStringRepr('\u200b')).toBe("'\\u200b'");
    expect(pyStringRepr('\u2028')).toBe("'\\u2028'");
    expect(pyStringRepr('\ud800')).toBe("'\\ud800'");
    expect(pyStringRepr('\u{e0001}')).toBe("'\\U000e0001'");
  });
});

describe('pyFloatRepr', () => {
  it.each([
    [0.1, '0.1'],
    [5, '5.0'],
    [-2, '-2.0'],
    [123.456, '123.456'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [-0.00012, '-0.00012'],
    [1e16, '1e+16'],
    [1.2345e20, '1.2345e+20'],
    [1e300, '1e+300'],
    [1500000000000000.5, '1500000000000000.5'],
    [0.30000000000000004, '0.30000000000000004'],
    [NaN, 'nan'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('%s -> %s', (value, expected) => {
    expect(pyFloatRepr(value)).toBe(expected);
  });

  it('is used by pyRepr for non-integral numbers only', () => {
    expect(pyRepr(0.00001)).toBe('1e-05');
    expect(pyRepr(1e16)).toBe('10000000000000000');
  });
});

describe('pyStr', () => {
  it('leaves strings alone and reprs everything else', () => {
    expect(pyStr('a b')).toBe('a b');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(null)).toBe('None');
    expect(pyStr({ a: 1 })).toBe("{'a': 1}");
    expect(pyStr(['x'])).toBe("['x']");
  });
});

describe('pyTypeName', () => {
  it('names Python types', () => {
    expect(pyTypeName(1)).toBe('int');
    expect(pyTypeName(1.5)).toBe('float');
    expect(pyTypeName(true)).toBe('bool');
    expect(pyTypeName('s')).toBe('str');
    expect(pyTypeName({})).toBe('dict');
    expect(pyTypeName([])).toBe('list');
    expect(pyTypeName(null)).toBe('NoneType');
  });
});

describe('pyJsonDumps', () => {
  it('uses Python default separators', () => {
    expect(pyJsonDumps({ a: 1, b: [true, null, 'x'] })).toBe('{"a": 1, "b": [true, null, "x"]}');
    expect(pyJsonDumps([])).toBe('[]');
  });

  it('escapes non-ASCII like ensure_ascii=True', () => {
    expect(pyJsonDumps('é"\\\n\u007f😀')).toBe('"\\u00e9\\"\\\\\\n\\u007f\\ud83d\\ude00"');
  });

  it('prints floats with Python repr', () => {
    expect(pyJsonDumps(1e-7)).toBe('1e-07');
    expect(pyJsonDumps(2.5)).toBe('2.5');
  });
});
