/**
 * Jinja-compatible parameter templates, rendered with nunjucks. Autoescaping is off and undefined
 * variables render as an empty string (Jinja's default `Undefined`); printed values are formatted
 * like Python's `str()`, and the `int`/`float`/`string` filters follow Jinja's semantics (for
 * instance `'' | int` is `0`, which StackStorm content relies on for missing datastore keys).
 */
import {
  BLOCKED_MEMBERS,
  compileNunjucks,
  createEnvironment,
  parseNunjucks,
} from '../../domain/nunjucks-internals.ts';
import { pyNumberRepr, pyStringRepr } from '../../domain/pyrepr.ts';
import type { Json } from '../../domain/types.ts';
import { pyFloat, pyInt } from './cast.ts';
import { DatastoreLookup } from './datastore-lookup.ts';
import {
  adaptToJinja,
  datastoreReferences,
  LOOKUP_FILTER,
  referencedVariables,
  STR_FILTER,
  type DatastoreKeyRef,
} from './template-ast.ts';

/** A template could not be parsed or rendered; `message` is the engine's reason. */
export class TemplateFailure extends Error {}

export interface CompiledTemplate {
  readonly source: string;
  /** Root variable names the template reads from its context, in order of first use. */
  readonly variables: readonly string[];
  /** Datastore items (`st2kv.system.x`, `st2kv.user.x`) the template reads. */
  readonly datastoreKeys: readonly DatastoreKeyRef[];
  /** Renders to text; throws `TemplateFailure`. */
  render(context: Readonly<Record<string, unknown>>): string;
}

// StackStorm's `is_jinja_expression`: a complete `{{ … }}` or `{% … %}` makes a string a template.
const TEMPLATE_MARKER = /\{\{.*?\}\}|\{%.*?%\}/s;

export function isTemplateString(value: string): boolean {
  return TEMPLATE_MARKER.test(value);
}

/** Whether a parameter value is (or, for arrays/objects, contains) a template. */
export function containsTemplate(value: Json): boolean {
  if (typeof value === 'string') return isTemplateString(value);
  if (Array.isArray(value)) return value.some(containsTemplate);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => isTemplateString(key) || containsTemplate(item));
  }
  return false;
}

const SINGLE_VARIABLE = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** The variable name when `value` is exactly `{{ name }}` (such leaves keep their native type). */
export function singleVariable(value: string): string | undefined {
  return SINGLE_VARIABLE.exec(value)?.[1];
}

const env = createEnvironment();
env.addFilter(STR_FILTER, jinjaStr);
env.addFilter(LOOKUP_FILTER, guardedLookup);
env.addFilter('string', jinjaStr);
env.addFilter('int', jinjaInt);
env.addFilter('float', jinjaFloat);
env.addFilter('decrypt_kv', decryptKv);

const cache = new Map<string, CompiledTemplate>();
const CACHE_LIMIT = 2000;

/** Parses, analyses and compiles `source` (cached); throws `TemplateFailure` on syntax errors. */
export function compileTemplate(source: string): CompiledTemplate {
  const cached = cache.get(source);
  if (cached) return cached;
  let compiled: CompiledTemplate;
  try {
    const ast = parseNunjucks(source);
    const datastoreKeys = datastoreReferences(ast);
    adaptToJinja(ast);
    const variables = referencedVariables(ast);
    const template = compileNunjucks(ast, env, 'template');
    compiled = {
      source,
      variables,
      datastoreKeys,
      render(context) {
        try {
          return template.render({ ...SHADOWED, ...context });
        } catch (err) {
          throw new TemplateFailure(reasonOf(err), { cause: err });
        }
      },
    };
  } catch (err) {
    if (err instanceof TemplateFailure) throw err;
    throw new TemplateFailure(reasonOf(err), { cause: err });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

/** nunjucks' member lookup (methods come back bound to their object), minus the blocked members. */
function guardedLookup(target: unknown, key: unknown): unknown {
  if (target === undefined || target === null) return undefined;
  const name = String(key);
  if (BLOCKED_MEMBERS.has(name)) return undefined;
  if (target instanceof DatastoreLookup) return target.member(name);
  const value = (target as Record<string, unknown>)[name];
  if (typeof value === 'function')
    return (...args: unknown[]): unknown => value.apply(target, args) as unknown;
  return value;
}

/**
 * Render contexts are plain objects, so a bare `{{ constructor }}` would find `Object`; own
 * undefined entries for the inherited names hide them (parameters of those names still win).
 */
const SHADOWED: Readonly<Record<string, undefined>> = Object.fromEntries(
  Object.getOwnPropertyNames(Object.prototype)
    .filter((name) => name !== '__proto__')
    .map((name) => [name, undefined]),
);

/**
 * nunjucks reports "(unknown path) [Line 1, Column 3]\n  Error: <reason>"; the reason is what a
 * user can act on. Errors thrown by filters carry the original error as `cause`.
 */
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause: unknown = err.cause;
  if (cause instanceof Error) return cause.message;
  let message = err.message;
  const newline = message.indexOf('\n');
  if (message.startsWith('(') && newline >= 0) message = message.slice(newline + 1);
  return message.trim().replace(/^Error: /, '');
}

/** StackStorm's `decrypt_kv`: the plain value of a secret datastore item. */
function decryptKv(value: unknown): string {
  if (value instanceof DatastoreLookup) return value.decrypted();
  throw new Error('decrypt_kv applies to a datastore item (st2kv.system.<name> or st2kv.user.<name>)');
}

/** Python's `str()` of whatever a template expression produced. */
export function jinjaStr(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  // nunjucks' SafeString (from `safe`, macros, `caller()`) is a String object.
  if (value instanceof String) return value.toString();
  return pyReprLoose(value);
}

function pyReprLoose(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumberRepr(value);
  if (typeof value === 'string') return pyStringRepr(value);
  if (value instanceof String) return pyStringRepr(value.toString());
  if (Array.isArray(value)) return `[${value.map(pyReprLoose).join(', ')}]`;
  if (typeof value === 'object' && isPlain(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${pyStringRepr(k)}: ${pyReprLoose(v)}`).join(', ')}}`;
  }
  return String(value);
}

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** nunjucks passes keyword arguments as a trailing `{ __keywords: true, … }` object. */
function keywordArg(arg: unknown, name: string): unknown {
  if (typeof arg === 'object' && arg !== null && (arg as { __keywords?: unknown }).__keywords === true) {
    return (arg as Record<string, unknown>)[name];
  }
  return arg;
}

function asJson(value: unknown): Json | undefined {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Json;
  if (value instanceof String) return value.toString();
  return undefined;
}

/** Jinja's `int`: `int(value)`, else `int(float(value))`, else the default (0). */
function jinjaInt(value: unknown, fallback?: unknown): unknown {
  const def = keywordArg(fallback, 'default') ?? 0;
  const json = asJson(value);
  if (json === undefined || json === null) return def;
  try {
    return pyInt(json);
  } catch {
    try {
      return pyInt(pyFloat(json));
    } catch {
      return def;
    }
  }
}

/** Jinja's `float`: `float(value)`, else the default (0.0). */
function jinjaFloat(value: unknown, fallback?: unknown): unknown {
  const def = keywordArg(fallback, 'default') ?? 0;
  const json = asJson(value);
  if (json === undefined || json === null) return def;
  try {
    return pyFloat(json);
  } catch {
    return def;
  }
}
