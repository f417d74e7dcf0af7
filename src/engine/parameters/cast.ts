/**
 * Casting parameter values to their declared type (spec §6.3), with the semantics of the Python
 * built-ins StackStorm uses (`int()`, `float()`, `ast.literal_eval`, `json.loads`) and their error
 * messages, which reach clients as faultstrings.
 */
import { ValidationError } from '../../domain/errors.ts';
import { pyRepr, pyStr, pyTypeName } from '../../domain/pyrepr.ts';
import type { Json, ParameterSpec } from '../../domain/types.ts';
import { PyLiteralError, pyLiteralEval } from './py-literal.ts';

/** What st2 clients send to mean "None" for a parameter. */
export const MAGIC_NONE = '%*****__%NONE%__*****%';

type Cast = (value: Json) => Json;

const CASTS: Readonly<Record<string, Cast>> = {
  string: castString,
  integer: pyInt,
  number: pyFloat,
  boolean: castBoolean,
  object: castStructure,
  array: castStructure,
};

/** The declared type of a spec: the first one when `type` is a list. */
export function declaredType(spec: ParameterSpec | undefined): string | undefined {
  const type = spec?.type;
  const first = Array.isArray(type) ? type[0] : type;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/**
 * Casts `value` to the type `spec` declares. Null, untyped parameters and types without a cast
 * (`null`, unknown names) pass through unchanged. Throws `ValidationError` on failure.
 */
export function castParameter(value: Json, spec: ParameterSpec | undefined): Json {
  if (value === null) return value;
  const type = declaredType(spec);
  const cast =
    type !== undefined && Object.prototype.hasOwnProperty.call(CASTS, type) ? CASTS[type] : undefined;
  if (!cast) return value;
  if (value === MAGIC_NONE) return null;
  return cast(value);
}

function castString(value: Json): Json {
  if (typeof value === 'string') return value;
  throw new ValidationError(
    `Value "${pyStr(value)}" must either be a string or None. Got "${pyTypeName(value)}".`,
  );
}

const INT_LITERAL = /^[+-]?\d(?:_?\d)*$/;

/** Python's `int(value)`: bools count, floats truncate, strings must be base-10 digits. */
export function pyInt(value: Json): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Math.trunc(value) || 0;
  if (typeof value === 'string') {
    const text = value.trim();
    if (INT_LITERAL.test(text)) return Number(text.replace(/_/g, '')) || 0;
    throw new ValidationError(`invalid literal for int() with base 10: ${pyRepr(value)}`);
  }
  throw new ValidationError(
    `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(value)}'`,
  );
}

const FLOAT_LITERAL = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const FLOAT_SPECIAL = /^[+-]?(?:inf|infinity|nan)$/i;

/** Python's `float(value)`. Infinity and NaN are refused: a JSON document cannot hold them. */
export function pyFloat(value: Json): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const text = value.trim();
    const parsed = FLOAT_LITERAL.test(text) ? Number(text.replace(/_/g, '')) : undefined;
    if (parsed !== undefined && Number.isFinite(parsed)) return parsed;
    if (parsed !== undefined || FLOAT_SPECIAL.test(text)) {
      throw new ValidationError('Out of range float values are not JSON compliant');
    }
    throw new ValidationError(`could not convert string to float: ${pyRepr(value)}`);
  }
  throw new ValidationError(`float() argument must be a string or a real number, not '${pyTypeName(value)}'`);
}

/**
 * StackStorm literal-evaluates the capitalised string: `"true"`/`"FALSE"` become booleans, but
 * `"1"` becomes the integer 1 (and later fails schema validation as not a boolean).
 */
function castBoolean(value: Json): Json {
  if (typeof value !== 'string') return value;
  return literal(capitalize(value));
}

/** Object/array strings: JSON first, then a Python literal (what a Jinja render of a dict gives). */
function castStructure(value: Json): Json {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as Json;
  } catch {
    return literal(value);
  }
}

function literal(text: string): Json {
  try {
    return pyLiteralEval(text);
  } catch (err) {
    if (err instanceof PyLiteralError) throw new ValidationError(err.message);
    throw err;
  }
}

/** Python's `str.capitalize()`. */
function capitalize(text: string): string {
  const [first = '', ...rest] = [...text];
  return first.toUpperCase() + rest.join('').toLowerCase();
}
