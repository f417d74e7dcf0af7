/** yaql's query and collection functions (`queries.py`, `collections.py`) over lists and dicts. */
import { PyError, PyKeyError } from '../../errors.ts';
import type { Lazy } from '../runtime.ts';
import { isDict, isList, pyCompare, pyEquals, truthy } from '../../python.ts';
import { define, isInt, isString, iterable, NO_MATCH, type Library } from './define.ts';
import { operator } from '../operators.ts';
import { setKey } from '../../types.ts';

const lambda = (v: unknown): Lazy => v as Lazy;

/** yaql's `aggregate`: Python's `functools.reduce`, with the seed when one is given. */
function reduce(
  items: readonly unknown[],
  rest: readonly unknown[],
  fn: (acc: unknown, x: unknown) => unknown,
): unknown {
  if (rest.length > 1) return items.reduce(fn, rest[1]);
  if (items.length === 0) throw new PyError('TypeError', 'reduce() of empty iterable with no initial value');
  return items.slice(1).reduce(fn, items[0]);
}

function distinct(items: readonly unknown[], key: (item: unknown) => unknown): unknown[] {
  const seen: unknown[] = [];
  const out: unknown[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.some((s) => pyEquals(s, k))) continue;
    seen.push(k);
    out.push(item);
  }
  return out;
}

function sortBy(items: readonly unknown[], key: Lazy, descending: boolean): unknown[] {
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => (descending ? -1 : 1) * pyCompare(a.key, b.key));
  return keyed.map((k) => k.item);
}

export function registerCollections(lib: Library): void {
  const coll = (
    fn: (items: unknown[], args: unknown[]) => unknown,
    min = 1,
    max = 1,
    lazy: number[] = [],
    names: string[] = [],
  ) => ({
    min,
    max,
    lazy,
    names,
    fn: (args: unknown[]) => {
      const items = iterable(args[0]);
      return items ? fn(items, args) : NO_MATCH;
    },
  });
  define(
    lib,
    'select',
    coll((items, [, f]) => items.map((x) => lambda(f)(x)), 2, 2, [1]),
  );
  for (const name of ['where', 'filter']) {
    define(
      lib,
      name,
      coll((items, [, f]) => items.filter((x) => truthy(lambda(f)(x))), 2, 2, [1]),
    );
  }
  define(
    lib,
    'selectMany',
    coll(
      (items, [, f]) =>
        items.flatMap((x) => {
          const r = lambda(f)(x);
          return iterable(r) ?? [r];
        }),
      2,
      2,
      [1],
    ),
  );
  define(
    lib,
    'skip',
    coll((items, [, n]) => (isInt(n) ? items.slice(Math.max(0, n)) : NO_MATCH), 2, 2),
  );
  for (const name of ['limit', 'take']) {
    define(
      lib,
      name,
      coll((items, [, n]) => (isInt(n) ? items.slice(0, Math.max(0, n)) : NO_MATCH), 2, 2),
    );
  }
  define(
    lib,
    'append',
    coll((items, [, ...rest]) => [...items, ...rest], 1, 99),
  );
  define(
    lib,
    'distinct',
    coll((items, [, f]) => distinct(items, f === undefined ? (x) => x : (x) => lambda(f)(x)), 1, 2, [1]),
  );
  define(
    lib,
    'enumerate',
    coll(
      (items, [, start]) =>
        start === undefined || isInt(start) ? items.map((x, i) => [i + (start ?? 0), x]) : NO_MATCH,
      1,
      2,
    ),
  );
  define(
    lib,
    'any',
    coll((items, [, f]) => items.some((x) => truthy(f === undefined ? x : lambda(f)(x))), 1, 2, [1]),
  );
  define(
    lib,
    'all',
    coll((items, [, f]) => items.every((x) => truthy(f === undefined ? x : lambda(f)(x))), 1, 2, [1]),
  );
  define(
    lib,
    'count',
    coll((items) => items.length),
  );
  define(
    lib,
    'sum',
    coll(
      (items, rest) => reduce(items, rest, (acc, x) => operator('#operator_+', [acc, x])),
      1,
      2,
      [],
      ['collection', 'initial'],
    ),
  );
  for (const [name, sign] of [
    ['max', 1],
    ['min', -1],
  ] as const) {
    define(
      lib,
      name,
      coll(
        (items, rest) => reduce(items, rest, (best, x) => (sign * pyCompare(x, best) > 0 ? x : best)),
        1,
        2,
      ),
      {
        min: 2,
        max: 2,
        fn: ([a, b]) => (sign * pyCompare(b, a) > 0 ? b : a),
      },
    );
  }
  define(
    lib,
    'first',
    coll(
      (items, rest) => {
        if (items.length > 0) return items[0];
        if (rest.length > 1) return rest[1];
        throw new PyError('StopIteration', '');
      },
      1,
      2,
      [],
      ['collection', 'default'],
    ),
  );
  define(
    lib,
    'last',
    coll(
      (items, rest) => {
        if (items.length > 0) return items[items.length - 1];
        if (rest.length > 1) return rest[1];
        throw new PyError('StopIteration', '');
      },
      1,
      2,
      [],
      ['collection', 'default'],
    ),
  );
  define(
    lib,
    'single',
    coll((items) => {
      if (items.length !== 1) throw new PyError('StopIteration', '');
      return items[0];
    }),
  );
  define(
    lib,
    'orderBy',
    coll((items, [, f]) => sortBy(items, lambda(f), false), 2, 2, [1]),
  );
  define(
    lib,
    'orderByDescending',
    coll((items, [, f]) => sortBy(items, lambda(f), true), 2, 2, [1]),
  );
  define(
    lib,
    'reverse',
    coll((items) => [...items].reverse()),
  );
  define(
    lib,
    'flatten',
    coll((items) => items.flatMap((x) => (isList(x) ? x : [x]))),
  );
  define(
    lib,
    'contains',
    coll((items, [, v]) => items.some((x) => pyEquals(x, v)), 2, 2),
  );
  define(
    lib,
    'indexWhere',
    coll((items, [, f]) => items.findIndex((x) => truthy(lambda(f)(x))), 2, 2, [1]),
  );
  define(
    lib,
    'aggregate',
    coll(
      (items, [, f, seed]) => {
        const fn = lambda(f);
        if (seed === undefined && items.length === 0)
          throw new PyError('TypeError', 'reduce() of empty iterable with no initial value');
        const [start, rest] = seed === undefined ? [items[0], items.slice(1)] : [seed, items];
        return rest.reduce((acc, x) => fn(acc, x), start);
      },
      2,
      3,
      [1],
    ),
  );
  define(lib, 'isList', { min: 1, max: 1, fn: ([v]) => isList(v) });
  define(lib, 'isDict', { min: 1, max: 1, fn: ([v]) => isDict(v) });
  define(lib, 'list', { min: 0, max: 99, fn: (args) => args });
  define(
    lib,
    'toList',
    coll((items) => [...items]),
  );
  define(lib, 'len', {
    min: 1,
    max: 1,
    fn: ([v]) =>
      isString(v) ? [...v].length : isList(v) ? v.length : isDict(v) ? Object.keys(v).length : NO_MATCH,
  });
  registerDicts(lib);
}

function registerDicts(lib: Library): void {
  const dict = (fn: (d: Record<string, unknown>, args: unknown[]) => unknown, min = 1, max = 1) => ({
    min,
    max,
    fn: (args: unknown[]) => (isDict(args[0]) ? fn(args[0], args) : NO_MATCH),
  });
  define(
    lib,
    'keys',
    dict((d) => Object.keys(d)),
  );
  define(
    lib,
    'values',
    dict((d) => Object.values(d)),
  );
  define(
    lib,
    'items',
    dict((d) => Object.entries(d)),
  );
  define(
    lib,
    'containsKey',
    dict((d, [, k]) => isString(k) && Object.hasOwn(d, k), 2, 2),
  );
  define(
    lib,
    'containsValue',
    dict((d, [, v]) => Object.values(d).some((x) => pyEquals(x, v)), 2, 2),
  );
  define(
    lib,
    'get',
    dict((d, [, k, fallback]) => (isString(k) && Object.hasOwn(d, k) ? d[k] : (fallback ?? null)), 2, 3),
  );
  define(
    lib,
    'set',
    dict(
      (d, [, k, v]) => {
        if (isDict(k)) return { ...d, ...k };
        if (!isString(k)) return NO_MATCH;
        return { ...d, [k]: v };
      },
      2,
      3,
    ),
  );
  define(
    lib,
    'delete',
    dict((d, [, ...ks]) => Object.fromEntries(Object.entries(d).filter(([k]) => !ks.includes(k))), 1, 99),
  );
  define(lib, 'dict', {
    min: 0,
    max: 1,
    fn: (args, call) => {
      if (args.length === 0) {
        const out: Record<string, unknown> = {};
        for (const [k, v] of call.named) setKey(out, k, v());
        return out;
      }
      const pairs = args[0];
      if (!isList(pairs)) return NO_MATCH;
      const out: Record<string, unknown> = {};
      for (const pair of pairs) {
        if (!isList(pair) || pair.length !== 2)
          throw new PyError('ValueError', 'dictionary update sequence element has wrong length');
        setKey(out, isString(pair[0]) ? pair[0] : JSON.stringify(pair[0]), pair[1]);
      }
      return out;
    },
    names: [],
  });
  // `dict(a => 1)`: named arguments only, which `define` would otherwise refuse.
  const plainDict = lib.get('dict');
  lib.set('dict', (call) => {
    if (call.positional.length === 0 && call.named.size > 0) {
      return Object.fromEntries([...call.named].map(([k, v]) => [k, v()]));
    }
    if (!plainDict) throw new PyKeyError('dict');
    return plainDict(call);
  });
}
