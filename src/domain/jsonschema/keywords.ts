/**
 * The Draft-4 keywords, each reporting the message Python jsonschema (2.6/3.2 `_validators.py`)
 * would. StackStorm clients compare these strings, so the wording, the `%r` renderings and the
 * order in which errors are produced follow the Python library rather than the specification.
 */
import { pyRepr } from '../pyrepr.ts';
import type { Json, JsonObject } from '../types.ts';
import { codePointLength, deepClone, hasOwn, isObject, jsonEqual } from './json.ts';
import { pySearch } from './regex.ts';
import { schemaError, type SchemaError } from './schema-error.ts';

/** What a keyword may ask of the running validation. */
export interface Validation {
  readonly fillDefaults: boolean;
  descend(instance: Json, schema: Json, pathSegment?: string | number): Iterable<SchemaError>;
  isValid(instance: Json, schema: Json): boolean;
}

export type Keyword = (
  v: Validation,
  value: Json,
  instance: Json,
  schema: JsonObject,
) => Iterable<SchemaError>;

/** Draft-4 type test; in Python a bool is neither an integer nor a number. */
export function isType(instance: Json, type: Json): boolean {
  switch (type) {
    case 'string':
      return typeof instance === 'string';
    case 'integer':
      return typeof instance === 'number' && Number.isInteger(instance);
    case 'number':
      return typeof instance === 'number';
    case 'boolean':
      return typeof instance === 'boolean';
    case 'null':
      return instance === null;
    case 'array':
      return Array.isArray(instance);
    case 'object':
      return isObject(instance);
    default:
      // Python raises UnknownType; we treat an unknown type name as matching nothing.
      return false;
  }
}

function* type(_v: Validation, types: Json, instance: Json): Iterable<SchemaError> {
  const list = Array.isArray(types) ? types : [types];
  if (list.some((t) => isType(instance, t))) return;
  // types_msg: Draft-3 style `{"name": ...}` type objects are shown by name.
  const names = list.map((t) => (isObject(t) && hasOwn(t, 'name') ? pyRepr(t['name'] as Json) : pyRepr(t)));
  yield schemaError('type', `${pyRepr(instance)} is not of type ${names.join(', ')}`);
}

function* properties(v: Validation, props: Json, instance: Json): Iterable<SchemaError> {
  if (!isObject(instance) || !isObject(props)) return;
  if (v.fillDefaults) {
    // The "defaults-filling" validator of jsonschema's FAQ (what StackStorm's router uses): fill
    // absent properties first, then validate, so a required property with a default passes.
    for (const [name, sub] of Object.entries(props)) {
      if (isObject(sub) && hasOwn(sub, 'default') && !hasOwn(instance, name)) {
        instance[name] = deepClone(sub['default'] as Json);
      }
    }
  }
  for (const [name, sub] of Object.entries(props)) {
    if (hasOwn(instance, name)) {
      yield* v.descend(instance[name] as Json, sub, name);
    } else if (isObject(sub) && sub['required'] === true) {
      // StackStorm's validator uses Draft-3 `properties`, where `required: true` lives on the
      // property; Python reports it with the path `['required']`.
      const err = schemaError('required', `${pyRepr(name)} is a required property`);
      err.path.push('required');
      yield err;
    }
  }
}

function* required(_v: Validation, names: Json, instance: Json): Iterable<SchemaError> {
  // The boolean (Draft-3) form is handled by `properties`.
  if (!Array.isArray(names) || !isObject(instance)) return;
  for (const name of names) {
    if (typeof name === 'string' && !hasOwn(instance, name)) {
      yield schemaError('required', `${pyRepr(name)} is a required property`);
    }
  }
}

function* patternProperties(v: Validation, patterns: Json, instance: Json): Iterable<SchemaError> {
  if (!isObject(instance) || !isObject(patterns)) return;
  for (const [pattern, sub] of Object.entries(patterns)) {
    for (const key of Object.keys(instance)) {
      if (pySearch(pattern, key)) yield* v.descend(instance[key] as Json, sub, key);
    }
  }
}

function additionalPropertyNames(instance: JsonObject, schema: JsonObject): string[] {
  const props = isObject(schema['properties']) ? schema['properties'] : {};
  const patterns = isObject(schema['patternProperties']) ? Object.keys(schema['patternProperties']) : [];
  return Object.keys(instance).filter(
    (key) => !hasOwn(props, key) && !patterns.some((pattern) => pySearch(pattern, key)),
  );
}

/** "('a', 'b' were unexpected)": Python's extras_msg. */
function extrasMessage(extras: Json[]): string {
  return `${extras.map(pyRepr).join(', ')} ${extras.length === 1 ? 'was' : 'were'}`;
}

function* additionalProperties(
  v: Validation,
  allowed: Json,
  instance: Json,
  schema: JsonObject,
): Iterable<SchemaError> {
  if (!isObject(instance)) return;
  const extras = additionalPropertyNames(instance, schema);
  if (isObject(allowed)) {
    for (const extra of extras) yield* v.descend(instance[extra] as Json, allowed, extra);
  } else if (allowed === false && extras.length > 0) {
    if (hasOwn(schema, 'patternProperties')) {
      const patterns = isObject(schema['patternProperties']) ? Object.keys(schema['patternProperties']) : [];
      const verb = extras.length === 1 ? 'does' : 'do';
      const sortedExtras = [...extras].sort().map(pyRepr).join(', ');
      const sortedPatterns = patterns.sort().map(pyRepr).join(', ');
      yield schemaError(
        'additionalProperties',
        `${sortedExtras} ${verb} not match any of the regexes: ${sortedPatterns}`,
      );
    } else {
      yield schemaError(
        'additionalProperties',
        `Additional properties are not allowed (${extrasMessage(extras)} unexpected)`,
      );
    }
  }
}

function* items(v: Validation, itemSchema: Json, instance: Json): Iterable<SchemaError> {
  if (!Array.isArray(instance)) return;
  if (Array.isArray(itemSchema)) {
    const n = Math.min(instance.length, itemSchema.length);
    for (let i = 0; i < n; i++) yield* v.descend(instance[i] as Json, itemSchema[i] as Json, i);
  } else {
    for (let i = 0; i < instance.length; i++) yield* v.descend(instance[i] as Json, itemSchema, i);
  }
}

function* additionalItems(
  v: Validation,
  allowed: Json,
  instance: Json,
  schema: JsonObject,
): Iterable<SchemaError> {
  // Only meaningful with tuple-form `items` (an absent `items` counts as the schema `{}`).
  const tuple = schema['items'];
  if (!Array.isArray(instance) || !Array.isArray(tuple)) return;
  if (isObject(allowed)) {
    for (let i = tuple.length; i < instance.length; i++) yield* v.descend(instance[i] as Json, allowed, i);
  } else if (allowed === false && instance.length > tuple.length) {
    const extras = instance.slice(tuple.length);
    yield schemaError(
      'additionalItems',
      `Additional items are not allowed (${extrasMessage(extras)} unexpected)`,
    );
  }
}

function* enumKeyword(_v: Validation, options: Json, instance: Json): Iterable<SchemaError> {
  if (!Array.isArray(options)) return;
  if (!options.some((option) => jsonEqual(option, instance))) {
    yield schemaError('enum', `${pyRepr(instance)} is not one of ${pyRepr(options)}`);
  }
}

function* pattern(_v: Validation, regex: Json, instance: Json): Iterable<SchemaError> {
  if (typeof instance === 'string' && typeof regex === 'string' && !pySearch(regex, instance)) {
    yield schemaError('pattern', `${pyRepr(instance)} does not match ${pyRepr(regex)}`);
  }
}

/** Draft-4 `minimum`/`maximum` carry their boolean `exclusive*` sibling (no keyword of its own). */
function* minimum(_v: Validation, limit: Json, instance: Json, schema: JsonObject): Iterable<SchemaError> {
  if (typeof instance !== 'number' || typeof limit !== 'number') return;
  const exclusive = schema['exclusiveMinimum'] === true;
  const failed = exclusive ? instance <= limit : instance < limit;
  const cmp = exclusive ? 'less than or equal to' : 'less than';
  if (failed) yield schemaError('minimum', `${pyRepr(instance)} is ${cmp} the minimum of ${pyRepr(limit)}`);
}

function* maximum(_v: Validation, limit: Json, instance: Json, schema: JsonObject): Iterable<SchemaError> {
  if (typeof instance !== 'number' || typeof limit !== 'number') return;
  const exclusive = schema['exclusiveMaximum'] === true;
  const failed = exclusive ? instance >= limit : instance > limit;
  const cmp = exclusive ? 'greater than or equal to' : 'greater than';
  if (failed) yield schemaError('maximum', `${pyRepr(instance)} is ${cmp} the maximum of ${pyRepr(limit)}`);
}

function* multipleOf(_v: Validation, divisor: Json, instance: Json): Iterable<SchemaError> {
  if (typeof instance !== 'number' || typeof divisor !== 'number') return;
  let failed: boolean;
  if (Number.isInteger(divisor)) {
    failed = instance % divisor !== 0;
  } else {
    const quotient = instance / divisor;
    failed = Math.trunc(quotient) !== quotient;
  }
  if (failed) yield schemaError('multipleOf', `${pyRepr(instance)} is not a multiple of ${pyRepr(divisor)}`);
}

function lengthKeyword(
  name: string,
  tooLong: boolean,
  measure: (instance: Json) => number | undefined,
): Keyword {
  return function* (_v, limit, instance) {
    const size = measure(instance);
    if (size === undefined || typeof limit !== 'number') return;
    if (tooLong ? size > limit : size < limit) {
      yield schemaError(name, `${pyRepr(instance)} is too ${tooLong ? 'long' : 'short'}`);
    }
  };
}

const stringLength = (i: Json): number | undefined =>
  typeof i === 'string' ? codePointLength(i) : undefined;
const arrayLength = (i: Json): number | undefined => (Array.isArray(i) ? i.length : undefined);

function* minProperties(_v: Validation, limit: Json, instance: Json): Iterable<SchemaError> {
  if (isObject(instance) && typeof limit === 'number' && Object.keys(instance).length < limit) {
    yield schemaError('minProperties', `${pyRepr(instance)} does not have enough properties`);
  }
}

function* maxProperties(_v: Validation, limit: Json, instance: Json): Iterable<SchemaError> {
  if (isObject(instance) && typeof limit === 'number' && Object.keys(instance).length > limit) {
    yield schemaError('maxProperties', `${pyRepr(instance)} has too many properties`);
  }
}

function* uniqueItems(_v: Validation, unique: Json, instance: Json): Iterable<SchemaError> {
  if (unique !== true || !Array.isArray(instance)) return;
  for (let i = 0; i < instance.length; i++) {
    for (let j = i + 1; j < instance.length; j++) {
      if (jsonEqual(instance[i] as Json, instance[j] as Json)) {
        yield schemaError('uniqueItems', `${pyRepr(instance)} has non-unique elements`);
        return;
      }
    }
  }
}

function* dependencies(v: Validation, deps: Json, instance: Json): Iterable<SchemaError> {
  if (!isObject(instance) || !isObject(deps)) return;
  for (const [property, dependency] of Object.entries(deps)) {
    if (!hasOwn(instance, property)) continue;
    if (Array.isArray(dependency)) {
      for (const each of dependency) {
        if (typeof each === 'string' && !hasOwn(instance, each)) {
          yield schemaError('dependencies', `${pyRepr(each)} is a dependency of ${pyRepr(property)}`);
        }
      }
    } else {
      yield* v.descend(instance, dependency);
    }
  }
}

function* allOf(v: Validation, schemas: Json, instance: Json): Iterable<SchemaError> {
  if (!Array.isArray(schemas)) return;
  for (const sub of schemas) yield* v.descend(instance, sub);
}

function* anyOf(v: Validation, schemas: Json, instance: Json): Iterable<SchemaError> {
  if (!Array.isArray(schemas)) return;
  const all: SchemaError[] = [];
  for (const sub of schemas) {
    const errors = [...v.descend(instance, sub)];
    if (errors.length === 0) return;
    all.push(...errors);
  }
  yield schemaError('anyOf', `${pyRepr(instance)} is not valid under any of the given schemas`, all);
}

function* oneOf(v: Validation, schemas: Json, instance: Json): Iterable<SchemaError> {
  if (!Array.isArray(schemas)) return;
  const all: SchemaError[] = [];
  let firstValid = -1;
  for (let i = 0; i < schemas.length; i++) {
    const errors = [...v.descend(instance, schemas[i] as Json)];
    if (errors.length === 0) {
      firstValid = i;
      break;
    }
    all.push(...errors);
  }
  if (firstValid < 0) {
    yield schemaError('oneOf', `${pyRepr(instance)} is not valid under any of the given schemas`, all);
    return;
  }
  const moreValid = schemas.slice(firstValid + 1).filter((sub) => v.isValid(instance, sub));
  if (moreValid.length > 0) {
    // Python lists the other valid schemas first and the first valid one last.
    const reprs = [...moreValid, schemas[firstValid] as Json].map(pyRepr).join(', ');
    yield schemaError('oneOf', `${pyRepr(instance)} is valid under each of ${reprs}`);
  }
}

function* not(v: Validation, notSchema: Json, instance: Json): Iterable<SchemaError> {
  if (v.isValid(instance, notSchema)) {
    yield schemaError('not', `${pyRepr(notSchema)} is not allowed for ${pyRepr(instance)}`);
  }
}

/** Keyword table; anything else in a schema (`format`, `position`, `secret`, …) is ignored. */
export const KEYWORDS: ReadonlyMap<string, Keyword> = new Map<string, Keyword>([
  ['additionalItems', additionalItems],
  ['additionalProperties', additionalProperties],
  ['allOf', allOf],
  ['anyOf', anyOf],
  ['dependencies', dependencies],
  ['enum', enumKeyword],
  ['items', items],
  ['maxItems', lengthKeyword('maxItems', true, arrayLength)],
  ['maxLength', lengthKeyword('maxLength', true, stringLength)],
  ['maxProperties', maxProperties],
  ['maximum', maximum],
  ['minItems', lengthKeyword('minItems', false, arrayLength)],
  ['minLength', lengthKeyword('minLength', false, stringLength)],
  ['minProperties', minProperties],
  ['minimum', minimum],
  ['multipleOf', multipleOf],
  ['not', not],
  ['oneOf', oneOf],
  ['pattern', pattern],
  ['patternProperties', patternProperties],
  ['properties', properties],
  ['required', required],
  ['type', type],
  ['uniqueItems', uniqueItems],
]);
