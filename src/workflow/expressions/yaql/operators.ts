/**
 * YAQL's operators over evaluated operands, each accepting the operand types yaql's standard
 * library registers it for (math, strings, collections, common): `+` adds numbers, joins strings
 * and lists and merges dicts; `*` repeats strings and lists; `/` floors for two integers
 * (Python's `//`); comparisons order numbers, strings and lists; `null` sorts first.
 */
import { PyError, PyKeyError } from '../errors.ts';
import { pyRegex } from '../functions/text.ts';
import { isDict, isList, pyCompare, pyContains, pyEquals, truthy } from '../python.ts';

function noMatch(name: string): PyError {
  return new PyError('NoMatchingFunctionException', `No function "${name}" matches supplied arguments`);
}

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

export function operator(name: string, args: readonly unknown[]): unknown {
  const [a, b] = args;
  switch (name) {
    case '#truthy':
      return truthy(a);
    case '#unary_operator_not':
      return !truthy(a);
    case '#unary_operator_-':
      if (isNumber(a)) return -a;
      throw noMatch(name);
    case '#unary_operator_+':
      if (isNumber(a)) return a;
      throw noMatch(name);
    case '#operator_+':
      return plus(a, b, name);
    case '#operator_-':
      if (isNumber(a) && isNumber(b)) return a - b;
      throw noMatch(name);
    case '#operator_*':
      return times(a, b, name);
    case '#operator_/':
      if (isNumber(a) && isNumber(b)) {
        if (b === 0)
          throw new PyError(
            'ZeroDivisionError',
            isInt(a) && isInt(b) ? 'integer division or modulo by zero' : 'float division by zero',
          );
        return isInt(a) && isInt(b) ? Math.floor(a / b) : a / b;
      }
      throw noMatch(name);
    case '#operator_mod':
      if (isNumber(a) && isNumber(b)) {
        if (b === 0) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
        return a - b * Math.floor(a / b);
      }
      throw noMatch(name);
    case '#operator_=':
      return pyEquals(a, b);
    case '#operator_!=':
      return !pyEquals(a, b);
    case '#operator_<':
    case '#operator_>':
    case '#operator_<=':
    case '#operator_>=':
      return compare(name, a, b);
    case '#operator_in':
      if (isList(b) || isDict(b) || (typeof b === 'string' && typeof a === 'string')) return pyContains(b, a);
      throw noMatch(name);
    case '#operator_=~':
    case '#operator_!~': {
      if (typeof a !== 'string' || typeof b !== 'string') throw noMatch(name);
      const found = pyRegex(b, false).test(a);
      return name === '#operator_=~' ? found : !found;
    }
    case '#indexer':
      return indexer(args);
    default:
      throw new PyError('NoFunctionRegisteredException', `Unknown function "${name}"`);
  }
}

function plus(a: unknown, b: unknown, name: string): unknown {
  if (isNumber(a) && isNumber(b)) return a + b;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (isList(a) && isList(b)) return [...a, ...b];
  if (isDict(a) && isDict(b)) return { ...a, ...b };
  throw noMatch(name);
}

function times(a: unknown, b: unknown, name: string): unknown {
  if (isNumber(a) && isNumber(b)) return a * b;
  const [seq, count] = isInt(b) ? [a, b] : [b, a];
  if (isInt(count) && typeof seq === 'string') return seq.repeat(Math.max(0, count));
  if (isInt(count) && isList(seq)) return Array.from({ length: Math.max(0, count) }, () => seq).flat();
  throw noMatch(name);
}

function compare(name: string, a: unknown, b: unknown): boolean {
  const op = name.slice('#operator_'.length);
  let order: number;
  // yaql's common.py: null is less than any other value.
  if (a === null || a === undefined || b === null || b === undefined) {
    order = (a === null || a === undefined ? 0 : 1) - (b === null || b === undefined ? 0 : 1);
  } else {
    const comparable =
      (isNumber(a) && isNumber(b)) ||
      (typeof a === 'string' && typeof b === 'string') ||
      (isList(a) && isList(b));
    if (!comparable) throw noMatch(name);
    order = pyCompare(a, b, op);
  }
  switch (op) {
    case '<':
      return order < 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    default:
      return order >= 0;
  }
}

/** `list[i]` (negative from the end), `dict[key]`, `dict[key, default]`. */
function indexer(args: readonly unknown[]): unknown {
  const [target, key, ...rest] = args;
  if (isList(target) && isInt(key) && rest.length === 0) {
    const i = key < 0 ? target.length + key : key;
    if (i < 0 || i >= target.length) throw new PyError('IndexError', 'list index out of range');
    return target[i];
  }
  if (isDict(target) && args.length >= 2 && args.length <= 3) {
    const name = typeof key === 'string' ? key : JSON.stringify(key);
    if (Object.hasOwn(target, name)) return target[name];
    if (args.length === 3) return rest[0];
    throw new PyKeyError(name);
  }
  throw noMatch('#indexer');
}
