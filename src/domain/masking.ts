/**
 * Secret masking (spec §5): parameters marked `secret`, result fields marked `secret` in the
 * action's output schema, and inquiry responses. Everything here is pure and copy-on-write: inputs
 * are never mutated, and when nothing needs masking the very same object comes back, because
 * masking runs on every execution a list endpoint returns and most have no secrets at all.
 */
import { pySearch } from './jsonschema/regex.ts';
import type { Json, JsonObject, ParameterSpecs } from './types.ts';

export const MASKED_VALUE = '********';

/** The action whose `response` parameter is masked wholesale: it carries inquiry answers. */
const INQUIRY_RESPOND_ACTION = 'st2.inquiry.respond';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** Where the secrets are inside one parameter spec; absent when it holds none. */
interface SecretTree {
  readonly mask: boolean;
  readonly props?: ReadonlyMap<string, SecretTree>;
  readonly item?: SecretTree;
}

const MASK_WHOLE: SecretTree = { mask: true };

function secretTreeOf(spec: Json | undefined): SecretTree | undefined {
  if (!isObject(spec)) return undefined;
  if (spec['secret'] === true) return MASK_WHOLE;
  const props = isObject(spec['properties']) ? propertyTrees(spec['properties']) : undefined;
  const item = secretTreeOf(spec['items']);
  if (!props && !item) return undefined;
  return { mask: false, ...(props ? { props } : {}), ...(item ? { item } : {}) };
}

function propertyTrees(specs: Record<string, Json | undefined>): ReadonlyMap<string, SecretTree> | undefined {
  let trees: Map<string, SecretTree> | undefined;
  for (const [name, spec] of Object.entries(specs)) {
    const tree = secretTreeOf(spec);
    if (tree) (trees ??= new Map()).set(name, tree);
  }
  return trees;
}

// Spec objects come from cached action/runner snapshots, so the analysis is done once per object.
const treesBySpecs = new WeakMap<object, ReadonlyMap<string, SecretTree> | null>();

function treesFor(specs: ParameterSpecs): ReadonlyMap<string, SecretTree> | undefined {
  let trees = treesBySpecs.get(specs);
  if (trees === undefined) {
    trees = propertyTrees(specs as Record<string, Json | undefined>) ?? null;
    treesBySpecs.set(specs, trees);
  }
  return trees ?? undefined;
}

function applyTree(value: Json, tree: SecretTree): Json {
  if (tree.mask) return MASKED_VALUE;
  if (tree.props && isObject(value)) return maskProperties(value, tree.props);
  if (tree.item && Array.isArray(value))
    return mapArray(value, (item) => applyTree(item, tree.item as SecretTree));
  return value;
}

function maskProperties(obj: JsonObject, trees: ReadonlyMap<string, SecretTree>): JsonObject {
  let copy: JsonObject | undefined;
  for (const [name, tree] of trees) {
    if (!hasOwn(obj, name)) continue;
    const value = obj[name] as Json;
    const masked = applyTree(value, tree);
    if (masked !== value) (copy ??= { ...obj })[name] = masked;
  }
  return copy ?? obj;
}

function mapArray(items: Json[], fn: (item: Json, index: number) => Json): Json[] {
  let copy: Json[] | undefined;
  items.forEach((item, i) => {
    const mapped = fn(item, i);
    if (mapped !== item) (copy ??= [...items])[i] = mapped;
  });
  return copy ?? items;
}

/**
 * Masks secret parameters (recursively through object `properties` and array `items`). A secret
 * value is replaced as a whole, whatever its type, null included. For `st2.inquiry.respond`,
 * every key of `parameters.response` is masked: those are inquiry answers of unknown sensitivity.
 */
export function maskParameters(
  parameters: JsonObject,
  specs: ParameterSpecs,
  actionRef?: string,
): JsonObject {
  const trees = treesFor(specs);
  let result = trees ? maskProperties(parameters, trees) : parameters;
  if (actionRef === INQUIRY_RESPOND_ACTION) {
    const response = result['response'];
    if (isObject(response) && Object.values(response).some((v) => v !== MASKED_VALUE)) {
      const masked = Object.fromEntries(Object.keys(response).map((key) => [key, MASKED_VALUE]));
      result = { ...result, response: masked };
    }
  }
  return result;
}

const mergedSpecs = new WeakMap<object, WeakMap<object, ParameterSpecs>>();

/**
 * The specs masking uses: action parameters overlaid with runner parameters, whole specs replaced
 * (so the runner's `secret` flag wins), as StackStorm's execution model does. Memoised per pair of
 * spec objects so repeated calls keep hitting the secret-analysis cache.
 */
export function mergeParameterSpecs(
  actionParams: ParameterSpecs,
  runnerParams: ParameterSpecs,
): ParameterSpecs {
  let byRunner = mergedSpecs.get(actionParams);
  if (!byRunner) mergedSpecs.set(actionParams, (byRunner = new WeakMap()));
  let merged = byRunner.get(runnerParams);
  if (!merged) byRunner.set(runnerParams, (merged = { ...actionParams, ...runnerParams }));
  return merged;
}

// ---------------------------------------------------------------------------------------------
// Results

const secretInSchema = new WeakMap<object, boolean>();

/** Whether `secret: true` appears anywhere in a schema; most output schemas have none. */
function schemaHasSecret(schema: Json): boolean {
  if (typeof schema !== 'object' || schema === null) return false;
  let known = secretInSchema.get(schema);
  if (known === undefined) {
    const children: Json[] = Array.isArray(schema) ? schema : Object.values(schema);
    known = (!Array.isArray(schema) && schema['secret'] === true) || children.some(schemaHasSecret);
    secretInSchema.set(schema, known);
  }
  return known;
}

/**
 * Output schemas without a top-level `type` are the legacy form: a map of property name to
 * schema. StackStorm normalises them to an open object schema before masking.
 */
function normalizeOutputSchema(schema: JsonObject): JsonObject {
  const type = schema['type'];
  if (typeof type === 'string' || Array.isArray(type)) return schema;
  return { type: 'object', properties: schema, additionalProperties: true };
}

function safeSearch(pattern: string, key: string): boolean {
  try {
    return pySearch(pattern, key);
  } catch {
    // A broken pattern in pack metadata must not break reading executions.
    return false;
  }
}

/** Masks `value` per an output-schema node: `secret` nodes, then objects and arrays walked. */
function maskBySchema(value: Json, schema: Json): Json {
  if (!isObject(schema)) return value;
  if (schema['secret'] === true) return MASKED_VALUE;
  if (isObject(value)) return maskObjectBySchema(value, schema);
  if (Array.isArray(value)) return maskArrayBySchema(value, schema);
  return value;
}

function maskObjectBySchema(obj: JsonObject, schema: JsonObject): JsonObject {
  const props = isObject(schema['properties']) ? schema['properties'] : undefined;
  const patterns = isObject(schema['patternProperties']) ? Object.entries(schema['patternProperties']) : [];
  const additional = isObject(schema['additionalProperties']) ? schema['additionalProperties'] : undefined;
  let copy: JsonObject | undefined;
  for (const key of Object.keys(obj)) {
    const value = obj[key] as Json;
    let masked = value;
    if (props && hasOwn(props, key)) {
      masked = maskBySchema(value, props[key] as Json);
    } else {
      let matched = false;
      for (const [pattern, sub] of patterns) {
        if (safeSearch(pattern, key)) {
          matched = true;
          masked = maskBySchema(masked, sub);
        }
      }
      if (!matched && additional) masked = maskBySchema(value, additional);
    }
    if (masked !== value) (copy ??= { ...obj })[key] = masked;
  }
  return copy ?? obj;
}

function maskArrayBySchema(items: Json[], schema: JsonObject): Json[] {
  const itemSchema = schema['items'];
  if (Array.isArray(itemSchema)) {
    const extra = schema['additionalItems'];
    return mapArray(items, (item, i) =>
      i < itemSchema.length ? maskBySchema(item, itemSchema[i] as Json) : maskBySchema(item, extra ?? null),
    );
  }
  if (isObject(itemSchema)) return mapArray(items, (item) => maskBySchema(item, itemSchema));
  return items;
}

export interface MaskResultOptions {
  /** The execution's runner type; `inquirer` results also get their response masked. */
  runnerName?: string;
}

/**
 * Masks an execution result: `result[outputKey]` per the action's output schema (when the runner
 * has an output key and the action an output schema), then, for inquirer executions, the inquiry
 * response per its own schema. Returns `result` itself when nothing was masked.
 */
export function maskResult(
  result: Json,
  outputKey: string | undefined,
  outputSchema: JsonObject | ParameterSpecs | undefined,
  options: MaskResultOptions = {},
): Json {
  let masked = result;
  // Callers hand over the action's `output_schema` however they typed it; it is JSON either way.
  const schema = outputSchema as JsonObject | undefined;
  if (
    outputKey &&
    isObject(result) &&
    hasOwn(result, outputKey) &&
    isObject(schema) &&
    Object.keys(schema).length > 0 &&
    schemaHasSecret(schema)
  ) {
    const value = result[outputKey] as Json;
    const output = maskBySchema(value, normalizeOutputSchema(schema));
    if (output !== value) masked = { ...result, [outputKey]: output };
  }
  if (options.runnerName === 'inquirer') masked = maskInquiryResult(masked);
  return masked;
}

/**
 * An inquiry's result carries the `schema` the answer was validated against and the `response`;
 * top-level response keys whose schema property is `secret: true` are masked.
 */
export function maskInquiryResult(result: Json): Json {
  if (!isObject(result)) return result;
  const schema = result['schema'];
  const response = result['response'];
  if (!isObject(schema) || !isObject(response) || Object.keys(response).length === 0) return result;
  const props = schema['properties'];
  if (!isObject(props)) return result;
  let copy: JsonObject | undefined;
  for (const [name, spec] of Object.entries(props)) {
    if (
      isObject(spec) &&
      spec['secret'] === true &&
      hasOwn(response, name) &&
      response[name] !== MASKED_VALUE
    ) {
      (copy ??= { ...response })[name] = MASKED_VALUE;
    }
  }
  return copy ? { ...result, response: copy } : result;
}

// ---------------------------------------------------------------------------------------------
// Redaction of secret values in free text (beyond StackStorm: an action that prints or returns a
// secret parameter must not publish it through its output or result).

/**
 * Shorter values are not redacted: replacing every `1` or `no` in an output would make it
 * unreadable and protects nothing that short.
 */
export const MIN_REDACTED_LENGTH = 4;

function collectSecretText(value: Json | undefined, tree: SecretTree, into: Set<string>): void {
  if (value === undefined || value === null) return;
  if (tree.mask) {
    const add = (text: string): void => {
      if (text.length >= MIN_REDACTED_LENGTH) into.add(text);
    };
    const leaves = (v: Json): void => {
      if (typeof v === 'string') add(v);
      else if (typeof v === 'number' || typeof v === 'boolean') add(String(v));
      else if (Array.isArray(v)) v.forEach(leaves);
      else if (v !== null) Object.values(v).forEach(leaves);
    };
    leaves(value);
    if (typeof value === 'object') add(JSON.stringify(value));
    return;
  }
  if (tree.props && isObject(value)) {
    for (const [name, sub] of tree.props) collectSecretText(value[name], sub, into);
  }
  if (tree.item && Array.isArray(value)) for (const item of value) collectSecretText(item, tree.item, into);
}

/**
 * The text forms of secret parameter values (given, else the secret's default), longest first so
 * that a secret containing another is replaced whole.
 */
export function secretParameterValues(parameters: JsonObject, specs: ParameterSpecs): string[] {
  const trees = treesFor(specs);
  if (!trees) return [];
  const found = new Set<string>();
  for (const [name, tree] of trees) {
    const value = hasOwn(parameters, name)
      ? parameters[name]
      : (specs[name] as { default?: Json } | undefined)?.default;
    collectSecretText(value, tree, found);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each secret replaced by the mask. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(MASKED_VALUE);
  return out;
}

/** `value` with secrets redacted inside every string (keys included); the same object when none. */
export function redactJson(value: Json, secrets: readonly string[]): Json {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return mapArray(value, (item) => redactJson(item, secrets));
  if (!isObject(value)) return value;
  let copy: JsonObject | undefined;
  for (const [key, item] of Object.entries(value)) {
    const newKey = redactText(key, secrets);
    const newItem = redactJson(item as Json, secrets);
    if (newKey !== key || newItem !== item) {
      copy ??= { ...value };
      if (newKey !== key) delete copy[key];
      copy[newKey] = newItem;
    }
  }
  return copy ?? value;
}

/**
 * Redaction of text that arrives in pieces (stored output chunks): a secret split across two
 * pieces is still caught, because the last `longest secret - 1` characters are held back until the
 * next piece (or `end`).
 */
export function textRedactor(secrets: readonly string[]): { push(text: string): string; end(): string } {
  const keep = Math.max(0, ...secrets.map((s) => s.length - 1));
  let carry = '';
  return {
    push(text) {
      const all = redactText(carry + text, secrets);
      const cut = all.length - keep;
      if (cut <= 0) {
        carry = all;
        return '';
      }
      carry = all.slice(cut);
      return all.slice(0, cut);
    },
    end() {
      const rest = carry;
      carry = '';
      return rest;
    },
  };
}

/**
 * Where text that may continue can be cut without splitting a secret: the start of the earliest
 * ending of `text` that is the beginning of a secret (and could be completed by what follows),
 * else the end. Stored output is cut there, so every stored chunk can be redacted on its own —
 * by the live stream, a replay, or `/output` — and no secret is ever half shown.
 */
export function secretSafeCut(text: string, secrets: readonly string[]): number {
  let cut = text.length;
  for (const secret of secrets) {
    const from = Math.max(0, text.length - secret.length + 1);
    for (let start = from; start < cut; start++) {
      if (secret.startsWith(text.slice(start))) {
        cut = start;
        break;
      }
    }
  }
  return cut;
}
