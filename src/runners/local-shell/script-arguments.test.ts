import { describe, expect, it } from 'vitest';
import { pyRepr } from '../shared/python-str.ts';
import { scriptArguments, serializePositional } from './script-arguments.ts';

describe('serializePositional (spec §6.8)', () => {
  it.each([
    ['string', 'a b', 'a b'],
    ['string', null, ''],
    ['string', 5, '5'],
    ['number', 1.5, '1.5'],
    ['number', null, ''],
    ['boolean', true, '1'],
    ['boolean', false, '0'],
    ['boolean', null, ''],
    ['array', ['a', 1, true, null], 'a,1,True,None'],
    ['array', [], ''],
    ['array', null, ''],
    ['object', { a: 1, b: [1, 'x'] }, '{"a":1,"b":[1,"x"]}'],
    ['object', {}, ''],
    ['null', 'anything', ''],
    ['integer', 7, '7'],
    ['integer', 0, ''],
    [undefined, 'text', 'text'],
    [undefined, false, ''],
  ] as const)('%s %j → %j', (type, value, expected) => {
    expect(serializePositional(type, value as never)).toBe(expected);
  });
});

describe('pyRepr', () => {
  it('prints values the way Python str()/repr() does', () => {
    expect(pyRepr({ a: [1, 'x', null, true], "it's": 'say "hi"\n' })).toBe(
      `{'a': [1, 'x', None, True], "it's": 'say "hi"\\n'}`,
    );
    expect(pyRepr(1e-7)).toBe('1e-07');
    expect(pyRepr(1e16)).toBe('1e+16');
    expect(pyRepr(2.5)).toBe('2.5');
  });
});

describe('scriptArguments', () => {
  const specs = {
    second: { type: 'integer', position: 1 },
    first: { type: 'string', position: 0 },
    third: { type: 'boolean', position: 2 },
    flag: { type: 'boolean' },
    off: { type: 'boolean' },
    name: { type: 'string' },
    empty: { type: 'string' },
    nothing: { type: 'string' },
    list: { type: 'array' },
  };

  it('puts named arguments first (StackStorm order), then positional ones by position', () => {
    expect(
      scriptArguments(
        {
          first: 'one two',
          second: 2,
          flag: true,
          off: false,
          name: "o'k",
          empty: '',
          nothing: null,
          list: ['a', 'b'],
          extra: 3,
        },
        specs,
        '--',
      ),
    ).toEqual(['--flag', "--name=o'k", "--list=['a', 'b']", '--extra=3', 'one two', '2', '']);
  });

  it('uses the kwarg_op given', () => {
    expect(scriptArguments({ name: 'x' }, specs, '-').slice(0, 1)).toEqual(['-name=x']);
  });
});
