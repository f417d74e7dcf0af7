/**
 * Python semantics of expression values (JSON-shaped: null, booleans, numbers, strings, arrays,
 * plain objects): truthiness, equality, ordering. yaql and Jinja run on Python, so `1 = true` and
 * `[] = []` hold and an empty list is false.
 */
import { PyError } from './errors.ts';

export type Dict = Record<string, unknown>;

export function isDict(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof String);
}

export function isList(value: unknown): value is unknown[] {
  return Array.isArray(value);
}

export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (isDict(value)) return Object.keys(value).length > 0;
  return true;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

export function pyEquals(a: unknown, b: unknown): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  if (typeof a === 'string' && typeof b === 'string') return a === b;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => pyEquals(item, b[i]));
  }
  if (isDict(a) && isDict(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.hasOwn(b, k) && pyEquals(a[k], b[k]));
  }
  return false;
}

/** Python type name for error messages. */
export function pyType(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

/** `a < b` → negative, equal → 0, `a > b` → positive, with Python's ordering rules. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na < nb ? -1 : na > nb ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      if (!pyEquals(a[i], b[i])) return pyCompare(a[i], b[i], op);
    }
    return a.length - b.length;
  }
  throw new PyError(
    'TypeError',
    `'${op}' not supported between instances of '${pyType(a)}' and '${pyType(b)}'`,
  );
}

/** Python's `hash`-free `in`: membership in a list, key of a dict, substring of a string. */
export function pyContains(container: unknown, item: unknown): boolean {
  if (Array.isArray(container)) return container.some((x) => pyEquals(x, item));
  if (isDict(container)) return typeof item === 'string' && Object.hasOwn(container, item);
  if (typeof container === 'string' && typeof item === 'string') return container.includes(item);
  throw new PyError('TypeError', `argument of type '${pyType(container)}' is not iterable`);
}
