/** Helpers to declare YAQL standard functions with their arity, receiver and type checks. */
import { noMatch, type Call, type YaqlFunction } from '../runtime.ts';
import { isDict, isList } from '../../python.ts';

export type Library = Map<string, YaqlFunction>;

export interface Overload {
  readonly min: number;
  readonly max: number;
  /** Named arguments accepted (mapped onto positions by `names`). */
  readonly names?: readonly string[];
  /** `null` when the arguments do not fit this overload (then the next is tried). */
  readonly fn: (args: unknown[], call: Call) => unknown;
  /** Arguments that are lambdas (not evaluated up front), by position. */
  readonly lazy?: readonly number[];
}

export const NO_MATCH = Symbol('no-match');

/**
 * A function with overloads tried in order; arguments are evaluated once (lambdas excepted)
 * and named arguments are placed at the position of their name in `names`.
 */
export function define(lib: Library, name: string, ...overloads: Overload[]): void {
  lib.set(name, (call) => {
    for (const overload of overloads) {
      const args = collect(call, overload);
      if (args === undefined) continue;
      const result = overload.fn(args, call);
      if (result !== NO_MATCH) return result;
    }
    throw noMatch(call, call.method ? call.positional[0]?.() : undefined);
  });
}

function collect(call: Call, overload: Overload): unknown[] | undefined {
  const args: unknown[] = [];
  call.positional.forEach((arg, i) => args.push(overload.lazy?.includes(i) ? arg : arg()));
  for (const [key, value] of call.named) {
    const at = overload.names?.indexOf(key) ?? -1;
    if (at < 0 || at < call.positional.length) return undefined;
    while (args.length < at) args.push(undefined);
    args[at] = overload.lazy?.includes(at) ? value : value();
  }
  if (args.length < overload.min || args.length > overload.max) return undefined;
  return args;
}

/** yaql's `Iterable()`: lists and dicts (iterating their keys), not strings. */
export function iterable(value: unknown): unknown[] | undefined {
  if (isList(value)) return value;
  if (isDict(value)) return Object.keys(value);
  return undefined;
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
export const isNumber = (v: unknown): v is number => typeof v === 'number';
