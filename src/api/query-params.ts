/**
 * StackStorm's router semantics for query parameters (spec §1.4): only declared parameters reach a
 * handler, the last occurrence of a repeated key wins, declared defaults fill gaps, and booleans,
 * integers, numbers and comma lists are coerced with StackStorm's exact error messages.
 */
import { ValidationError } from '../domain/errors.ts';

export type ParamType = 'string' | 'integer' | 'number' | 'boolean' | 'array';

export interface ParamDecl {
  type: ParamType;
  default?: string | number | boolean;
}

export type ParamDecls = Record<string, ParamDecl>;

type Value<D extends ParamDecl> = D['type'] extends 'integer' | 'number'
  ? number
  : D['type'] extends 'boolean'
    ? boolean
    : D['type'] extends 'array'
      ? string[]
      : string;

export type ParsedParams<T extends ParamDecls> = {
  [K in keyof T]: T[K] extends { default: string | number | boolean } ? Value<T[K]> : Value<T[K]> | undefined;
};

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);
const INTEGER = /^-?[0-9]+$/;
const FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function coerce(name: string, decl: ParamDecl, raw: string): string | number | boolean | string[] {
  switch (decl.type) {
    case 'boolean': {
      const lower = raw.toLowerCase();
      if (TRUE.has(lower)) return true;
      if (FALSE.has(lower)) return false;
      throw new ValidationError(`Parameter "${name}" is not of type boolean`);
    }
    case 'integer': {
      if (!INTEGER.test(raw)) throw new ValidationError(`Parameter "${name}" is not of type integer`);
      return Number(raw);
    }
    case 'number': {
      if (!FLOAT.test(raw)) throw new ValidationError(`Parameter "${name}" is not of type float`);
      return Number(raw);
    }
    case 'array':
      return raw.split(',');
    case 'string':
      return raw;
  }
}

export function parseParams<T extends ParamDecls>(
  decls: T,
  query: Readonly<Record<string, string>>,
): ParsedParams<T> {
  const out: Record<string, unknown> = {};
  for (const [name, decl] of Object.entries(decls)) {
    const raw = query[name];
    if (raw !== undefined) out[name] = coerce(name, decl, raw);
    else if (decl.default !== undefined) out[name] = decl.default;
  }
  return out as ParsedParams<T>;
}

/** Parses a raw query string keeping the last occurrence of each key (webob MultiDict semantics). */
export function parseQueryString(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(text)) out[key] = value;
  return out;
}
