import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import type { Json } from '../../domain/types.ts';
import { castParameter, MAGIC_NONE, pyFloat, pyInt } from './cast.ts';

const cast = (value: Json, type?: string | string[]): Json =>
  castParameter(value, type === undefined ? {} : { type });

describe('castParameter', () => {
  it('leaves null, untyped and unknown types alone', () => {
    expect(cast(null, 'integer')).toBeNull();
    expect(cast('5')).toBe('5');
    expect(castParameter('5', undefined)).toBe('5');
    expect(cast('5', 'null')).toBe('5');
    expect(cast('5', 'whatever')).toBe('5');
  });

  it('uses the first type of a list', () => {
    expect(cast('5', ['integer', 'string'])).toBe(5);
    expect(cast('5', ['string', 'integer'])).toBe('5');
  });

  it('turns the magic None string into null', () => {
    expect(cast(MAGIC_NONE, 'string')).toBeNull();
    expect(cast(MAGIC_NONE, 'integer')).toBeNull();
    expect(cast(MAGIC_NONE)).toBe(MAGIC_NONE);
  });
});

describe('string', () => {
  it('accepts strings', () => {
    expect(cast('abc', 'string')).toBe('abc');
    expect(cast('', 'string')).toBe('');
  });

  it.each([
    [1000, 'Value "1000" must either be a string or None. Got "int".'],
    [1.5, 'Value "1.5" must either be a string or None. Got "float".'],
    [true, 'Value "True" must either be a string or None. Got "bool".'],
    [{ a: 1 }, 'Value "{\'a\': 1}" must either be a string or None. Got "dict".'],
    [['x'], 'Value "[\'x\']" must either be a string or None. Got "list".'],
  ])('refuses %j', (value, message) => {
    expect(() => cast(value, 'string')).toThrow(ValidationError);
    expect(() => cast(value, 'string')).toThrow(message);
  });
});

describe('integer', () => {
  it.each([
    ['5', 5],
    [' 42 ', 42],
    ['-7', -7],
    ['+3', 3],
    ['1_000', 1000],
    ['007', 7],
    [5.9, 5],
    [-5.9, -5],
    [-0.5, 0],
    [true, 1],
    [false, 0],
    [12, 12],
  ])('int(%j) = %j', (value, expected) => {
    expect(cast(value, 'integer')).toBe(expected);
  });

  it.each([
    ['abc', "invalid literal for int() with base 10: 'abc'"],
    ['5.0', "invalid literal for int() with base 10: '5.0'"],
    ['', "invalid literal for int() with base 10: ''"],
    [' 1 2 ', "invalid literal for int() with base 10: ' 1 2 '"],
    [[1], "int() argument must be a string, a bytes-like object or a real number, not 'list'"],
    [{}, "int() argument must be a string, a bytes-like object or a real number, not 'dict'"],
  ])('int(%j) fails', (value, message) => {
    expect(() => cast(value, 'integer')).toThrow(message);
  });
});

describe('number', () => {
  it.each([
    ['5', 5],
    ['2.5', 2.5],
    [' -1e3 ', -1000],
    ['.5', 0.5],
    ['5.', 5],
    ['1_0.5', 10.5],
    [true, 1],
    [7, 7],
  ])('float(%j) = %j', (value, expected) => {
    expect(cast(value, 'number')).toBe(expected);
  });

  it('reports Python messages', () => {
    expect(() => cast('abc', 'number')).toThrow("could not convert string to float: 'abc'");
    expect(() => cast([], 'number')).toThrow(
      "float() argument must be a string or a real number, not 'list'",
    );
    expect(() => cast('inf', 'number')).toThrow('Out of range float values are not JSON compliant');
    expect(() => cast('1e400', 'number')).toThrow('Out of range float values are not JSON compliant');
  });

  it('exposes the Python built-ins for filters', () => {
    expect(pyInt('12')).toBe(12);
    expect(pyFloat('1.5')).toBe(1.5);
  });
});

describe('boolean', () => {
  it('parses capitalised Python literals', () => {
    expect(cast('true', 'boolean')).toBe(true);
    expect(cast('FALSE', 'boolean')).toBe(false);
    expect(cast('tRuE', 'boolean')).toBe(true);
    expect(cast('True', 'boolean')).toBe(true);
  });

  it('keeps what the literal is, for the schema to judge', () => {
    expect(cast('1', 'boolean')).toBe(1);
    expect(cast('none', 'boolean')).toBeNull();
  });

  it('refuses other strings', () => {
    expect(() => cast('yes', 'boolean')).toThrow("malformed node or string: 'Yes'");
    expect(() => cast('', 'boolean')).toThrow(ValidationError);
  });

  it('keeps non-strings', () => {
    expect(cast(true, 'boolean')).toBe(true);
    expect(cast(1, 'boolean')).toBe(1);
  });
});

describe('object and array', () => {
  it('parses JSON strings', () => {
    expect(cast('{"a": [1, true]}', 'object')).toEqual({ a: [1, true] });
    expect(cast('[1, "x"]', 'array')).toEqual([1, 'x']);
  });

  it('falls back to Python literals (how Jinja renders dicts and lists)', () => {
    expect(cast("{'a': True, 'b': None}", 'object')).toEqual({ a: true, b: null });
    expect(cast("['x', 1]", 'array')).toEqual(['x', 1]);
  });

  it('keeps non-strings and reports garbage', () => {
    expect(cast({ a: 1 }, 'object')).toEqual({ a: 1 });
    expect(cast(5, 'array')).toBe(5);
    expect(() => cast('not json', 'object')).toThrow("malformed node or string: 'not json'");
  });
});
