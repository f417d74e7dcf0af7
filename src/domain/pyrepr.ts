/**
 * Python renderings of JSON values. StackStorm builds many of its error messages with Python's
 * `repr()`/`str()` (jsonschema's `%r`, `'... %s' % value`) and serialises some values with
 * `json.dumps`; clients and tests compare those strings, so Squall reproduces them exactly.
 *
 * After `JSON.parse` an integral float (`5.0`) is indistinguishable from an int (`5`); we print
 * integral numbers as Python ints everywhere because that is what the JSON usually meant.
 */
import type { Json } from './types.ts';

/** Python's `repr()` of the Python object `json.loads` would build from `value`. */
export function pyRepr(value: Json): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return pyNumberRepr(value);
  if (typeof value === 'string') return pyStringRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    parts.push(`${pyStringRepr(key)}: ${pyRepr(value[key] as Json)}`);
  }
  return `{${parts.join(', ')}}`;
}

/** Python's `str()`: strings as they are, everything else as `repr()`. */
export function pyStr(value: Json): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

export type PyTypeName = 'int' | 'float' | 'bool' | 'str' | 'dict' | 'list' | 'NoneType';

/** `type(value).__name__` of the Python equivalent of `value`. */
export function pyTypeName(value: Json): PyTypeName {
  if (value === null) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  return Array.isArray(value) ? 'list' : 'dict';
}

/** A number as Python prints it: integral values as ints, the rest as `float.__repr__`. */
export function pyNumberRepr(value: number): string {
  // BigInt keeps large integers in positional notation (Python has no `1e+21` ints) and turns -0 into 0.
  if (Number.isInteger(value)) return BigInt(value).toString();
  return pyFloatRepr(value);
}

/**
 * `float.__repr__`: the shortest round-tripping digits (same as JavaScript), but Python switches to
 * scientific notation below 1e-4 and from 1e16 on, pads the exponent to two digits and always
 * keeps a fractional part.
 */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  const [mantissa = '0', expText = '0'] = value.toExponential().split('e');
  const exponent = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exponent < 0 ? '-' : '+';
    return `${sign}${body}e${expSign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fracPart = digits.slice(exponent + 1) || '0';
  return `${sign}${intPart}.${fracPart}`;
}

// Python's str.isprintable(): everything but the Unicode "Other" and "Separator" categories (ASCII
// space excepted). Unassigned code points (Cn) count as non-printable, as in Python.
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** `repr()` of a Python `str`, including Python's choice of quote character. */
export function pyStringRepr(text: string): string {
  // Python prefers single quotes and switches only when that avoids escaping.
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x7f) out += ch;
    else if (!NON_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + quote;
}

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/**
 * Python's `json.dumps(value)` with default arguments: `', '` and `': '` separators and
 * `ensure_ascii=True` (every character outside printable ASCII becomes `\uXXXX`). StackStorm
 * passes object-typed positional script arguments through it.
 */
export function pyJsonDumps(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return pyNumberRepr(value);
  }
  if (typeof value === 'string') return jsonAsciiString(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  const parts: string[] = [];
  for (const key of Object.keys(value)) {
    parts.push(`${jsonAsciiString(key)}: ${pyJsonDumps(value[key] as Json)}`);
  }
  return `{${parts.join(', ')}}`;
}

const JSON_SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** A string as Python's `json.dumps` writes it with `ensure_ascii` (the default). */
export function jsonAsciiString(text: string): string {
  let out = '"';
  // Iterating UTF-16 code units on purpose: astral characters become surrogate pairs, like Python.
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    const code = text.charCodeAt(i);
    const short = JSON_SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code < 0x20 || code > 0x7e) out += `\\u${hex(code, 4)}`;
    else out += ch;
  }
  return out + '"';
}
