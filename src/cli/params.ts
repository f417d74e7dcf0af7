/**
 * `key=value` arguments typed by the action's parameter schema (then its runner's), as st2 does:
 * integers, numbers and booleans parsed, arrays and objects from JSON or st2's comma lists
 * (`a,b` and `k1=v1,k2=v2`), everything else kept as text.
 */
import { UsageError } from './errors.ts';

export type ParameterSpecs = Record<string, { type?: unknown; items?: unknown } | undefined>;
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

const TRUE = new Set(['true', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'no', 'n', 'off', '0']);

function typeOf(spec: { type?: unknown } | undefined): string | undefined {
  const type = spec?.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  return undefined;
}

function json(name: string, raw: string, want: string): Json {
  try {
    return JSON.parse(raw) as Json;
  } catch {
    throw new UsageError(`parameter "${name}" must be ${want}; "${raw}" is not valid JSON`);
  }
}

export function castValue(
  name: string,
  raw: string,
  spec: { type?: unknown; items?: unknown } | undefined,
): Json {
  switch (typeOf(spec)) {
    case 'integer':
      if (!/^[-+]?\d+$/.test(raw.trim()))
        throw new UsageError(`parameter "${name}" must be an integer, got "${raw}"`);
      return Number(raw);
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n))
        throw new UsageError(`parameter "${name}" must be a number, got "${raw}"`);
      return n;
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
      throw new UsageError(`parameter "${name}" must be a boolean (true or false), got "${raw}"`);
    }
    case 'array': {
      if (raw.trim().startsWith('[')) return json(name, raw, 'an array');
      const items = raw === '' ? [] : raw.split(',').map((s) => s.trim());
      const itemSpec = typeof spec?.items === 'object' && spec.items !== null ? spec.items : undefined;
      return items.map((item, i) => castValue(`${name}[${i}]`, item, itemSpec as { type?: unknown }));
    }
    case 'object': {
      if (raw.trim().startsWith('{')) return json(name, raw, 'an object');
      const out: Record<string, Json> = {};
      for (const pair of raw.split(',')) {
        if (pair.trim() === '') continue;
        const eq = pair.indexOf('=');
        if (eq < 1)
          throw new UsageError(`parameter "${name}" must be an object: JSON or k1=v1,k2=v2, got "${raw}"`);
        out[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
      }
      return out;
    }
    default:
      return raw;
  }
}

/**
 * Parameters from the command line's words. Words without `=` are joined into `cmd` when the
 * action (or its runner) has one, as `st2 run core.local -- echo hi` does.
 */
export function buildParameters(words: readonly string[], specs: ParameterSpecs): Record<string, Json> {
  const parameters: Record<string, Json> = {};
  const loose: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 1) {
      loose.push(word);
      continue;
    }
    const name = word.slice(0, eq);
    parameters[name] = castValue(name, word.slice(eq + 1), specs[name]);
  }
  if (loose.length > 0) {
    if (!('cmd' in specs))
      throw new UsageError(
        `expected key=value, got "${loose[0] ?? ''}" (this action has no "cmd" parameter)`,
      );
    parameters['cmd'] = loose.join(' ');
  }
  return parameters;
}
