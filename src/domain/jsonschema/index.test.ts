import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../types.ts';
import { validate, validationMessage } from './index.ts';

describe('fillDefaults', () => {
  it('sets absent properties to a deep copy of their default', () => {
    const shared = { nested: [1] };
    const schema = {
      type: 'object',
      properties: { user: { type: 'string', default: '' }, obj: { default: shared } },
    };
    const body: JsonObject = { action: 'x' };
    validate(schema, body, { fillDefaults: true });
    expect(body).toEqual({ action: 'x', user: '', obj: { nested: [1] } });
    expect(body['obj']).not.toBe(shared);
  });

  it('keeps provided values, including null', () => {
    const schema = { properties: { user: { type: 'string', 'x-nullable': true, default: '' } } };
    const body: JsonObject = { user: null };
    validate(schema, body, { fillDefaults: true });
    expect(body).toEqual({ user: null });
  });

  it('fills before checking Draft-3 required', () => {
    const schema = { properties: { a: { type: 'integer', required: true, default: 3 } } };
    const body: JsonObject = {};
    expect(validationMessage(schema, body, { fillDefaults: true })).toBeUndefined();
    expect(body).toEqual({ a: 3 });
    expect(validationMessage(schema, {})).toBe("'a' is a required property");
  });

  it('fills nested objects as validation descends, through allOf and $ref', () => {
    const root: JsonObject = {
      definitions: {
        LiveAction: {
          type: 'object',
          properties: {
            action: { type: 'string' },
            parameters: { type: 'object', properties: { p: { default: 1 } } },
          },
          required: ['action'],
        },
      },
    };
    const schema: JsonObject = {
      allOf: [
        { $ref: '#/definitions/LiveAction' },
        { type: 'object', properties: { user: { default: '' } } },
      ],
    };
    const body: JsonObject = { action: 'a', parameters: {} };
    validate(schema, body, { fillDefaults: true, root });
    expect(body).toEqual({ action: 'a', parameters: { p: 1 }, user: '' });
  });

  it('does not fill without the option', () => {
    const body: JsonObject = {};
    validate({ properties: { a: { default: 1 } } }, body);
    expect(body).toEqual({});
  });

  it('validates the filled defaults too', () => {
    const schema = { properties: { a: { type: 'integer', default: 'oops' } } };
    expect(validationMessage(schema, {}, { fillDefaults: true })).toBe("'oops' is not of type 'integer'");
  });
});

describe('bestMatch', () => {
  const schema = {
    type: 'object',
    properties: {
      a: { type: 'string' },
      hosts: { type: 'string', required: true },
      any: { anyOf: [{ type: 'array' }, { type: 'object' }, { type: 'string' }] },
    },
    additionalProperties: false,
  };

  it('prefers shallower errors over the first one', () => {
    expect(validationMessage(schema, { a: 1, hosts: 'h', foo: 1 })).toBe("1 is not of type 'string'");
    expect(validationMessage(schema, { a: 1, hosts: 'h', foo: 1 }, { bestMatch: true })).toBe(
      "Additional properties are not allowed ('foo' was unexpected)",
    );
  });

  it('keeps the earliest error among equally relevant ones', () => {
    // Draft-3 required errors carry the path ['required'], as deep as a property's type error.
    expect(validationMessage(schema, { a: 1 }, { bestMatch: true })).toBe("1 is not of type 'string'");
    expect(validationMessage(schema, { any: 1 }, { bestMatch: true })).toBe("'hosts' is a required property");
  });

  it('descends into the context of anyOf errors', () => {
    expect(validationMessage(schema, { hosts: 'h', any: null }, { bestMatch: true })).toBe(
      "None is not of type 'array'",
    );
    expect(validationMessage(schema, { hosts: 'h', any: null })).toBe(
      'None is not valid under any of the given schemas',
    );
  });

  it('returns undefined for valid instances', () => {
    expect(validationMessage(schema, { hosts: 'h' }, { bestMatch: true })).toBeUndefined();
  });
});
