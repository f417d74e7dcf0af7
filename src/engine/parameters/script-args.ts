/**
 * Command-line arguments for script runners (spec §6.8): action parameters with a `position`
 * become positional arguments, serialised by declared type; the others become named arguments
 * `<kwarg_op><name>=<value>`. The pieces are returned unquoted, one per argv entry, because Squall
 * spawns scripts without a shell; StackStorm puts the named ones first.
 */
import { pyJsonDumps, pyStr } from '../../domain/pyrepr.ts';
import type { Json, JsonObject, ParameterSpecs } from '../../domain/types.ts';
import { declaredType } from './cast.ts';
import { specOf } from './specs.ts';

export interface ScriptArguments {
  positional: string[];
  named: string[];
}

/** Python truthiness of a JSON value. */
function truthy(value: Json): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** StackStorm's positional serialisation (only the top-level value is converted). */
export function serializePositional(type: string | undefined, value: Json): string {
  switch (type) {
    case 'string':
    case 'number':
    case 'float':
      return value === null ? '' : pyStr(value);
    case 'boolean':
      return value === null ? '' : truthy(value) ? '1' : '0';
    case 'array':
    case 'list':
      if (!truthy(value)) return '';
      // `",".join(map(str, value))` – over characters for a string, keys for an object.
      if (Array.isArray(value)) return value.map(pyStr).join(',');
      if (typeof value === 'string') return [...value].join(',');
      if (typeof value === 'object' && value !== null) return Object.keys(value).join(',');
      return pyStr(value);
    case 'object':
    case 'dict':
      return truthy(value) ? pyJsonDumps(value) : '';
    case 'null':
      return '';
    default:
      // Including `integer`: falsy values such as 0 become an empty string.
      return truthy(value) ? pyStr(value) : '';
  }
}

/**
 * @param actionParameters the final action parameters (`renderFinalParameters().actionParameters`)
 * @param specs the action's parameter specs (positions and types come from the action only)
 * @param kwargOp the runner's `kwarg_op` (default `--`)
 */
export function scriptArguments(
  actionParameters: JsonObject,
  specs: ParameterSpecs,
  kwargOp = '--',
): ScriptArguments {
  // Position → name; a later parameter with the same position wins, as in a Python dict.
  const byPosition = new Map<number, string>();
  for (const [name, spec] of Object.entries(specs)) {
    if (typeof spec.position === 'number') byPosition.set(spec.position, name);
  }
  const positions = [...byPosition.keys()].sort((a, b) => a - b);
  const positionalNames = new Set(byPosition.values());
  const positional = positions.map((position) => {
    const name = byPosition.get(position) as string;
    const value = Object.prototype.hasOwnProperty.call(actionParameters, name)
      ? actionParameters[name]
      : null;
    return serializePositional(declaredType(specOf(specs, name)), value ?? null);
  });

  const named: string[] = [];
  for (const [name, value] of Object.entries(actionParameters)) {
    if (positionalNames.has(name) || value === null || value === '') continue;
    if (typeof value === 'boolean') {
      // A flag: present when true, omitted when false.
      if (value) named.push(`${kwargOp}${name}`);
      continue;
    }
    named.push(`${kwargOp}${name}=${pyStr(value)}`);
  }
  return { positional, named };
}
