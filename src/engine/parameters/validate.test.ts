import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import type { JsonObject, ParameterSpecs } from '../../domain/types.ts';
import { ParameterRenderError } from './errors.ts';
import { parametersSchema, validateParameters } from './validate.ts';

const REMOTE_SHELL_CMD: ParameterSpecs = {
  cmd: { type: 'string' },
  hosts: { type: 'string', required: true },
  username: { type: 'string' },
  password: { type: 'string', secret: true },
  parallel: { type: 'boolean', default: false },
  sudo: { type: 'boolean', default: false },
  timeout: { type: 'integer', default: 60 },
};

const CORE_REMOTE: ParameterSpecs = {
  cmd: { type: 'string', required: true },
  sudo: { immutable: true },
};

function check(
  live: JsonObject,
  provided?: string[],
  parameters = CORE_REMOTE,
  runnerParams = REMOTE_SHELL_CMD,
): void {
  validateParameters({
    action: { parameters },
    runner: { runner_parameters: runnerParams },
    live,
    ...(provided ? { provided } : {}),
  });
}

function message(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    expect(err).not.toBeInstanceOf(ParameterRenderError);
    return (err as Error).message;
  }
  return undefined;
}

describe('parametersSchema', () => {
  it('deep-merges runner specs with action specs, runner parameters first', () => {
    expect(
      parametersSchema({
        action: { parameters: CORE_REMOTE },
        runner: { runner_parameters: REMOTE_SHELL_CMD },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        cmd: { type: 'string', required: true },
        hosts: { type: 'string', required: true },
        username: { type: 'string' },
        password: { type: 'string', secret: true },
        parallel: { type: 'boolean', default: false },
        sudo: { type: 'boolean', default: false, immutable: true },
        timeout: { type: 'integer', default: 60 },
      },
      additionalProperties: false,
    });
  });

  it('lets empty metadata accept any type and is {} without parameters', () => {
    const schema = parametersSchema({
      action: { parameters: { any: {} } },
      runner: { runner_parameters: {} },
    });
    expect((schema['properties'] as JsonObject)['any']).toEqual({
      anyOf: [
        { type: 'array' },
        { type: 'boolean' },
        { type: 'integer' },
        { type: 'number' },
        { type: 'object' },
        { type: 'string' },
      ],
    });
    expect(parametersSchema({ action: { parameters: {} }, runner: { runner_parameters: {} } })).toEqual({});
  });
});

describe('validateParameters', () => {
  it('accepts valid parameters', () => {
    expect(message(() => check({ cmd: 'ls', hosts: 'a,b' }))).toBeUndefined();
  });

  it('refuses unknown parameters', () => {
    expect(message(() => check({ cmd: 'ls', hosts: 'h', foo: 1 }))).toBe(
      "Additional properties are not allowed ('foo' was unexpected)",
    );
  });

  it('refuses missing required parameters', () => {
    expect(message(() => check({ cmd: 'ls' }))).toBe("'hosts' is a required property");
  });

  it('fills defaults first, so a required parameter with a default passes', () => {
    const echo: ParameterSpecs = {
      message: { type: 'string', required: true },
      cmd: { default: 'echo', required: true },
    };
    expect(
      message(() => check({ message: 'm' }, undefined, echo, { cmd: { type: 'string' } })),
    ).toBeUndefined();
  });

  it('adds null to the type of optional parameters', () => {
    expect(message(() => check({ cmd: 'ls', hosts: 'h', parallel: 1 }))).toBe(
      "1 is not of type 'boolean', 'null'",
    );
    expect(message(() => check({ cmd: 'ls', hosts: 'h', username: null }))).toBeUndefined();
  });

  it('does not add null for required parameters without a null default', () => {
    expect(message(() => check({ cmd: 1, hosts: 'h' }))).toBe("1 is not of type 'string'");
    expect(message(() => check({ cmd: null, hosts: 'h' }))).toBe("None is not of type 'string'");
  });

  it('accepts null for required parameters whose default is null', () => {
    const specs: ParameterSpecs = { p: { type: 'string', required: true, default: null } };
    expect(message(() => check({ p: null }, undefined, specs, {}))).toBeUndefined();
  });

  it('keeps action overrides of runner parameters typed by the runner', () => {
    const specs: ParameterSpecs = { timeout: { default: 30 } };
    expect(message(() => check({ hosts: 'h', timeout: 'x' }, undefined, specs))).toBe(
      "'x' is not of type 'integer', 'null'",
    );
  });

  it('reports enum violations', () => {
    const specs: ParameterSpecs = { mode: { type: 'string', enum: ['a', 'b'] } };
    expect(message(() => check({ mode: 'x' }, undefined, specs, {}))).toBe("'x' is not one of ['a', 'b']");
  });

  it('lets parameters with empty metadata take any type but null', () => {
    const specs: ParameterSpecs = { any: {} };
    for (const value of [1, 'x', [1], { a: 1 }, true]) {
      expect(message(() => check({ any: value }, undefined, specs, {}))).toBeUndefined();
    }
    expect(message(() => check({ any: null }, undefined, specs, {}))).toBe("None is not of type 'array'");
  });

  it('accepts anything when nothing is declared', () => {
    expect(message(() => check({ whatever: 1 }, undefined, {}, {}))).toBeUndefined();
  });

  it('reports the best match: top-level errors win over parameter errors', () => {
    expect(message(() => check({ cmd: 1, hosts: 'h', foo: 1 }))).toBe(
      "Additional properties are not allowed ('foo' was unexpected)",
    );
  });

  it('fills nested defaults of required object parameters only', () => {
    const nested = { type: 'object', properties: { a: { type: 'integer', required: true, default: 1 } } };
    expect(
      message(() => check({ opts: {} }, undefined, { opts: { ...nested, required: true } }, {})),
    ).toBeUndefined();
    // Optional parameters had 'null' added to their type, so StackStorm skips nested defaults.
    expect(message(() => check({ opts: {} }, undefined, { opts: nested }, {}))).toBe(
      "'a' is a required property",
    );
  });

  it('refuses provided immutable parameters, even with the default value', () => {
    expect(message(() => check({ cmd: 'ls', hosts: 'h', sudo: false }, ['cmd', 'hosts', 'sudo']))).toBe(
      "Override of immutable parameter(s) ['sudo'] is unsupported.",
    );
  });

  it('checks runner-level immutability and lists names in provided order', () => {
    const runnerParams: ParameterSpecs = {
      ...REMOTE_SHELL_CMD,
      timeout: { type: 'integer', immutable: true },
    };
    expect(
      message(() =>
        check(
          { timeout: 5, cmd: 'ls', hosts: 'h', sudo: true },
          ['timeout', 'cmd', 'hosts', 'sudo'],
          CORE_REMOTE,
          runnerParams,
        ),
      ),
    ).toBe("Override of immutable parameter(s) ['timeout', 'sudo'] is unsupported.");
  });

  it('uses the live names when provided names are not given', () => {
    expect(message(() => check({ cmd: 'ls', hosts: 'h', sudo: false }))).toBe(
      "Override of immutable parameter(s) ['sudo'] is unsupported.",
    );
    expect(message(() => check({ cmd: 'ls', hosts: 'h', sudo: false }, ['cmd', 'hosts']))).toBeUndefined();
  });

  it('reports schema errors before immutable overrides', () => {
    expect(message(() => check({ cmd: 'ls', sudo: true }, ['cmd', 'sudo']))).toBe(
      "'hosts' is a required property",
    );
  });

  it('does not mutate the live parameters', () => {
    const live: JsonObject = { cmd: 'ls', hosts: 'h' };
    check(live);
    expect(live).toEqual({ cmd: 'ls', hosts: 'h' });
  });
});
