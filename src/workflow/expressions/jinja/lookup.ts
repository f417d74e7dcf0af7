/**
 * Jinja's sandboxed attribute and item access over JSON values: a dict's key, a list's index, and
 * the Python methods templates call on them (`d.items()`, `s.upper()`, `'{}'.format(x)` …).
 * Members that lead to JavaScript internals (`constructor` …) do not exist.
 */
import { BLOCKED_MEMBERS } from '../../../domain/nunjucks-internals.ts';
import { PyError } from '../errors.ts';
import { isDict, pyEquals, pyType } from '../python.ts';
import { pyStr } from '../pystr.ts';
import { pySplit } from '../yaql/library/strings.ts';
import { pyFormat } from './pyformat.ts';

type Method = (self: never, ...args: unknown[]) => unknown;

const DICT_METHODS: Readonly<Record<string, Method>> = {
  items: (d: Record<string, unknown>) => Object.entries(d),
  keys: (d: Record<string, unknown>) => Object.keys(d),
  values: (d: Record<string, unknown>) => Object.values(d),
  get: (d: Record<string, unknown>, key: unknown, fallback: unknown = null) =>
    typeof key === 'string' && Object.hasOwn(d, key) ? d[key] : fallback,
};

const STRING_METHODS: Readonly<Record<string, Method>> = {
  upper: (s: string) => s.toUpperCase(),
  lower: (s: string) => s.toLowerCase(),
  strip: (s: string) => s.trim(),
  lstrip: (s: string) => s.trimStart(),
  rstrip: (s: string) => s.trimEnd(),
  split: (s: string, sep?: unknown, max?: unknown) =>
    pySplit(s, typeof sep === 'string' ? sep : null, typeof max === 'number' ? max : -1),
  startswith: (s: string, p: unknown) => typeof p === 'string' && s.startsWith(p),
  endswith: (s: string, p: unknown) => typeof p === 'string' && s.endsWith(p),
  replace: (s: string, a: unknown, b: unknown) => s.split(String(a)).join(String(b)),
  format: (s: string, ...args: unknown[]) => pyFormat(s, ...args),
  join: (s: string, items: unknown) =>
    toList(items)
      .map((x) => {
        if (typeof x !== 'string')
          throw new PyError('TypeError', `sequence item: expected str instance, ${pyType(x)} found`);
        return x;
      })
      .join(s),
  title: (s: string) =>
    s.toLowerCase().replace(/(^|[^A-Za-z])([a-z])/g, (_m, p: string, c: string) => p + c.toUpperCase()),
  capitalize: (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(),
  find: (s: string, sub: unknown) => s.indexOf(String(sub)),
  count: (s: string, sub: unknown) => (String(sub) === '' ? s.length + 1 : s.split(String(sub)).length - 1),
  isdigit: (s: string) => /^\d+$/.test(s),
  splitlines: (s: string) =>
    s.split(/\r\n|\r|\n/).filter((line, i, all) => i < all.length - 1 || line !== ''),
};

const LIST_METHODS: Readonly<Record<string, Method>> = {
  index: (l: unknown[], x: unknown) => {
    const i = l.findIndex((y) => pyEquals(x, y));
    if (i < 0) throw new PyError('ValueError', `${pyStr(x)} is not in list`);
    return i;
  },
  count: (l: unknown[], x: unknown) => l.filter((y) => pyEquals(x, y)).length,
};

/** Jinja's sandboxed `getattr`/`getitem`: a dict's key, a list's index, Python's common methods. */
let missing: string | undefined;

/** Jinja's description of the last attribute that was not found (`'dict object' has no attribute 'x'`). */
export function takeMissing(): string | undefined {
  const text = missing;
  missing = undefined;
  return text;
}

function miss(target: unknown, name: string | number): undefined {
  const kind = Array.isArray(target) ? 'list' : typeof target === 'string' ? 'str' : pyType(target);
  missing =
    typeof name === 'number'
      ? `${kind} object has no element ${name}`
      : `'${kind} object' has no attribute '${name}'`;
  return undefined;
}

function bound(target: unknown, method: Method | undefined, name: string): unknown {
  return method ? (...args: unknown[]) => method(target as never, ...args) : miss(target, name);
}

export function lookup(target: unknown, key: unknown): unknown {
  if (target === undefined) {
    throw new PyError(
      'UndefinedError',
      takeMissing() ?? `'${String(key)}' cannot be read from an undefined value`,
    );
  }
  const name = typeof key === 'number' ? key : String(key);
  if (typeof name === 'string' && BLOCKED_MEMBERS.has(name)) return miss(target, name);
  if (Array.isArray(target)) {
    if (typeof name !== 'number') return bound(target, LIST_METHODS[name], name);
    const at = name < 0 ? target.length + name : name;
    return at >= 0 && at < target.length ? target[at] : miss(target, name);
  }
  if (typeof target === 'string') {
    if (typeof name !== 'number') return bound(target, STRING_METHODS[name], name);
    return [...target].at(name) ?? miss(target, name);
  }
  if (isDict(target)) {
    if (Object.hasOwn(target, String(name))) return target[String(name)];
    return typeof name === 'string' ? bound(target, DICT_METHODS[name], name) : miss(target, name);
  }
  return miss(target, name);
}

export function toList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isDict(value)) return Object.keys(value);
  if (typeof value === 'string') return [...value];
  throw new PyError('TypeError', `'${pyType(value)}' object is not iterable`);
}
