/**
 * Validating live parameters against the action's and runner's metadata (spec §6.4), the way
 * StackStorm's `create_request` does: a schema built from the merged specs, nulls allowed for
 * optional parameters, defaults filled into a copy, jsonschema's best-matching error, and finally
 * the immutable-override check.
 */
import { ValidationError } from '../../domain/errors.ts';
import { validationMessage } from '../../domain/jsonschema/index.ts';
import { pyRepr } from '../../domain/pyrepr.ts';
import type { Json, JsonObject } from '../../domain/types.ts';
import { mergeSpecs, type ParameterSources } from './specs.ts';

/** What an empty parameter spec (`{}`) accepts: any type but null. */
const ANY_TYPE: JsonObject = {
  anyOf: [
    { type: 'array' },
    { type: 'boolean' },
    { type: 'integer' },
    { type: 'number' },
    { type: 'object' },
    { type: 'string' },
  ],
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The schema of an action's parameters. When neither the action nor its runner declares any
 * parameter StackStorm's schema is `{}`, which accepts anything.
 */
export function parametersSchema(sources: ParameterSources): JsonObject {
  const merged = mergeSpecs(sources) as unknown as JsonObject;
  const properties: JsonObject = {};
  for (const [name, spec] of Object.entries(merged)) {
    properties[name] = isObject(spec) && Object.keys(spec).length > 0 ? spec : ANY_TYPE;
  }
  if (Object.keys(properties).length === 0) return {};
  return { type: 'object', properties, additionalProperties: false };
}

/**
 * StackStorm's `modify_schema_allow_default_none`: a property that is optional, or whose default is
 * null, also accepts null — which is why type errors read `1 is not of type 'boolean', 'null'`.
 */
function allowNulls(schema: JsonObject): JsonObject {
  const properties = schema['properties'];
  if (!isObject(properties)) return schema;
  const out: JsonObject = {};
  for (const [name, spec] of Object.entries(properties)) {
    out[name] = isObject(spec) && acceptsNull(spec) ? withNullType(spec) : spec;
  }
  return { ...schema, properties: out };
}

function acceptsNull(spec: JsonObject): boolean {
  const optional = !spec['required'];
  const nullDefault = Object.prototype.hasOwnProperty.call(spec, 'default') && spec['default'] === null;
  return (optional || nullDefault) && spec['type'] !== undefined;
}

function withNullType(spec: JsonObject): JsonObject {
  const type = spec['type'];
  const types = Array.isArray(type) ? type : [type as Json];
  return types.includes('null') ? spec : { ...spec, type: [...types, 'null'] };
}

/**
 * StackStorm's `assign_default_values`: properties that are absent or null get their default,
 * recursively into object properties and into the objects of arrays. Returns a new value.
 */
function assignDefaults(instance: Json, schema: JsonObject): Json {
  if (Array.isArray(instance)) return instance.map((item) => assignDefaults(item, schema));
  if (!isObject(instance)) return instance;
  const properties = schema['properties'];
  if (!isObject(properties)) return instance;
  const out: JsonObject = { ...instance };
  for (const [name, spec] of Object.entries(properties)) {
    if (!isObject(spec)) continue;
    if (
      Object.prototype.hasOwnProperty.call(spec, 'default') &&
      (out[name] === undefined || out[name] === null)
    ) {
      out[name] = structuredClone(spec['default'] as Json);
    }
    const value = out[name];
    if (value === undefined || value === null) continue;
    // Compared with ===, as StackStorm does: after null was allowed the type may be a list, and
    // then nested defaults are not filled.
    const items = spec['items'];
    if (spec['type'] === 'array' && isObject(items) && isObject(items['properties'])) {
      out[name] = assignDefaults(value, items);
    }
    if (spec['type'] === 'object' && isObject(spec['properties'])) {
      out[name] = assignDefaults(value, spec);
    }
  }
  return out;
}

export interface ValidateParametersInput extends ParameterSources {
  /** The live parameters (as `renderLiveParameters` returned them). */
  live: JsonObject;
  /**
   * Names the caller supplied. Supplying an immutable parameter is refused even when the value
   * equals the default. Defaults to the live names (StackStorm's own check), which differs only
   * for a runner-immutable parameter with a templated default at action level.
   */
  provided?: readonly string[];
}

/** Throws `ValidationError` with StackStorm's message when the live parameters are invalid. */
export function validateParameters(input: ValidateParametersInput): void {
  const schema = allowNulls(parametersSchema(input));
  const instance = assignDefaults(input.live, schema);
  // StackStorm validates through `jsonschema.validate()`, which reports the best match.
  const message = validationMessage(schema, instance, { bestMatch: true });
  if (message !== undefined) throw new ValidationError(message);

  const immutable = new Set<string>();
  for (const specs of [input.action.parameters, input.runner.runner_parameters]) {
    for (const [name, spec] of Object.entries(specs)) if (spec.immutable) immutable.add(name);
  }
  const overridden = (input.provided ?? Object.keys(input.live)).filter((name) => immutable.has(name));
  if (overridden.length > 0) {
    throw new ValidationError(`Override of immutable parameter(s) ${pyRepr(overridden)} is unsupported.`);
  }
}
