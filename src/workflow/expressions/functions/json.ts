/** Python's `json.dumps` with its options, as st2's `to_json_string`/`json_dump` call it. */
import { jsonAsciiString, pyNumberRepr } from '../../../domain/pyrepr.ts';
import { PyError } from '../errors.ts';

export interface DumpOptions {
  readonly indent?: number | string | null;
  readonly sortKeys?: boolean;
  /** `[item separator, key separator]`; Python's default is `[', ', ': ']` (`[',', ': ']` with indent). */
  readonly separators?: readonly [string, string];
}

export function pyJsonDumps(value: unknown, options: DumpOptions = {}): string {
  const indent =
    options.indent === undefined || options.indent === null
      ? undefined
      : typeof options.indent === 'number'
        ? ' '.repeat(options.indent)
        : options.indent;
  const [itemSep, keySep] = options.separators ?? [indent === undefined ? ', ' : ',', ': '];
  const write = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return 'null';
    if (v === true) return 'true';
    if (v === false) return 'false';
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      return pyNumberRepr(v);
    }
    if (typeof v === 'string') return jsonAsciiString(v);
    const inner = indent === undefined ? '' : '\n' + indent.repeat(depth + 1);
    const outer = indent === undefined ? '' : '\n' + indent.repeat(depth);
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${inner}${v.map((x) => write(x, depth + 1)).join(itemSep + inner)}${outer}]`;
    }
    if (typeof v === 'object') {
      let keys = Object.keys(v);
      if (keys.length === 0) return '{}';
      if (options.sortKeys) keys = [...keys].sort();
      const record = v as Record<string, unknown>;
      const parts = keys.map((k) => `${jsonAsciiString(k)}${keySep}${write(record[k], depth + 1)}`);
      return `{${inner}${parts.join(itemSep + inner)}${outer}}`;
    }
    throw new PyError('TypeError', `Object of type ${typeof v} is not JSON serializable`);
  };
  return write(value, 0);
}

/** `json.loads`/`orjson.loads`; Python reports malformed input as `JSONDecodeError`. */
export function pyJsonLoads(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new PyError('JSONDecodeError', err instanceof Error ? err.message : String(err));
  }
}
