/** yaql's conversion and math functions (`common.py`, `math.py`, `queries.py` ranges). */
import { PyError } from '../../errors.ts';
import { define, isInt, isNumber, isString, NO_MATCH, type Library } from './define.ts';
import { truthy } from '../../python.ts';

/** Python's `int()` of a string: optional sign, digits, underscores between digits, whitespace. */
function parseIntText(text: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?\d+(?:_\d+)*$/.test(trimmed)) {
    throw new PyError('ValueError', `invalid literal for int() with base 10: '${text}'`);
  }
  return Number(trimmed.replace(/_/g, ''));
}

function parseFloatText(text: string): number {
  const trimmed = text.trim().toLowerCase();
  if (/^[+-]?(?:inf|infinity)$/.test(trimmed)) return trimmed.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(trimmed)) return NaN;
  if (!/^[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:e[+-]?\d+)?$/.test(trimmed)) {
    throw new PyError('ValueError', `could not convert string to float: '${text}'`);
  }
  return Number(trimmed.replace(/_/g, ''));
}

export function registerCommon(lib: Library): void {
  define(lib, 'int', {
    min: 1,
    max: 1,
    fn: ([v]) => {
      if (v === null || v === undefined) return 0;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (isNumber(v)) return Math.trunc(v);
      if (isString(v)) return parseIntText(v);
      return NO_MATCH;
    },
  });
  define(lib, 'float', {
    min: 1,
    max: 1,
    fn: ([v]) => {
      if (v === null || v === undefined) return 0;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (isNumber(v)) return v;
      if (isString(v)) return parseFloatText(v);
      return NO_MATCH;
    },
  });
  define(lib, 'bool', { min: 1, max: 1, fn: ([v]) => truthy(v) });
  define(lib, 'abs', { min: 1, max: 1, fn: ([v]) => (isNumber(v) ? Math.abs(v) : NO_MATCH) });
  define(lib, 'round', {
    min: 1,
    max: 2,
    fn: ([v, digits]) => {
      if (!isNumber(v) || (digits !== undefined && !isInt(digits))) return NO_MATCH;
      const factor = 10 ** (digits ?? 0);
      return Math.round(v * factor) / factor;
    },
  });
  define(
    lib,
    'range',
    { min: 1, max: 1, fn: ([stop]) => (isInt(stop) ? pyRange(0, stop, 1) : NO_MATCH) },
    {
      min: 2,
      max: 3,
      fn: ([start, stop, step]) =>
        isInt(start) && isInt(stop) && (step === undefined || isInt(step))
          ? pyRange(start, stop, step ?? 1)
          : NO_MATCH,
    },
  );
  define(
    lib,
    'random',
    { min: 0, max: 0, fn: () => Math.random() },
    {
      min: 2,
      max: 2,
      fn: ([from, to]) =>
        isInt(from) && isInt(to) ? from + Math.floor(Math.random() * (to - from + 1)) : NO_MATCH,
    },
  );
  define(lib, 'isInteger', { min: 1, max: 1, fn: ([v]) => isInt(v) });
  define(lib, 'isNumber', { min: 1, max: 1, fn: ([v]) => isNumber(v) });
  define(lib, 'isBoolean', { min: 1, max: 1, fn: ([v]) => typeof v === 'boolean' });
  define(lib, 'coalesce', {
    min: 0,
    max: 99,
    fn: (args) => args.find((v) => v !== null && v !== undefined) ?? null,
  });
}

function pyRange(start: number, stop: number, step: number): number[] {
  if (step === 0) throw new PyError('ValueError', 'range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 10_000_000)
      throw new PyError('MemoryQuotaExceededException', 'Expression consumed too much memory');
  }
  return out;
}
