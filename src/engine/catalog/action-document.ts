/**
 * Turns action metadata — a pack's `actions/<name>.yaml` or an API request body — into the
 * `Action` document StackStorm's API shows, checking what StackStorm checks at registration.
 */
import { ValidationError } from '../../domain/errors.ts';
import { newId } from '../../domain/ids.ts';
import type { Action, Json, JsonObject, ParameterSpecs, RunnerType } from '../../domain/types.ts';

/** Runner parameter attributes an action may override (StackStorm rejects any other). */
const OVERRIDABLE = new Set(['default', 'description', 'enum', 'immutable', 'required']);
const NAME = /^[^\s]+$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(meta: JsonObject, key: string, fallback: string): string {
  const value = meta[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') throw new ValidationError(`'${key}' must be a string`);
  return value;
}

function optionalObject(meta: JsonObject, key: string): JsonObject {
  const value = meta[key];
  if (value === undefined || value === null) return {};
  if (!isObject(value)) throw new ValidationError(`'${key}' must be an object`);
  return value;
}

export interface ActionSource {
  /** Pack the action belongs to when the metadata does not say (the folder it was found in). */
  pack: string;
  metadataFile: string;
  /** Keep this id (an existing action being updated). */
  id?: string;
}

export function buildAction(
  meta: JsonObject,
  source: ActionSource,
  findRunner: (name: string) => RunnerType | undefined,
): Action {
  const name = meta['name'];
  if (typeof name !== 'string' || name === '') throw new ValidationError(`'name' is a required property`);
  if (!NAME.test(name)) throw new ValidationError(`Action name "${name}" must not contain whitespace`);
  const runnerName = meta['runner_type'];
  if (typeof runnerName !== 'string' || runnerName === '') {
    throw new ValidationError(`'runner_type' is a required property`);
  }
  const runner = findRunner(runnerName);
  if (!runner) throw new ValidationError(`RunnerType "${runnerName}" is not registered.`);
  const pack = optionalString(meta, 'pack', source.pack) || source.pack;
  const enabled = meta['enabled'] ?? true;
  if (typeof enabled !== 'boolean') throw new ValidationError(`'enabled' must be a boolean`);
  const parameters = optionalObject(meta, 'parameters') as ParameterSpecs;
  checkParameters(parameters, runner, `${pack}.${name}`);
  const tags = meta['tags'] ?? [];
  if (!Array.isArray(tags) || !tags.every(isObject))
    throw new ValidationError(`'tags' must be an array of objects`);
  return {
    id: source.id ?? newId(),
    uid: `action:${pack}:${name}`,
    ref: `${pack}.${name}`,
    name,
    pack,
    description: optionalString(meta, 'description', ''),
    enabled,
    entry_point: optionalString(meta, 'entry_point', ''),
    runner_type: runnerName,
    parameters,
    output_schema: optionalObject(meta, 'output_schema'),
    tags: tags as JsonObject[],
    notify: optionalObject(meta, 'notify'),
    metadata_file: source.metadataFile,
  };
}

function checkParameters(parameters: ParameterSpecs, runner: RunnerType, ref: string): void {
  for (const [name, spec] of Object.entries(parameters)) {
    if (!isObject(spec as Json)) throw new ValidationError(`Parameter "${name}" must be an object`);
    const runnerSpec = runner.runner_parameters[name];
    if (!runnerSpec) continue;
    for (const [key, value] of Object.entries(spec)) {
      if (OVERRIDABLE.has(key)) continue;
      if (JSON.stringify(runnerSpec[key]) === JSON.stringify(value)) continue;
      throw new ValidationError(
        `The attribute "${key}" for the runner parameter "${name}" in action "${ref}" cannot be overridden.`,
      );
    }
  }
}
