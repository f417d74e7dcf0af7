import { describe, expect, it } from 'vitest';
import type { Json, JsonObject, ParameterSpecs } from '../../domain/types.ts';
import { scriptArguments, serializePositional } from './script-args.ts';

describe('serializePositional', () => {
  it.each<[string | undefined, Json, string]>([
    ['string', 'a b', 'a b'],
    ['string', null, ''],
    ['string', '', ''],
    ['number', 2.5, '2.5'],
    ['number', 0, '0'],
    ['number', null, ''],
    ['boolean', true, '1'],
    ['boolean', false, '0'],
    ['boolean', null, ''],
    ['array', ['a', 1, true], 'a,1,True'],
    ['array', [], ''],
    ['array', null, ''],
    ['object', { a: 1, b: 'é' }, '{"a": 1, "b": "\\u00e9"}'],
    ['object', {}, ''],
    ['null', 'x', ''],
    ['integer', 5, '5'],
    ['integer', 0, ''],
    [undefined, 'x', 'x'],
    [undefined, false, ''],
    [undefined, { a: true }, "{'a': True}"],
  ])('%s %j -> %j', (type, value, expected) => {
    expect(serializePositional(type, value)).toBe(expected);
  });
});

describe('scriptArguments', () => {
  const specs: ParameterSpecs = {
    to: { type: 'string', position: 2 },
    from: { type: 'string', position: 1 },
    binary: { type: 'string', position: 0 },
    empty: { type: 'boolean', position: 3 },
    verbose: { type: 'boolean' },
    quiet: { type: 'boolean' },
    count: { type: 'integer' },
    name: { type: 'string' },
    blank: { type: 'string' },
    missing: { type: 'string' },
    tags: { type: 'array' },
    opts: { type: 'object' },
  };

  it('orders positional arguments by position and serialises named ones', () => {
    const params: JsonObject = {
      binary: 'None',
      from: 'stanley',
      to: 'a@b.c',
      verbose: true,
      quiet: false,
      count: 0,
      name: 'my name',
      blank: '',
      missing: null,
      tags: ['x', 'y'],
      opts: { k: 1 },
    };
    expect(scriptArguments(params, specs, '--')).toEqual({
      positional: ['None', 'stanley', 'a@b.c', ''],
      named: ['--verbose', '--count=0', '--name=my name', "--tags=['x', 'y']", "--opts={'k': 1}"],
    });
  });

  it('uses the kwarg_op prefix', () => {
    expect(scriptArguments({ name: 'x', verbose: true }, specs, '-').named).toEqual(['-name=x', '-verbose']);
  });

  it('defaults kwarg_op to --', () => {
    expect(scriptArguments({ name: 'x' }, specs).named).toEqual(['--name=x']);
  });

  it('gives positions of absent parameters an empty argument', () => {
    expect(
      scriptArguments({}, { a: { type: 'string', position: 0 }, b: { type: 'integer', position: 1 } }),
    ).toEqual({
      positional: ['', ''],
      named: [],
    });
  });

  it('keeps named parameters that have no spec', () => {
    expect(scriptArguments({ extra: 5 }, {}).named).toEqual(['--extra=5']);
  });
});
