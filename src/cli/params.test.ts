import { describe, expect, it } from 'vitest';
import { UsageError } from './errors.ts';
import { buildParameters, castValue } from './params.ts';

describe('castValue types command-line text by a parameter schema, as st2 does', () => {
  it('integers, numbers and booleans', () => {
    expect(castValue('n', '42', { type: 'integer' })).toBe(42);
    expect(castValue('n', '-7', { type: 'integer' })).toBe(-7);
    expect(castValue('r', '0.25', { type: 'number' })).toBe(0.25);
    expect(castValue('b', 'Yes', { type: 'boolean' })).toBe(true);
    expect(castValue('b', '0', { type: 'boolean' })).toBe(false);
    expect(() => castValue('n', '4.5', { type: 'integer' })).toThrow(
      'parameter "n" must be an integer, got "4.5"',
    );
    expect(() => castValue('r', '', { type: 'number' })).toThrow(UsageError);
    expect(() => castValue('b', 'maybe', { type: 'boolean' })).toThrow('must be a boolean');
  });

  it("arrays and objects from JSON or st2's comma lists, items typed", () => {
    expect(castValue('a', 'x, y', { type: 'array' })).toEqual(['x', 'y']);
    expect(castValue('a', '1,2', { type: 'array', items: { type: 'integer' } })).toEqual([1, 2]);
    expect(castValue('a', '[1, {"k": true}]', { type: 'array' })).toEqual([1, { k: true }]);
    expect(castValue('a', '', { type: 'array' })).toEqual([]);
    expect(castValue('o', 'a=1,b=x=y', { type: 'object' })).toEqual({ a: '1', b: 'x=y' });
    expect(castValue('o', '{"deep": [1]}', { type: 'object' })).toEqual({ deep: [1] });
    expect(() => castValue('o', '{broken', { type: 'object' })).toThrow('"{broken" is not valid JSON');
    expect(() => castValue('o', 'novalue', { type: 'object' })).toThrow('k1=v1,k2=v2');
  });

  it('strings, unknown and union types stay as given (the first non-null type decides)', () => {
    expect(castValue('s', '42', { type: 'string' })).toBe('42');
    expect(castValue('s', '42', undefined)).toBe('42');
    expect(castValue('s', '42', { type: ['null', 'integer'] })).toBe(42);
  });
});

describe('buildParameters', () => {
  const specs = { cmd: { type: 'string' }, timeout: { type: 'integer' } };
  it('splits at the first =, and joins loose words into cmd', () => {
    expect(buildParameters(['timeout=5', 'cmd=a=b'], specs)).toEqual({ timeout: 5, cmd: 'a=b' });
    expect(buildParameters(['echo', 'hi', 'there'], specs)).toEqual({ cmd: 'echo hi there' });
  });
  it('refuses loose words when there is no cmd', () => {
    expect(() => buildParameters(['oops'], { who: { type: 'string' } })).toThrow(
      'expected key=value, got "oops" (this action has no "cmd" parameter)',
    );
  });
});
