/**
 * Jinja's operators with Python semantics. nunjucks compiles `and`, `==`, `+`, `%` … to the
 * JavaScript operators, which disagree with Python (`[] and 1`, `'1' == 1`, `[1] + [2]`,
 * `-7 % 3`); adapt.ts routes every operator through these instead.
 */
import { PyError } from '../errors.ts';
import { isDict, isList, pyCompare, pyContains, pyEquals, pyType, truthy } from '../python.ts';
import { pyReprValue, pyStr } from '../pystr.ts';

const isNumber = (v: unknown): v is number => typeof v === 'number' || typeof v === 'boolean';
const num = (v: unknown): number => (typeof v === 'boolean' ? (v ? 1 : 0) : (v as number));
const isInt = (v: unknown): boolean =>
  typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));

function unsupported(op: string, a: unknown, b: unknown): PyError {
  return new PyError('TypeError', `unsupported operand type(s) for ${op}: '${pyType(a)}' and '${pyType(b)}'`);
}

function undefinedOperand(value: unknown): void {
  if (value === undefined)
    throw new PyError('UndefinedError', 'an undefined value was used in an expression');
}

export function pyTruthy(value: unknown): boolean {
  undefinedOperand(value);
  return truthy(value);
}

function repeat(seq: unknown, count: number): unknown {
  if (typeof seq === 'string') return seq.repeat(Math.max(0, count));
  return Array.from({ length: Math.max(0, count) }, () => seq as unknown[]).flat();
}

/** `'%s and %d' % (a, b)`: printf-style formatting for the conversions templates use. */
function percentFormat(format: string, arg: unknown): string {
  const args = isList(arg) ? [...arg] : [arg];
  const out = format.replace(/%([-+ 0#]*\d*(?:\.\d+)?)([sdirf%])/g, (whole, _flags: string, kind: string) => {
    if (kind === '%') return '%';
    if (args.length === 0) throw new PyError('TypeError', 'not enough arguments for format string');
    const value = args.shift();
    if (kind === 's') return pyStr(value);
    if (kind === 'r') return pyReprValue(value);
    if (!isNumber(value))
      throw new PyError('TypeError', `%${kind} format: a real number is required, not ${pyType(value)}`);
    if (kind === 'f') return num(value).toFixed(6);
    return String(Math.trunc(num(value)));
  });
  if (args.length > 0) throw new PyError('TypeError', 'not all arguments converted during string formatting');
  return out;
}

export function binaryOperator(op: string, a: unknown, b: unknown): unknown {
  undefinedOperand(a);
  undefinedOperand(b);
  switch (op) {
    case '~':
      return pyStr(a) + pyStr(b);
    case '+':
      if (isNumber(a) && isNumber(b)) return num(a) + num(b);
      if (typeof a === 'string' && typeof b === 'string') return a + b;
      if (isList(a) && isList(b)) return [...a, ...b];
      if (typeof a === 'string' || isList(a)) {
        throw new PyError(
          'TypeError',
          `can only concatenate ${pyType(a)} (not "${pyType(b)}") to ${pyType(a)}`,
        );
      }
      throw unsupported('+', a, b);
    case '-':
      if (isNumber(a) && isNumber(b)) return num(a) - num(b);
      throw unsupported('-', a, b);
    case '*':
      if (isNumber(a) && isNumber(b)) return num(a) * num(b);
      if ((typeof a === 'string' || isList(a)) && isInt(b)) return repeat(a, num(b));
      if ((typeof b === 'string' || isList(b)) && isInt(a)) return repeat(b, num(a));
      throw unsupported('*', a, b);
    case '/':
      if (isNumber(a) && isNumber(b)) {
        if (num(b) === 0) throw new PyError('ZeroDivisionError', 'division by zero');
        return num(a) / num(b);
      }
      throw unsupported('/', a, b);
    case '//':
      if (isNumber(a) && isNumber(b)) {
        if (num(b) === 0) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
        return Math.floor(num(a) / num(b));
      }
      throw unsupported('//', a, b);
    case '%':
      if (typeof a === 'string') return percentFormat(a, b);
      if (isNumber(a) && isNumber(b)) {
        if (num(b) === 0) throw new PyError('ZeroDivisionError', 'integer division or modulo by zero');
        return num(a) - num(b) * Math.floor(num(a) / num(b));
      }
      throw unsupported('%', a, b);
    case '**':
      if (isNumber(a) && isNumber(b)) return num(a) ** num(b);
      throw unsupported('** or pow()', a, b);
    default:
      throw new PyError('TemplateSyntaxError', `unsupported operator ${op}`);
  }
}

export function negate(value: unknown): unknown {
  undefinedOperand(value);
  if (isNumber(value)) return -num(value);
  throw new PyError('TypeError', `bad operand type for unary -: '${pyType(value)}'`);
}

const COMPARE_OPS: Readonly<Record<string, string>> = {
  '==': '==',
  '===': '==',
  '!=': '!=',
  '!==': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

/** A Python comparison chain: `a < b < c` is `a < b and b < c`. */
export function compareChain(first: unknown, ...rest: unknown[]): boolean {
  let left = first;
  for (let i = 0; i + 1 < rest.length; i += 2) {
    const op = COMPARE_OPS[String(rest[i])] ?? String(rest[i]);
    const right = rest[i + 1];
    undefinedOperand(left);
    undefinedOperand(right);
    let holds: boolean;
    if (op === '==') holds = pyEquals(left, right);
    else if (op === '!=') holds = !pyEquals(left, right);
    else {
      if (left === null || right === null || (isDict(left) && isDict(right))) {
        throw new PyError(
          'TypeError',
          `'${op}' not supported between instances of '${pyType(left)}' and '${pyType(right)}'`,
        );
      }
      const order = pyCompare(left, right, op);
      holds = op === '<' ? order < 0 : op === '>' ? order > 0 : op === '<=' ? order <= 0 : order >= 0;
    }
    if (!holds) return false;
    left = right;
  }
  return true;
}

export function contains(item: unknown, container: unknown): boolean {
  undefinedOperand(item);
  undefinedOperand(container);
  return pyContains(container, item);
}
