/**
 * The validation engine: walks a schema the way Python jsonschema's `iter_errors` does, lazily and
 * in the schema object's own key order, so "the first error" is the one StackStorm would raise.
 */
import { InternalError } from '../errors.ts';
import { pyRepr } from '../pyrepr.ts';
import type { Json } from '../types.ts';
import { hasOwn, isObject } from './json.ts';
import { KEYWORDS, type Validation } from './keywords.ts';
import { schemaError, type SchemaError } from './schema-error.ts';

export interface IterOptions {
  /** Set absent properties to (a deep copy of) their schema `default` while validating. */
  fillDefaults?: boolean;
  /** The document `$ref`s such as `#/definitions/X` resolve against; defaults to the schema. */
  root?: Json;
}

/** Every violation, in the order Python jsonschema would yield them. */
export function iterErrors(schema: Json, instance: Json, options: IterOptions = {}): Iterable<SchemaError> {
  const root = options.root ?? schema;
  const validation: Validation = {
    fillDefaults: options.fillDefaults === true,
    descend: (inst, sub, segment) => descend(validation, root, inst, sub, segment),
    // `is_valid` never fills defaults in Python's FAQ validator either way; keep it side-effect free.
    isValid: (inst, sub) => firstOf(walk(checkOnly(root), root, inst, sub)) === undefined,
  };
  return walk(validation, root, instance, schema);
}

function checkOnly(root: Json): Validation {
  const v: Validation = {
    fillDefaults: false,
    descend: (inst, sub, segment) => descend(v, root, inst, sub, segment),
    isValid: (inst, sub) => firstOf(walk(v, root, inst, sub)) === undefined,
  };
  return v;
}

function* descend(
  v: Validation,
  root: Json,
  instance: Json,
  schema: Json,
  segment: string | number | undefined,
): Iterable<SchemaError> {
  for (const err of walk(v, root, instance, schema)) {
    if (segment !== undefined) err.path.unshift(segment);
    yield err;
  }
}

function* walk(v: Validation, root: Json, instance: Json, schema: Json): Iterable<SchemaError> {
  if (schema === false) {
    yield schemaError('false', `False schema does not allow ${pyRepr(instance)}`);
    return;
  }
  if (!isObject(schema)) return;
  // OpenAPI's `x-nullable` (StackStorm's API schemas use it) lets null through the whole schema.
  if (instance === null && schema['x-nullable'] === true) return;
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    // Draft-4: a `$ref` replaces all of its sibling keywords.
    yield* walk(v, root, instance, resolveRef(root, ref));
    return;
  }
  for (const key of Object.keys(schema)) {
    const keyword = KEYWORDS.get(key);
    if (keyword) yield* keyword(v, schema[key] as Json, instance, schema);
  }
}

/** Resolves a document-local JSON pointer (`#`, `#/definitions/Name`). */
export function resolveRef(root: Json, ref: string): Json {
  if (!ref.startsWith('#'))
    throw new InternalError(`Unsupported $ref ${pyRepr(ref)}: only local references work`);
  const pointer = decodeURIComponent(ref.slice(1));
  let node: Json = root;
  if (pointer === '' || pointer === '/') return node;
  for (const raw of pointer.replace(/^\//, '').split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(part) && Number(part) < node.length) {
      node = node[Number(part)] as Json;
    } else if (isObject(node) && hasOwn(node, part)) {
      node = node[part] as Json;
    } else {
      throw new InternalError(`Unresolvable JSON pointer: ${pyRepr(pointer.replace(/^\//, ''))}`);
    }
  }
  return node;
}

function firstOf<T>(iterable: Iterable<T>): T | undefined {
  for (const item of iterable) return item;
  return undefined;
}

export function firstError(errors: Iterable<SchemaError>): SchemaError | undefined {
  return firstOf(errors);
}

const WEAK = new Set(['anyOf', 'oneOf']);

/** jsonschema 3.2's `relevance`: shallower errors first, then errors that are not anyOf/oneOf. */
function relevance(err: SchemaError): [number, number] {
  return [-err.path.length, WEAK.has(err.keyword) ? 0 : 1];
}

function compare(a: [number, number], b: [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

/**
 * jsonschema 3.2's `best_match`, which its module-level `validate()` (and so StackStorm's
 * `util.schema.validate`, used for action parameters) raises: the most relevant error, keeping the
 * earliest among equals, then the least relevant of its `context` sub-errors, recursively.
 */
export function bestMatch(errors: Iterable<SchemaError>): SchemaError | undefined {
  let best: SchemaError | undefined;
  for (const err of errors) {
    if (!best || compare(relevance(err), relevance(best)) > 0) best = err;
  }
  while (best && best.context.length > 0) {
    let pick = best.context[0] as SchemaError;
    for (const err of best.context) {
      if (compare(relevance(err), relevance(pick)) < 0) pick = err;
    }
    best = pick;
  }
  return best;
}
