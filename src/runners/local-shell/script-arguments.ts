/**
 * Script arguments as StackStorm builds them (spec §6.8): parameters with a `position` become
 * positional arguments serialised by declared type; the rest become `<kwarg_op><name>=<value>`.
 * Like StackStorm, the named arguments come first on the command line, then the positional ones.
 */
import type { Json, JsonObject, ParameterSpecs } from '../../domain/types.ts';
import { pyStr, pyTruthy } from '../shared/python-str.ts';

export function scriptArguments(
  actionParameters: JsonObject,
  specs: ParameterSpecs,
  kwargOp: string,
): string[] {
  const positional = positionalNames(specs);
  const args: string[] = [];
  for (const name of Object.keys(actionParameters)) {
    if (positional.includes(name)) continue;
    const value = actionParameters[name];
    if (value === undefined || value === null || value === '' || value === false) continue;
    args.push(value === true ? kwargOp + name : `${kwargOp}${name}=${pyStr(value)}`);
  }
  for (const name of positional) {
    const type = specs[name]?.type;
    args.push(
      serializePositional(typeof type === 'string' ? type : undefined, actionParameters[name] ?? null),
    );
  }
  return args;
}

/** Names of positional parameters in position order; a later name wins a shared position. */
function positionalNames(specs: ParameterSpecs): string[] {
  const byPosition = new Map<number, string>();
  for (const name of Object.keys(specs)) {
    const position = specs[name]?.position;
    if (typeof position === 'number') byPosition.set(position, name);
  }
  return [...byPosition.keys()].sort((a, b) => a - b).map((p) => byPosition.get(p) as string);
}

export function serializePositional(type: string | undefined, value: Json): string {
  switch (type) {
    case 'string':
    case 'number':
    case 'float':
      return value === null ? '' : pyStr(value);
    case 'boolean':
      return value === null ? '' : pyTruthy(value) ? '1' : '0';
    case 'array':
    case 'list':
      if (!pyTruthy(value)) return '';
      // Python joins any iterable; a string is a sequence of characters.
      return (Array.isArray(value) ? value.map(pyStr) : [...pyStr(value)]).join(',');
    case 'object':
      return pyTruthy(value) ? JSON.stringify(value) : '';
    case 'null':
      return '';
    default:
      // Other types, `integer` included, are str()'d, but falsy values (0!) become ''.
      return pyTruthy(value) ? pyStr(value) : '';
  }
}
