import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import type { Json, JsonObject } from '../types.ts';
import { iterErrors, schemaViolation, validate, validationMessage } from './index.ts';

const msg = (schema: Json, instance: Json): string | undefined => validationMessage(schema, instance);
const all = (schema: Json, instance: Json): string[] =>
  [...iterErrors(schema, instance)].map((e) => e.message);

describe('type', () => {
  it('reports a single type', () => {
    expect(msg({ type: 'object' }, 'foobar')).toBe("'foobar' is not of type 'object'");
    expect(msg({ type: 'string' }, 5)).toBe("5 is not of type 'string'");
  });

  it('reports a type list', () => {
    expect(msg({ type: ['boolean', 'null'] }, 1)).toBe("1 is not of type 'boolean', 'null'");
  });

  it('does not count booleans as integers or numbers', () => {
    expect(msg({ type: 'integer' }, true)).toBe("True is not of type 'integer'");
    expect(msg({ type: 'number' }, false)).toBe("False is not of type 'number'");
  });

  it('treats integral numbers as integers and others as numbers only', () => {
    expect(msg({ type: 'integer' }, 5)).toBeUndefined();
    expect(msg({ type: 'integer' }, 5.5)).toBe("5.5 is not of type 'integer'");
    expect(msg({ type: 'number' }, 5)).toBeUndefined();
  });

  it('distinguishes arrays, objects and null', () => {
    expect(msg({ type: 'object' }, [])).toBe("[] is not of type 'object'");
    expect(msg({ type: 'array' }, {})).toBe("{} is not of type 'array'");
    expect(msg({ type: 'object' }, null)).toBe("None is not of type 'object'");
    expect(msg({ type: 'null' }, null)).toBeUndefined();
  });

  it('matches nothing for unknown type names', () => {
    expect(msg({ type: 'whatever' }, 1)).toBe("1 is not of type 'whatever'");
  });
});

describe('properties and required', () => {
  it('reports Draft-4 required arrays', () => {
    expect(msg({ type: 'object', required: ['action'] }, {})).toBe("'action' is a required property");
  });

  it('reports Draft-3 per-property required booleans', () => {
    const schema = { type: 'object', properties: { hosts: { type: 'string', required: true } } };
    expect(msg(schema, {})).toBe("'hosts' is a required property");
    expect(msg(schema, { hosts: 'h' })).toBeUndefined();
  });

  it('ignores required: false', () => {
    expect(msg({ properties: { a: { required: false } } }, {})).toBeUndefined();
  });

  it('validates properties in the schema order', () => {
    const schema = { properties: { b: { type: 'string' }, a: { type: 'string' } } };
    expect(all(schema, { a: 1, b: 2 })).toEqual(["2 is not of type 'string'", "1 is not of type 'string'"]);
  });

  it('follows the schema key order across keywords', () => {
    const schema = { required: ['x'], type: 'object', additionalProperties: false };
    expect(all(schema, { y: 1 })).toEqual([
      "'x' is a required property",
      "Additional properties are not allowed ('y' was unexpected)",
    ]);
  });

  it('skips non-object instances', () => {
    expect(msg({ properties: { a: { type: 'string' } }, required: ['a'] }, 'str')).toBeUndefined();
  });
});

describe('additionalProperties', () => {
  it('names one unexpected property', () => {
    const schema = { type: 'object', properties: { a: {} }, additionalProperties: false };
    expect(msg(schema, { a: 1, foo: 2 })).toBe(
      "Additional properties are not allowed ('foo' was unexpected)",
    );
  });

  it('names several unexpected properties', () => {
    const schema = { properties: {}, additionalProperties: false };
    expect(msg(schema, { a: 1, b: 2 })).toBe(
      "Additional properties are not allowed ('a', 'b' were unexpected)",
    );
  });

  it('validates extras against a schema', () => {
    const schema = { properties: { a: {} }, additionalProperties: { type: 'integer' } };
    expect(msg(schema, { a: 'x', b: 1 })).toBeUndefined();
    expect(msg(schema, { b: 'no' })).toBe("'no' is not of type 'integer'");
  });

  it('uses the regex wording when patternProperties exist', () => {
    const schema = { patternProperties: { '^x_': {}, '^a': {} }, additionalProperties: false };
    expect(msg(schema, { x_1: 1, zz: 2 })).toBe("'zz' does not match any of the regexes: '^a', '^x_'");
    expect(msg(schema, { zz: 1, bb: 2 })).toBe("'bb', 'zz' do not match any of the regexes: '^a', '^x_'");
  });
});

describe('patternProperties', () => {
  it('validates keys found by re.search', () => {
    const schema = { patternProperties: { '\\d': { type: 'integer' } } };
    expect(msg(schema, { a1: 'x' })).toBe("'x' is not of type 'integer'");
    expect(msg(schema, { ab: 'x' })).toBeUndefined();
  });
});

describe('enum', () => {
  it('lists the options with Python repr', () => {
    expect(msg({ enum: ['requested', 'scheduled'] }, 'married')).toBe(
      "'married' is not one of ['requested', 'scheduled']",
    );
  });

  it('compares structurally and keeps bools apart from numbers', () => {
    expect(msg({ enum: [{ a: [1, 2] }] }, { a: [1, 2] })).toBeUndefined();
    expect(msg({ enum: [1, 0] }, true)).toBe('True is not one of [1, 0]');
    expect(msg({ enum: [null] }, null)).toBeUndefined();
  });
});

describe('string keywords', () => {
  it('pattern uses re.search', () => {
    expect(msg({ pattern: '^x' }, 'abc')).toBe("'abc' does not match '^x'");
    expect(msg({ pattern: 'b' }, 'abc')).toBeUndefined();
    expect(msg({ pattern: '^x' }, 5)).toBeUndefined();
  });

  it('minLength/maxLength count code points', () => {
    expect(msg({ minLength: 1 }, '')).toBe("'' is too short");
    expect(msg({ maxLength: 2 }, 'abc')).toBe("'abc' is too long");
    expect(msg({ maxLength: 1 }, '😀')).toBeUndefined();
  });
});

describe('numeric keywords', () => {
  it('minimum and maximum', () => {
    expect(msg({ maximum: 2 }, 3)).toBe('3 is greater than the maximum of 2');
    expect(msg({ minimum: 5 }, 3)).toBe('3 is less than the minimum of 5');
    expect(msg({ minimum: 3 }, 3)).toBeUndefined();
  });

  it('Draft-4 boolean exclusive bounds', () => {
    expect(msg({ minimum: 3, exclusiveMinimum: true }, 3)).toBe(
      '3 is less than or equal to the minimum of 3',
    );
    expect(msg({ maximum: 3, exclusiveMaximum: true }, 3)).toBe(
      '3 is greater than or equal to the maximum of 3',
    );
  });

  it('ignores booleans', () => {
    expect(msg({ minimum: 3 }, false)).toBeUndefined();
  });

  it('multipleOf', () => {
    expect(msg({ multipleOf: 2 }, 7)).toBe('7 is not a multiple of 2');
    expect(msg({ multipleOf: 0.5 }, 1.5)).toBeUndefined();
    expect(msg({ multipleOf: 0.5 }, 1.2)).toBe('1.2 is not a multiple of 0.5');
  });
});

describe('array keywords', () => {
  it('minItems, maxItems, uniqueItems', () => {
    expect(msg({ minItems: 1 }, [])).toBe('[] is too short');
    expect(msg({ maxItems: 1 }, [1, 2])).toBe('[1, 2] is too long');
    expect(msg({ uniqueItems: true }, [1, 1])).toBe('[1, 1] has non-unique elements');
    expect(msg({ uniqueItems: true }, [1, true])).toBeUndefined();
    expect(
      msg({ uniqueItems: true }, [
        { a: 1, b: 2 },
        { b: 2, a: 1 },
      ]),
    ).toBe("[{'a': 1, 'b': 2}, {'b': 2, 'a': 1}] has non-unique elements");
  });

  it('items as a schema', () => {
    expect(msg({ items: { type: 'string' } }, ['a', 2])).toBe("2 is not of type 'string'");
    expect(schemaViolation({ items: { type: 'string' } }, ['a', 2])?.path).toEqual([1]);
  });

  it('items as a tuple, with additionalItems', () => {
    const schema = { items: [{ type: 'string' }, { type: 'integer' }], additionalItems: false };
    expect(msg(schema, ['a', 1])).toBeUndefined();
    expect(msg(schema, ['a', 'b'])).toBe("'b' is not of type 'integer'");
    expect(msg(schema, ['a', 1, 2])).toBe('Additional items are not allowed (2 was unexpected)');
    expect(msg(schema, ['a', 1, 2, 'x'])).toBe("Additional items are not allowed (2, 'x' were unexpected)");
    expect(msg({ items: [{}], additionalItems: { type: 'integer' } }, [0, 'z'])).toBe(
      "'z' is not of type 'integer'",
    );
  });

  it('ignores additionalItems without tuple items', () => {
    expect(msg({ additionalItems: false }, [1, 2])).toBeUndefined();
    expect(msg({ items: {}, additionalItems: false }, [1, 2])).toBeUndefined();
  });
});

describe('object size and dependencies', () => {
  it('minProperties and maxProperties', () => {
    expect(msg({ minProperties: 1 }, {})).toBe('{} does not have enough properties');
    expect(msg({ maxProperties: 1 }, { a: 1, b: 2 })).toBe("{'a': 1, 'b': 2} has too many properties");
  });

  it('dependencies', () => {
    expect(msg({ dependencies: { a: ['b'] } }, { a: 1 })).toBe("'b' is a dependency of 'a'");
    expect(msg({ dependencies: { a: { required: ['c'] } } }, { a: 1 })).toBe("'c' is a required property");
    expect(msg({ dependencies: { a: ['b'] } }, { c: 1 })).toBeUndefined();
  });
});

describe('combinators', () => {
  it('allOf reports the first failing subschema', () => {
    expect(msg({ allOf: [{ type: 'string' }, { minLength: 3 }] }, 'ab')).toBe("'ab' is too short");
  });

  it('anyOf', () => {
    const schema = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(msg(schema, 1)).toBeUndefined();
    expect(msg(schema, { a: 1 })).toBe("{'a': 1} is not valid under any of the given schemas");
    expect(schemaViolation(schema, null)?.context.map((e) => e.message)).toEqual([
      "None is not of type 'string'",
      "None is not of type 'integer'",
    ]);
  });

  it('oneOf', () => {
    const schema: JsonObject = {
      oneOf: [{ type: 'integer' }, { type: 'number', minimum: 0 }, { type: 'string' }],
    };
    expect(msg(schema, 'x')).toBeUndefined();
    expect(msg(schema, -1)).toBeUndefined();
    expect(msg(schema, null)).toBe('None is not valid under any of the given schemas');
    expect(msg(schema, 5)).toBe(
      "5 is valid under each of {'type': 'number', 'minimum': 0}, {'type': 'integer'}",
    );
  });

  it('not', () => {
    expect(msg({ not: { type: 'string' } }, 'x')).toBe("{'type': 'string'} is not allowed for 'x'");
    expect(msg({ not: { type: 'string' } }, 1)).toBeUndefined();
  });
});

describe('$ref', () => {
  const root: JsonObject = {
    definitions: {
      Status: { type: 'string', enum: ['a', 'b'] },
      'With/Slash': { type: 'integer' },
      Req: { allOf: [{ $ref: '#/definitions/Base' }, { properties: { user: { type: 'string' } } }] },
      Base: { type: 'object', properties: { action: { type: 'string' } }, required: ['action'] },
    },
  };

  it('resolves definitions in the root document and ignores sibling keywords', () => {
    expect(
      msg({ $ref: '#/definitions/Status', type: 'integer', definitions: root['definitions'] as Json }, 'c'),
    ).toBe("'c' is not one of ['a', 'b']");
  });

  it('uses the root option', () => {
    expect(validationMessage({ $ref: '#/definitions/Req' }, { user: 'x' }, { root })).toBe(
      "'action' is a required property",
    );
    expect(validationMessage({ $ref: '#/definitions/With~1Slash' }, 'x', { root })).toBe(
      "'x' is not of type 'integer'",
    );
  });

  it('fails loudly on unresolvable pointers', () => {
    expect(() => validationMessage({ $ref: '#/definitions/Nope' }, 1, { root })).toThrow(
      "Unresolvable JSON pointer: 'definitions/Nope'",
    );
  });
});

describe('x-nullable, format and unknown keywords', () => {
  it('lets null through x-nullable schemas', () => {
    expect(msg({ type: 'string', 'x-nullable': true }, null)).toBeUndefined();
    expect(msg({ type: 'string', 'x-nullable': true }, 1)).toBe("1 is not of type 'string'");
    expect(msg({ type: 'string' }, null)).toBe("None is not of type 'string'");
  });

  it('ignores format and StackStorm metadata keywords', () => {
    const schema = { format: 'date-time', position: 0, immutable: true, secret: true, description: 'd' };
    expect(msg(schema, 'not a date')).toBeUndefined();
  });
});

describe('regex dialect', () => {
  it('treats $ like Python (also before a final newline)', () => {
    expect(msg({ pattern: '^abc$' }, 'abc\n')).toBeUndefined();
    expect(msg({ pattern: '^abc\\Z' }, 'abc\n')).toBe("'abc\\n' does not match '^abc\\\\Z'");
  });

  it('accepts Python named groups, inline flags and identity escapes', () => {
    expect(msg({ pattern: '^(?P<a>x)(?P=a)$' }, 'xx')).toBeUndefined();
    expect(msg({ pattern: '(?i)^abc$' }, 'ABC')).toBeUndefined();
    expect(msg({ pattern: '^\\d{4}\\-\\d{2}$' }, '2024-01')).toBeUndefined();
    expect(msg({ pattern: '^[$]$' }, '$')).toBeUndefined();
  });

  it('validates StackStorm timestamps', () => {
    const pattern =
      '^\\d{4}\\-\\d{2}\\-\\d{2}(\\s|T)\\d{2}:\\d{2}:\\d{2}(\\.\\d{3,6})?(Z|\\+00|\\+0000|\\+00:00)$';
    expect(msg({ pattern }, '2024-01-02T03:04:05.123456Z')).toBeUndefined();
    expect(msg({ pattern }, '2024-01-02T03:04:05+01:00')).toContain('does not match');
  });
});

describe('validate()', () => {
  it('throws ValidationError with the message', () => {
    expect(() => validate({ type: 'object' }, 'foobar')).toThrow(ValidationError);
    expect(() => validate({ type: 'object' }, 'foobar')).toThrow("'foobar' is not of type 'object'");
    expect(() => validate({ type: 'object' }, {})).not.toThrow();
  });

  it('stops at the first error', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['b'] };
    expect(msg(schema, { a: 1 })).toBe("1 is not of type 'string'");
  });
});
