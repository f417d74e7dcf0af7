/**
 * Python's `str.format` for the replacement fields templates use: `{}`, `{0}`, `{name}`, `{{`/`}}`
 * and a format spec of `[[fill]align][sign][0][width][,][.precision][type]` with types s, d, f, %.
 */
import { PyError } from '../errors.ts';
import { isKeywords } from '../types.ts';
import { pyStr } from '../pystr.ts';

const SPEC = /^(?:(.)?([<>^=]))?([+\- ])?(0)?(\d+)?(,)?(?:\.(\d+))?([sdf%])?$/s;

function applySpec(value: unknown, spec: string): string {
  if (spec === '') return pyStr(value);
  const m = SPEC.exec(spec);
  if (!m) throw new PyError('ValueError', `Invalid format specifier '${spec}'`);
  const [, fillChar, align, sign, zero, width, comma, precision, type] = m;
  let text: string;
  if (type === 'd' || type === 'f' || type === '%' || (type === undefined && typeof value === 'number')) {
    if (typeof value !== 'number') {
      throw new PyError(
        'ValueError',
        `Unknown format code '${type ?? ''}' for object of type '${typeof value === 'string' ? 'str' : 'object'}'`,
      );
    }
    const n = type === '%' ? value * 100 : value;
    if (type === 'd' && !Number.isInteger(n))
      throw new PyError('ValueError', "Unknown format code 'd' for object of type 'float'");
    const digits =
      type === 'f' || type === '%'
        ? n.toFixed(Number(precision ?? 6))
        : precision !== undefined
          ? n.toFixed(Number(precision))
          : pyStr(n);
    const [intPart = '', frac] = digits.replace('-', '').split('.');
    const grouped = comma ? intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : intPart;
    const signText = n < 0 ? '-' : sign === '+' ? '+' : sign === ' ' ? ' ' : '';
    text = signText + grouped + (frac !== undefined ? `.${frac}` : '') + (type === '%' ? '%' : '');
  } else {
    text = pyStr(value);
    if (precision !== undefined) text = text.slice(0, Number(precision));
  }
  const size = Number(width ?? 0);
  if (text.length >= size) return text;
  const fill = fillChar ?? (zero ? '0' : ' ');
  const how = align ?? (zero || typeof value === 'number' ? '>' : '<');
  const pad = size - text.length;
  if (how === '<') return text + fill.repeat(pad);
  if (how === '^') return fill.repeat(Math.floor(pad / 2)) + text + fill.repeat(Math.ceil(pad / 2));
  if (how === '=' && /^[+\- ]/.test(text)) return text.charAt(0) + fill.repeat(pad) + text.slice(1);
  return fill.repeat(pad) + text;
}

export function pyFormat(template: string, ...args: unknown[]): string {
  const last = args[args.length - 1];
  const named = isKeywords(last) ? last : undefined;
  const positional = named ? args.slice(0, -1) : args;
  let auto = 0;
  return template.replace(
    /\{\{|\}\}|\{([^{}!:]*)(?:![rs])?(?::([^{}]*))?\}/g,
    (whole, field: string | undefined, spec: string | undefined) => {
      if (whole === '{{') return '{';
      if (whole === '}}') return '}';
      const name = field ?? '';
      let value: unknown;
      if (name === '') value = positional[auto++];
      else if (/^\d+$/.test(name)) value = positional[Number(name)];
      else value = named?.[name];
      if (value === undefined) {
        throw name === '' || /^\d+$/.test(name)
          ? new PyError('IndexError', 'Replacement index out of range for positional args tuple')
          : new PyError('KeyError', `'${name}'`);
      }
      return applySpec(value, spec ?? '');
    },
  );
}
