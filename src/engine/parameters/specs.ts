/** Helpers over the two parameter-spec maps an execution combines: the runner's and the action's. */
import type {
  Action,
  Json,
  JsonObject,
  ParameterSpec,
  ParameterSpecs,
  RunnerType,
} from '../../domain/types.ts';

/** The parts of an action and its runner type the parameter pipeline reads. */
export interface ParameterSources {
  action: Pick<Action, 'parameters'>;
  runner: Pick<RunnerType, 'runner_parameters'>;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Recursively overlays `overlay` on `base` (StackStorm's `deep_update`), returning a new object. */
function deepMerge(base: JsonObject, overlay: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    out[key] = isObject(value) ? deepMerge(isObject(current) ? current : {}, value) : value;
  }
  return out;
}

/**
 * Runner specs deep-merged with action specs (action keys win, per property): an action may only
 * restate some attributes of a runner parameter (say its `default`), the rest comes from the
 * runner. Runner parameters come first, then action-only ones, as in StackStorm.
 */
export function mergeSpecs({ action, runner }: ParameterSources): ParameterSpecs {
  return deepMerge(
    runner.runner_parameters as unknown as JsonObject,
    action.parameters as unknown as JsonObject,
  ) as unknown as ParameterSpecs;
}

/** Every parameter name the action or its runner declares: action order first, then runner-only. */
export function declaredNames({ action, runner }: ParameterSources): string[] {
  const names = new Set(Object.keys(action.parameters));
  for (const name of Object.keys(runner.runner_parameters)) names.add(name);
  return [...names];
}

function own(specs: ParameterSpecs, name: string): ParameterSpec | undefined {
  return Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
}

/**
 * The default StackStorm applies: the action's unless it is absent or null, then the runner's.
 * (It processes the action specs, then the runner specs for parameters still without a value.)
 */
export function effectiveDefault({ action, runner }: ParameterSources, name: string): Json {
  const fromAction = own(action.parameters, name)?.default;
  if (fromAction !== undefined && fromAction !== null) return fromAction;
  return own(runner.runner_parameters, name)?.default ?? null;
}

/** Immutable in either the action or the runner metadata. */
export function isImmutable({ action, runner }: ParameterSources, name: string): boolean {
  return (
    Boolean(own(action.parameters, name)?.immutable) ||
    Boolean(own(runner.runner_parameters, name)?.immutable)
  );
}

export function specOf(specs: ParameterSpecs, name: string): ParameterSpec | undefined {
  return own(specs, name);
}
