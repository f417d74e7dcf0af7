/**
 * Python's `str()` of a JSON value. StackStorm builds script arguments with `str(value)` (and
 * `repr` inside containers), so scripts written for it receive `True`, `None`, `['a', 'b']` and
 * `{'k': 1}`; a wire-compatible runner has to hand them the same text.
 */
import type { Json } from '../../domain/types.ts';

export function pyStr(value: Json): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

export function pyRepr(value: Json): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  const entries = Object.keys(value).map((key) => `${pyStringRepr(key)}: ${pyRepr(value[key] as Json)}`);
  return `{${entries.join(', ')}}`;
}

/**
 * JSON does not tell 1 from 1.0, so integral values print as Python ints; other floats follow
 * Python's exponent style (`1e-07`, `1e+16`) where JavaScript's differs.
 */
function pyNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  const text = String(n);
  const exponent = /e([+-])(\d+)$/.exec(text);
  if (exponent) return text.replace(/e[+-]\d+$/, `e${exponent[1]}${exponent[2]?.padStart(2, '0')}`);
  if (Math.abs(n) >= 1e16) return n.toExponential().replace(/e\+(\d)$/, 'e+0$1');
  return text;
}

function pyStringRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const code = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + quote;
}

/** Python truthiness: None, False, 0, "" and empty containers are false. */
export function pyTruthy(value: Json | undefined): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}
