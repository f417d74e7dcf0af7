/**
 * The nunjucks environment standing in for Orquesta's Jinja `SandboxedEnvironment`: Python `str()`
 * printing, guarded member lookup with Python's common methods, and st2's functions as filters.
 */
import { PyError } from '../errors.ts';
import { SHARED_FUNCTIONS } from '../functions/st2.ts';
import { pyJsonDumps } from '../functions/json.ts';
import { isDict, pyCompare, pyEquals, truthy } from '../python.ts';
import { pyStr } from '../pystr.ts';
import { isKeywords } from '../types.ts';
import {
  BINOP_FILTER,
  COMPARE_FILTER,
  IN_FILTER,
  ITER_FILTER,
  LOOKUP_FILTER,
  NEG_FILTER,
  STR_FILTER,
  TRUTHY_FILTER,
} from './adapt.ts';
import { binaryOperator, compareChain, contains, negate, pyTruthy } from './operators.ts';
import { lookup, toList } from './lookup.ts';
import { createEnvironment } from './nunjucks.ts';

/** The filter a single `{{ … }}` is wrapped in to hand its native value back. */
export const CAPTURE_FILTER = '__squall_capture';

let sink: ((value: unknown) => void) | undefined;
let thrown: unknown;

/**
 * nunjucks re-wraps an error thrown by a function or filter into a `Template render error` that
 * keeps only its text; every function we hand nunjucks records what it threw so the evaluator can
 * report the original (with its Python class).
 */
export function recording<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args) => {
    try {
      return fn(...args);
    } catch (err) {
      thrown = err;
      throw err;
    }
  };
}

/** The error the last failing function raised, cleared by reading it. */
export function takeThrown(): unknown {
  const err = thrown;
  thrown = undefined;
  return err;
}

/** Runs `render` with `{{ … | __squall_capture }}` delivering values to `receive`. */
export function withSink<T>(receive: (value: unknown) => void, render: () => T): T {
  const previous = sink;
  sink = receive;
  try {
    return render();
  } finally {
    sink = previous;
  }
}

function keyword(arg: unknown, name: string): unknown {
  return isKeywords(arg) ? arg[name] : arg;
}

function jinjaStr(value: unknown): string {
  if (value === undefined) throw new PyError('UndefinedError', 'an undefined value cannot be printed');
  return pyStr(value);
}

function build(): ReturnType<typeof createEnvironment> {
  const env = createEnvironment();
  env.addFilter(STR_FILTER, recording(jinjaStr));
  env.addFilter(LOOKUP_FILTER, recording(lookup));
  env.addFilter(TRUTHY_FILTER, recording(pyTruthy));
  env.addFilter(BINOP_FILTER, recording(binaryOperator));
  env.addFilter(NEG_FILTER, recording(negate));
  env.addFilter(COMPARE_FILTER, recording(compareChain));
  env.addFilter(IN_FILTER, recording(contains));
  env.addFilter(
    ITER_FILTER,
    recording((value: unknown) => {
      if (value === undefined) throw new PyError('UndefinedError', 'an undefined value cannot be iterated');
      return Array.isArray(value) ? value : toList(value);
    }),
  );
  env.addFilter(CAPTURE_FILTER, (value: unknown) => {
    sink?.(value);
    return '';
  });
  env.addFilter('string', (value: unknown) => pyStr(value));
  env.addFilter('default', (value: unknown, fallback: unknown = '', boolean: unknown = false) => {
    const useFalsy = keyword(boolean, 'boolean') === true;
    return value === undefined || (useFalsy && !value) ? keyword(fallback, 'default_value') : value;
  });
  env.addFilter('d', (value: unknown, fallback: unknown = '') => (value === undefined ? fallback : value));
  env.addFilter(
    'map',
    recording((items: unknown, ...args: unknown[]) => {
      const list = toList(items);
      const last = args[args.length - 1];
      if (isKeywords(last)) {
        const attribute = String(last.attribute);
        return list.map((item) => {
          const value = lookup(item, attribute);
          return value === undefined ? last.default : value;
        });
      }
      const [name, ...rest] = args;
      const filter = env.getFilter(String(name)) as (...a: unknown[]) => unknown;
      return list.map((item) => filter(item, ...rest));
    }),
  );
  env.addFilter(
    'unique',
    recording((items: unknown) => {
      const out: unknown[] = [];
      for (const item of toList(items)) if (!out.some((x) => pyEquals(x, item))) out.push(item);
      return out;
    }),
  );
  env.addFilter(
    'tojson',
    recording((value: unknown) => pyJsonDumps(value, { sortKeys: true })),
  );
  env.addFilter(
    'items',
    recording((value: unknown) => (isDict(value) ? Object.entries(value) : [])),
  );
  env.addFilter(
    'bool',
    recording((value: unknown) => truthy(value)),
  );
  env.addFilter(
    'int',
    recording((value: unknown, fallback: unknown = 0) => {
      const n =
        typeof value === 'string' ? Number(value.trim()) : typeof value === 'boolean' ? Number(value) : value;
      return typeof n === 'number' &&
        Number.isFinite(n) &&
        !(typeof value === 'string' && value.trim() === '')
        ? Math.trunc(n)
        : keyword(fallback, 'default');
    }),
  );
  env.addFilter(
    'float',
    recording((value: unknown, fallback: unknown = 0) => {
      const n =
        typeof value === 'string' ? Number(value.trim()) : typeof value === 'boolean' ? Number(value) : value;
      return typeof n === 'number' && !(typeof value === 'string' && value.trim() === '') && !Number.isNaN(n)
        ? n
        : keyword(fallback, 'default');
    }),
  );
  for (const [name, sign] of [
    ['min', -1],
    ['max', 1],
  ] as const) {
    env.addFilter(
      name,
      recording((items: unknown) => {
        const list = toList(items);
        if (list.length === 0) return undefined;
        return list.reduce((best, x) => (sign * pyCompare(x, best) > 0 ? x : best));
      }),
    );
  }
  // Jinja's `dict(a=1)` global.
  env.addGlobal(
    'dict',
    recording((...args: unknown[]) => {
      const last = args[args.length - 1];
      const base = isDict(args[0]) && !isKeywords(args[0]) ? args[0] : {};
      const named = isKeywords(last)
        ? Object.fromEntries(Object.entries(last).filter(([k]) => k !== '__keywords'))
        : {};
      return { ...base, ...named };
    }),
  );
  // `addTest` exists at runtime but is missing from nunjucks' typings.
  const tests = env as unknown as { addTest(name: string, fn: (value: unknown) => boolean): void };
  tests.addTest('defined', (value) => value !== undefined);
  tests.addTest('undefined', (value) => value === undefined);
  tests.addTest('none', (value) => value === null);
  for (const [name, fn] of Object.entries(SHARED_FUNCTIONS)) {
    env.addFilter(
      name,
      recording((...args: unknown[]) => fn(...args)),
    );
    env.addGlobal(
      name,
      recording((...args: unknown[]) => fn(...args)),
    );
  }
  return env;
}

export const ENVIRONMENT = build();

/** Whether the environment has a filter of that name (Jinja's built-ins nunjucks lacks are absent). */
export function hasFilter(name: string): boolean {
  try {
    ENVIRONMENT.getFilter(name);
    return true;
  } catch {
    return false;
  }
}
