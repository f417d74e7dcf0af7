/**
 * Python's `str()` of an expression's value: Orquesta interpolates results into strings with
 * `str(result)`, so `True`, `None`, `['a', 1]` and `{'k': 'v'}` appear as Python prints them.
 */
import { pyRepr } from '../../domain/pyrepr.ts';
import type { Json } from '../../domain/types.ts';
import { setKey } from './types.ts';

export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  return pyReprValue(value);
}

export function pyReprValue(value: unknown): string {
  return pyRepr(toJson(value));
}

/** Values from expressions are JSON-shaped; `undefined` (a missing value) prints as `None`. */
export function toJson(value: unknown): Json {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  if (value instanceof String) return value.toString();
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, v] of Object.entries(value)) setKey(out, k, toJson(v));
    return out;
  }
  return String(value);
}
