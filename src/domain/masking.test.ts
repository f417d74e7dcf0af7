import { describe, expect, it } from 'vitest';
import {
  MASKED_VALUE,
  maskInquiryResult,
  maskParameters,
  maskResult,
  mergeParameterSpecs,
  redactJson,
  textRedactor,
  redactText,
  secretParameterValues,
  secretSafeCut,
} from './masking.ts';
import type { JsonObject, ParameterSpecs } from './types.ts';

const M = MASKED_VALUE;

describe('maskParameters', () => {
  const specs: ParameterSpecs = {
    user: { type: 'string' },
    password: { type: 'string', secret: true },
    token: { type: 'string', secret: true },
    creds: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        key: { type: 'string', secret: true },
        deep: { type: 'object', properties: { pin: { type: 'integer', secret: true } } },
      },
    },
    whole: { type: 'object', secret: true },
    list: { type: 'array', items: { type: 'object', properties: { pw: { type: 'string', secret: true } } } },
    pins: { type: 'array', items: { type: 'integer', secret: true } },
  };

  it('masks secret values whatever their type, null included', () => {
    const params = { user: 'u', password: 'p', token: null, whole: { a: 1 } };
    expect(maskParameters(params, specs)).toEqual({ user: 'u', password: M, token: M, whole: M });
  });

  it('does not add absent secrets', () => {
    expect(maskParameters({ user: 'u' }, specs)).toEqual({ user: 'u' });
  });

  it('recurses through object properties', () => {
    const params = { creds: { name: 'n', key: 'k', deep: { pin: 1234, other: 1 } } };
    expect(maskParameters(params, specs)).toEqual({
      creds: { name: 'n', key: M, deep: { pin: M, other: 1 } },
    });
  });

  it('recurses through array items', () => {
    const params: JsonObject = { list: [{ pw: 'a', x: 1 }, { x: 2 }], pins: [1, 2] };
    expect(maskParameters(params, specs)).toEqual({ list: [{ pw: M, x: 1 }, { x: 2 }], pins: [M, M] });
  });

  it('leaves values of an unexpected shape alone', () => {
    const params = { creds: 'not an object', list: 'nope' };
    expect(maskParameters(params, specs)).toEqual(params);
  });

  it('never mutates and returns the same object when nothing is secret', () => {
    const params = { user: 'u', creds: { name: 'n' } };
    expect(maskParameters(params, specs)).toBe(params);
    expect(maskParameters(params, { user: { type: 'string' } })).toBe(params);
    const secret = { password: 'p', creds: { name: 'n', key: 'k' } };
    const masked = maskParameters(secret, specs);
    expect(secret).toEqual({ password: 'p', creds: { name: 'n', key: 'k' } });
    expect(masked).not.toBe(secret);
  });

  it('shares unchanged branches', () => {
    const untouched = { a: [1, 2] };
    const params = { password: 'p', untouched } as JsonObject;
    expect(maskParameters(params, { ...specs, untouched: { type: 'object' } })['untouched']).toBe(untouched);
  });

  it('keeps key order', () => {
    expect(Object.keys(maskParameters({ a: 1, password: 'p', z: 2 }, specs))).toEqual(['a', 'password', 'z']);
  });

  it('masks every response key for st2.inquiry.respond', () => {
    const params = { id: 'x', response: { continue: true, secret: 'abc' } };
    expect(maskParameters(params, {}, 'st2.inquiry.respond')).toEqual({
      id: 'x',
      response: { continue: M, secret: M },
    });
    expect(maskParameters(params, {}, 'core.local')).toBe(params);
    const noResponse = { id: 'x' };
    expect(maskParameters(noResponse, {}, 'st2.inquiry.respond')).toBe(noResponse);
  });
});

describe('mergeParameterSpecs', () => {
  it('lets the runner spec replace the action spec for shared names', () => {
    const action: ParameterSpecs = {
      cmd: { type: 'string' },
      password: { type: 'string', secret: false, default: 'x' },
    };
    const runner: ParameterSpecs = { password: { type: 'string', secret: true } };
    expect(mergeParameterSpecs(action, runner)).toEqual({
      cmd: { type: 'string' },
      password: { type: 'string', secret: true },
    });
    expect(maskParameters({ password: 'p' }, mergeParameterSpecs(action, runner))).toEqual({ password: M });
  });

  it('returns the same merged object for the same inputs', () => {
    const action: ParameterSpecs = { a: {} };
    const runner: ParameterSpecs = { b: {} };
    expect(mergeParameterSpecs(action, runner)).toBe(mergeParameterSpecs(action, runner));
  });
});

describe('maskResult', () => {
  const schema: JsonObject = {
    type: 'object',
    properties: {
      secret_param_1: { type: 'string', secret: true },
      nested: { type: 'object', properties: { token: { type: 'string', secret: true } } },
    },
    patternProperties: { '^pw_': { type: 'string', secret: true } },
    additionalProperties: { type: 'object', properties: { key: { secret: true } } },
  };

  it('masks result[outputKey] per the output schema', () => {
    const result = {
      exit_code: 0,
      stdout: '',
      result: { secret_param_1: 'foo', nested: { token: 't', other: 1 } },
    };
    expect(maskResult(result, 'result', schema)).toEqual({
      exit_code: 0,
      stdout: '',
      result: { secret_param_1: M, nested: { token: M, other: 1 } },
    });
  });

  it('uses patternProperties before additionalProperties', () => {
    const result = { result: { pw_a: 'x', extra: { key: 'k', keep: 1 }, plain: 'v' } };
    expect(maskResult(result, 'result', schema)).toEqual({
      result: { pw_a: M, extra: { key: M, keep: 1 }, plain: 'v' },
    });
  });

  it('walks arrays via items and additionalItems', () => {
    const arraySchema: JsonObject = {
      type: 'object',
      properties: {
        tuple: {
          type: 'array',
          items: [{ type: 'string' }, { secret: true }],
          additionalItems: { secret: true },
        },
        list: { type: 'array', items: { type: 'object', properties: { s: { secret: true } } } },
      },
    };
    const result: JsonObject = { output: { tuple: ['a', 'b', 'c', 'd'], list: [{ s: 1 }, { t: 2 }] } };
    expect(maskResult(result, 'output', arraySchema)).toEqual({
      output: { tuple: ['a', M, M, M], list: [{ s: M }, { t: 2 }] },
    });
  });

  it('normalises legacy output schemas', () => {
    const legacy: JsonObject = {
      secret_param_1: { type: 'string', secret: true },
      plain: { type: 'string' },
    };
    const result = { result: { secret_param_1: 'foo', plain: 'bar', other: 1 } };
    expect(maskResult(result, 'result', legacy)).toEqual({
      result: { secret_param_1: M, plain: 'bar', other: 1 },
    });
  });

  it('masks a whole output marked secret', () => {
    expect(maskResult({ body: 'abc' }, 'body', { type: 'string', secret: true })).toEqual({ body: M });
  });

  it('returns the same object when there is nothing to mask', () => {
    const result = { result: { a: 1 } };
    expect(maskResult(result, 'result', schema)).toBe(result);
    expect(maskResult(result, undefined, schema)).toBe(result);
    expect(maskResult(result, 'other', schema)).toBe(result);
    expect(maskResult(result, 'result', {})).toBe(result);
    expect(maskResult(result, 'result', undefined)).toBe(result);
    expect(maskResult(result, 'result', { type: 'object', properties: { a: { type: 'integer' } } })).toBe(
      result,
    );
    expect(maskResult('text', 'result', schema)).toBe('text');
  });

  it('never mutates the input', () => {
    const result = { result: { secret_param_1: 'foo' } };
    maskResult(result, 'result', schema);
    expect(result).toEqual({ result: { secret_param_1: 'foo' } });
  });

  it('masks inquiry responses for the inquirer runner', () => {
    const result = {
      schema: {
        type: 'object',
        properties: { pin: { type: 'string', secret: true }, ok: { type: 'boolean' } },
      },
      response: { pin: '1234', ok: true },
      ttl: 1440,
    };
    expect(maskResult(result, undefined, {}, { runnerName: 'inquirer' })).toEqual({
      ...result,
      response: { pin: M, ok: true },
    });
    expect(maskResult(result, undefined, {}, { runnerName: 'noop' })).toBe(result);
  });
});

describe('maskInquiryResult', () => {
  it('needs both a schema and a response', () => {
    const noResponse = { schema: { properties: { pin: { secret: true } } } };
    expect(maskInquiryResult(noResponse)).toBe(noResponse);
    const emptyResponse = { schema: { properties: { pin: { secret: true } } }, response: {} };
    expect(maskInquiryResult(emptyResponse)).toBe(emptyResponse);
    const noSchema = { response: { pin: 1 } };
    expect(maskInquiryResult(noSchema)).toBe(noSchema);
    expect(maskInquiryResult(null)).toBe(null);
  });

  it('only masks keys marked secret: true that are present', () => {
    const result = {
      schema: { properties: { pin: { secret: true }, b: { secret: 'yes' } } },
      response: { b: 1 },
    };
    expect(maskInquiryResult(result)).toBe(result);
  });
});

describe('redaction of secret parameter values', () => {
  const specs = {
    token: { type: 'string', secret: true },
    pin: { type: 'integer', secret: true },
    short: { type: 'string', secret: true },
    creds: { type: 'object', properties: { key: { type: 'string', secret: true } } },
    fallback: { type: 'string', secret: true, default: 'default-secret' },
    plain: { type: 'string' },
  } as unknown as ParameterSpecs;

  it('collects the text of secret values (and secret defaults), longest first, skipping short ones', () => {
    expect(
      secretParameterValues(
        { token: 'tok-123456', pin: 98765, short: 'ab', creds: { key: 'k-99999' }, plain: 'visible' },
        specs,
      ),
    ).toEqual(['default-secret', 'tok-123456', 'k-99999', '98765']);
  });

  it('redacts them in text and inside JSON strings and keys, returning the same object when clean', () => {
    const secrets = ['tok-123456'];
    expect(redactText('a tok-123456 b tok-123456', secrets)).toBe('a ******** b ********');
    const result = { stdout: 'token is tok-123456\n', nested: [{ 'tok-123456': 1 }], n: 3 };
    expect(redactJson(result, secrets)).toEqual({
      stdout: 'token is ********\n',
      nested: [{ '********': 1 }],
      n: 3,
    });
    const clean = { stdout: 'nothing' };
    expect(redactJson(clean, secrets)).toBe(clean);
  });
});

describe('textRedactor', () => {
  it('catches a secret split across pieces and loses no text', () => {
    const redactor = textRedactor(['hunter2-secret', 'abcd']);
    const pieces = ['token hun', 'ter2-sec', 'ret and ab', 'cd', ' end'];
    const out = pieces.map((p) => redactor.push(p)).join('') + redactor.end();
    expect(out).toBe('token ******** and ******** end');
    const none = textRedactor([]);
    expect(none.push('as is') + none.end()).toBe('as is');
  });
});

describe('secretSafeCut', () => {
  it('cuts before an ending that could be the beginning of a secret, else at the end', () => {
    expect(secretSafeCut('begin split-sec', ['split-secret'])).toBe(6);
    expect(secretSafeCut('begin s', ['split-secret'])).toBe(6);
    expect(secretSafeCut('begin split-secret', ['split-secret'])).toBe(18); // whole: nothing held
    expect(secretSafeCut('begin\n', ['split-secret'])).toBe(6);
    expect(secretSafeCut('xx ab', ['abc', 'bcd'])).toBe(3);
    expect(secretSafeCut('anything', [])).toBe(8);
  });
});
