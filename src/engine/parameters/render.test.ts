import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../domain/errors.ts';
import type { JsonObject, ParameterSpecs } from '../../domain/types.ts';
import { ParameterRenderError } from './errors.ts';
import { renderFinalParameters, renderLiveParameters, type TemplateLookups } from './render.ts';

const LOCAL_SHELL_CMD: ParameterSpecs = {
  cmd: { type: 'string', description: 'Arbitrary Linux command to be executed on the local host.' },
  cwd: { type: 'string' },
  env: { type: 'object' },
  kwarg_op: { type: 'string', default: '--' },
  sudo: { type: 'boolean', default: false },
  sudo_password: { type: 'string', default: null, secret: true, required: false },
  timeout: { type: 'integer', default: 60 },
};

const CORE_ECHO: ParameterSpecs = {
  message: { type: 'string', required: true },
  cmd: { default: 'echo "{{message}}"', immutable: true, required: true },
  kwarg_op: { immutable: true },
  sudo: { default: false, immutable: true },
  sudo_password: { immutable: true },
};

const runner = { runner_parameters: LOCAL_SHELL_CMD };
const echo = { action: { parameters: CORE_ECHO }, runner };

function live(
  parameters: ParameterSpecs,
  provided: JsonObject,
  context: JsonObject = { user: 'stanley' },
  lookups?: TemplateLookups,
): JsonObject {
  return renderLiveParameters({
    action: { parameters },
    runner: { runner_parameters: {} },
    provided,
    context,
    ...(lookups ? { lookups } : {}),
  });
}

function renderError(fn: () => unknown): ParameterRenderError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ParameterRenderError) return err;
    throw err;
  }
  throw new Error('expected a ParameterRenderError');
}

describe('renderLiveParameters', () => {
  it('keeps provided values, cast, and leaves literal defaults out', () => {
    const specs: ParameterSpecs = {
      count: { type: 'integer' },
      ratio: { type: 'number' },
      flag: { type: 'boolean', default: true },
      name: { type: 'string', default: 'x' },
    };
    expect(live(specs, { count: '5', ratio: '0.5' })).toEqual({ count: 5, ratio: 0.5 });
  });

  it('keeps provided keys in request order and passes unknown ones through', () => {
    expect(Object.keys(live({ a: {}, b: {} }, { b: 1, zz: 'x', a: 2 }))).toEqual(['b', 'zz', 'a']);
  });

  it('renders provided templates against the other parameters and the context', () => {
    const specs: ParameterSpecs = { who: { type: 'string' }, msg: { type: 'string' } };
    expect(live(specs, { who: '{{ action_context.user }}', msg: 'hi {{ who }}' })).toEqual({
      who: 'stanley',
      msg: 'hi stanley',
    });
  });

  it('adds rendered templated defaults that are not immutable', () => {
    const specs: ParameterSpecs = {
      name: { type: 'string' },
      greeting: { type: 'string', default: 'Hello {{ name }}' },
      fixed: { type: 'string', default: 'Hi {{ name }}', immutable: true },
      port: { type: 'integer', default: '{{ base + 1 }}' },
      base: { type: 'integer', default: 8000 },
    };
    expect(live(specs, { name: 'bob' })).toEqual({ name: 'bob', greeting: 'Hello bob', port: 8001 });
  });

  it('leaves templated list/dict defaults to run time', () => {
    const specs: ParameterSpecs = { n: { type: 'string' }, hosts: { type: 'array', default: ['{{ n }}'] } };
    expect(live(specs, { n: 'h' })).toEqual({ n: 'h' });
    const final = renderFinalParameters({
      action: { parameters: specs },
      runner: { runner_parameters: {} },
      live: { n: 'h' },
      context: {},
    });
    expect(final.actionParameters).toEqual({ n: 'h', hosts: ['h'] });
  });

  it('does not render the immutable templated default of core.echo at creation', () => {
    expect(renderLiveParameters({ ...echo, provided: { message: 'hi' }, context: {} })).toEqual({
      message: 'hi',
    });
  });

  it('gives provided nulls the default', () => {
    expect(live({ p: { type: 'string', default: 'dflt' } }, { p: null })).toEqual({ p: 'dflt' });
    expect(live({ p: { type: 'string' } }, { p: null })).toEqual({ p: null });
  });

  it('replaces provided immutable values with the default (validation refuses them later)', () => {
    expect(live({ c: { type: 'string', default: 'd', immutable: true } }, { c: 'mine' })).toEqual({ c: 'd' });
  });

  it('resolves chains of templates in dependency order', () => {
    const specs: ParameterSpecs = {
      c: { type: 'string', default: '{{ b }}!' },
      b: { type: 'string', default: '{{ a }}?' },
      a: { type: 'string' },
    };
    expect(live(specs, { a: 'x' })).toEqual({ a: 'x', c: 'x?!', b: 'x?' });
  });

  it('shows declared parameters without value as None, like Jinja', () => {
    expect(live({ a: { type: 'string' }, b: { type: 'string' } }, { b: '[{{ a }}]' })).toEqual({
      b: '[None]',
    });
  });

  it('uses st2kv lookups, defaulting to empty scopes', () => {
    const specs: ParameterSpecs = { n: { type: 'integer' }, s: { type: 'string' } };
    expect(live(specs, { n: '{{ st2kv.system.test_int | int }}', s: '[{{ st2kv.user.k }}]' })).toEqual({
      n: 0,
      s: '[]',
    });
    const lookups: TemplateLookups = { st2kv: { system: { test_int: '42' }, user: { k: 'v' } } };
    expect(
      live(specs, { n: '{{ st2kv.system.test_int | int }}', s: '[{{ st2kv.user.k }}]' }, {}, lookups),
    ).toEqual({
      n: 42,
      s: '[v]',
    });
  });

  it('exposes config_context', () => {
    const lookups: TemplateLookups = { configContext: { api: { url: 'http://x' } } };
    expect(
      live({ url: { type: 'string' } }, { url: '{{ config_context.api.url }}/v1' }, {}, lookups),
    ).toEqual({
      url: 'http://x/v1',
    });
    expect(live({ url: { type: 'string' } }, { url: '[{{ config_context.api }}]' })).toEqual({ url: '[]' });
  });

  it('renders each template leaf of arrays and objects; {{ var }} leaves keep their type', () => {
    const specs: ParameterSpecs = {
      hosts: { type: 'array' },
      n: { type: 'integer' },
      obj: { type: 'object' },
      list: { type: 'array' },
    };
    const provided: JsonObject = {
      hosts: ['{{ n }}', 'h-{{ n }}', 'plain', { k: '{{list}}' }],
      n: 3,
      obj: { '{{ n }}': '{{ list }}', keep: 1 },
      list: [1, 'a'],
    };
    expect(live(specs, provided)).toEqual({
      hosts: [3, 'h-3', 'plain', { k: [1, 'a'] }],
      n: 3,
      obj: { '3': [1, 'a'], keep: 1 },
      list: [1, 'a'],
    });
  });

  it('casts rendered strings to the declared type', () => {
    const specs: ParameterSpecs = {
      src: { type: 'object' },
      copy: { type: 'object' },
      on: { type: 'boolean' },
      flag: { type: 'boolean' },
    };
    expect(
      live(specs, { src: { a: [true, null] }, copy: '{{ src }}', flag: true, on: '{{ flag }}' }),
    ).toEqual({
      src: { a: [true, null] },
      copy: { a: [true, null] },
      flag: true,
      on: true,
    });
  });

  it('does not treat loop variables as dependencies', () => {
    const specs: ParameterSpecs = { items: { type: 'array' }, out: { type: 'string' } };
    expect(live(specs, { items: ['a', 'b'], out: '{% for i in items %}{{ i }}{% endfor %}' })).toEqual({
      items: ['a', 'b'],
      out: 'ab',
    });
  });

  it('reports unknown variables', () => {
    const err = renderError(() => live({ a: { type: 'string' } }, { a: '{{ ABSENT }}' }));
    expect(err.message).toBe('Dependency unsatisfied in variable "ABSENT"');
    expect(err).toBeInstanceOf(ValidationError);
  });

  it('reports unknown variables in defaults too', () => {
    const err = renderError(() => live({ a: { type: 'string', default: '{{ nope.x }}' } }, {}));
    expect(err.message).toBe('Dependency unsatisfied in variable "nope"');
  });

  it('reports cycles with every variable involved, sorted', () => {
    const cyclic = renderError(() =>
      live({}, { morecyclic: '{{ cyclic }}', cyclic: '{{ morecyclic }}', ok: 'x' }),
    );
    expect(cyclic.message).toBe(
      'Cyclic dependency found in the following variables: cyclic, morecyclic. Likely the variable is referencing itself',
    );
    const self = renderError(() => live({}, { a: 'x{{ a }}' }));
    expect(self.message).toBe(
      'Cyclic dependency found in the following variables: a. Likely the variable is referencing itself',
    );
  });

  it('reports render and syntax failures per parameter', () => {
    expect(renderError(() => live({}, { p: '{{ nofunc() }}' })).message).toBe(
      'Dependency unsatisfied in variable "nofunc"',
    );
    expect(renderError(() => live({}, { f: 'x', p: '{{ f() }}' })).message).toBe(
      'Failed to render parameter "p": Unable to call `f`, which is not a function',
    );
    expect(renderError(() => live({}, { p: '{{ "x" | nofilter }}' })).message).toBe(
      'Failed to render parameter "p": filter not found: nofilter',
    );
    expect(renderError(() => live({}, { p: '{{ a.b( }}' })).message).toBe(
      'Failed to render parameter "p": unexpected token: }}',
    );
  });

  it('raises plain ValidationError for casts', () => {
    let caught: unknown;
    try {
      live({ s: { type: 'string' } }, { s: 1000 });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect(caught).not.toBeInstanceOf(ParameterRenderError);
    expect((caught as Error).message).toBe('Value "1000" must either be a string or None. Got "int".');
  });

  it('merges runner defaults: action default first, runner default when the action has none', () => {
    const out = renderLiveParameters({
      action: { parameters: { url: { default: null }, path: {} } },
      runner: {
        runner_parameters: {
          url: { type: 'string', default: 'http://{{ host }}' },
          host: { type: 'string' },
        },
      },
      provided: { host: 'h' },
      context: {},
    });
    expect(out).toEqual({ host: 'h', url: 'http://h' });
  });

  it('does not mutate its inputs', () => {
    const provided: JsonObject = { hosts: ['{{ n }}'], n: 1 };
    live({ hosts: { type: 'array' } }, provided);
    expect(provided).toEqual({ hosts: ['{{ n }}'], n: 1 });
  });
});

describe('renderFinalParameters', () => {
  it('applies every default, renders immutable templates and splits runner/action parameters', () => {
    const out = renderFinalParameters({ ...echo, live: { message: 'hi' }, context: {} });
    expect(out).toEqual({
      runnerParameters: {
        cmd: 'echo "hi"',
        cwd: null,
        env: null,
        kwarg_op: '--',
        sudo: false,
        sudo_password: null,
        timeout: 60,
      },
      actionParameters: { message: 'hi' },
    });
  });

  it('treats live values as literals', () => {
    const out = renderFinalParameters({ ...echo, live: { message: '{{ not_rendered }}' }, context: {} });
    expect(out.runnerParameters['cmd']).toBe('echo "{{ not_rendered }}"');
    expect(out.actionParameters['message']).toBe('{{ not_rendered }}');
  });

  it('ignores live values of immutable parameters', () => {
    const out = renderFinalParameters({
      ...echo,
      live: { message: 'hi', cmd: 'rm -rf /', sudo: true },
      context: {},
    });
    expect(out.runnerParameters['cmd']).toBe('echo "hi"');
    expect(out.runnerParameters['sudo']).toBe(false);
  });

  it('casts defaults and drops undeclared names', () => {
    const out = renderFinalParameters({
      action: { parameters: { count: { type: 'integer', default: '7' }, name: { type: 'string' } } },
      runner: { runner_parameters: { timeout: { type: 'integer', default: 60 } } },
      live: { name: 'n', stray: 1, timeout: '5' },
      context: {},
    });
    expect(out).toEqual({ runnerParameters: { timeout: 5 }, actionParameters: { count: 7, name: 'n' } });
  });

  it('renders templated defaults from the context and the datastore', () => {
    const out = renderFinalParameters({
      action: {
        parameters: {
          who: { type: 'string', default: '{{ action_context.user }}' },
          key: { type: 'string', default: '{{ st2kv.system.k }}' },
        },
      },
      runner: { runner_parameters: {} },
      live: {},
      context: { user: 'alice' },
      lookups: { st2kv: { system: { k: 'v' } } },
    });
    expect(out.actionParameters).toEqual({ who: 'alice', key: 'v' });
  });

  it('reports render errors as ParameterRenderError', () => {
    const err = renderError(() =>
      renderFinalParameters({
        action: { parameters: { a: { default: '{{ missing }}' } } },
        runner: { runner_parameters: {} },
        live: {},
        context: {},
      }),
    );
    expect(err.message).toBe('Dependency unsatisfied in variable "missing"');
  });
});
