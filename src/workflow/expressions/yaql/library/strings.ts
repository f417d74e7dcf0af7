/** yaql's string functions (`yaql/standard_library/strings.py`). */
import { pyStr } from '../../pystr.ts';
import { define, isInt, isString, iterable, NO_MATCH, type Library } from './define.ts';

/** yaql's `str()`: like Python's, but `null`, `true`, `false` as yaql writes them. */
export function yaqlStr(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  return pyStr(value);
}

const PY_WHITESPACE = ' \t\n\r\v\f';

function trimChars(text: string, chars: string | null | undefined, left: boolean, right: boolean): string {
  const set = chars ?? PY_WHITESPACE;
  let start = 0;
  let end = text.length;
  if (left) while (start < end && set.includes(text.charAt(start))) start++;
  if (right) while (end > start && set.includes(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Python's `str.split(sep, maxsplit)`. */
export function pySplit(text: string, sep: string | null | undefined, maxSplits = -1): string[] {
  if (sep === null || sep === undefined) {
    const parts: string[] = [];
    let rest = text.replace(/^\s+/, '');
    while (rest.length > 0) {
      if (maxSplits >= 0 && parts.length === maxSplits) {
        parts.push(rest);
        break;
      }
      const m = /\s+/.exec(rest);
      if (!m) {
        parts.push(rest);
        break;
      }
      parts.push(rest.slice(0, m.index));
      rest = rest.slice(m.index + m[0].length);
    }
    return parts;
  }
  if (sep === '') throw new Error('empty separator');
  const all = text.split(sep);
  if (maxSplits < 0 || all.length <= maxSplits + 1) return all;
  return [...all.slice(0, maxSplits), all.slice(maxSplits).join(sep)];
}

export function registerStrings(lib: Library): void {
  const str1 = (fn: (s: string, args: unknown[]) => unknown, min = 1, max = 1, names: string[] = []) => ({
    min,
    max,
    names,
    fn: (args: unknown[]) => (isString(args[0]) ? fn(args[0], args) : NO_MATCH),
  });
  define(
    lib,
    'toUpper',
    str1((s) => s.toUpperCase()),
  );
  define(
    lib,
    'toLower',
    str1((s) => s.toLowerCase()),
  );
  define(lib, 'str', { min: 1, max: 1, fn: ([v]) => yaqlStr(v) });
  define(
    lib,
    'split',
    str1(
      (s, [, sep, max]) => {
        if (sep !== undefined && sep !== null && !isString(sep)) return NO_MATCH;
        if (max !== undefined && !isInt(max)) return NO_MATCH;
        return pySplit(s, sep, max ?? -1);
      },
      1,
      3,
      ['string', 'separator', 'maxSplits'],
    ),
  );
  for (const [name, left, right] of [
    ['trim', true, true],
    ['trimLeft', true, false],
    ['trimRight', false, true],
  ] as const) {
    define(
      lib,
      name,
      str1(
        (s, [, chars]) =>
          chars === undefined || chars === null || isString(chars)
            ? trimChars(s, chars, left, right)
            : NO_MATCH,
        1,
        2,
        ['string', 'chars'],
      ),
    );
  }
  define(
    lib,
    'replace',
    str1(
      (s, [, old, replacement, count]) => {
        if (!isString(old) || !isString(replacement)) return NO_MATCH;
        const limit = count === undefined ? -1 : count;
        if (!isInt(limit)) return NO_MATCH;
        if (limit < 0) return s.split(old).join(replacement);
        const parts = s.split(old);
        return (
          parts.slice(0, limit + 1).join(replacement) +
          (parts.length > limit + 1 ? old + parts.slice(limit + 1).join(old) : '')
        );
      },
      3,
      4,
      ['string', 'old', 'new', 'count'],
    ),
  );
  define(
    lib,
    'startsWith',
    str1(
      (s, [, ...prefixes]) => (prefixes.every(isString) ? prefixes.some((p) => s.startsWith(p)) : NO_MATCH),
      2,
      99,
    ),
  );
  define(
    lib,
    'endsWith',
    str1(
      (s, [, ...suffixes]) => (suffixes.every(isString) ? suffixes.some((p) => s.endsWith(p)) : NO_MATCH),
      2,
      99,
    ),
  );
  define(
    lib,
    'substring',
    str1(
      (s, [, start, length]) => {
        if (!isInt(start) || (length !== undefined && !isInt(length))) return NO_MATCH;
        const chars = [...s];
        const from = start < 0 ? Math.max(0, chars.length + start) : start;
        const len = length === undefined || length < 0 ? chars.length : length;
        return chars.slice(from, from + len).join('');
      },
      2,
      3,
    ),
  );
  define(
    lib,
    'indexOf',
    str1(
      (s, [, sub, start]) =>
        isString(sub) && (start === undefined || isInt(start)) ? s.indexOf(sub, start ?? 0) : NO_MATCH,
      2,
      3,
    ),
    {
      min: 2,
      max: 2,
      fn: ([collection, item]) => {
        const items = iterable(collection);
        if (!items) return NO_MATCH;
        return items.findIndex((x) => x === item || JSON.stringify(x) === JSON.stringify(item));
      },
    },
  );
  define(
    lib,
    'concat',
    {
      min: 0,
      max: 99,
      fn: (args) => (args.every(isString) ? args.join('') : NO_MATCH),
    },
    {
      min: 0,
      max: 99,
      fn: (args) => {
        const lists = args.map(iterable);
        return lists.every((l) => l !== undefined) ? lists.flatMap((l) => l ?? []) : NO_MATCH;
      },
    },
  );
  define(lib, 'join', {
    min: 2,
    max: 2,
    fn: ([a, b]) => {
      const items = iterable(a);
      if (items && isString(b)) return items.map(yaqlStr).join(b);
      const other = iterable(b);
      if (other && isString(a)) return other.map(yaqlStr).join(a);
      return NO_MATCH;
    },
  });
  define(
    lib,
    'toCharArray',
    str1((s) => [...s]),
  );
  define(lib, 'isString', { min: 1, max: 1, fn: ([v]) => isString(v) });
  define(lib, 'isEmpty', {
    min: 1,
    max: 1,
    fn: ([v]) => (v === null || v === undefined ? true : isString(v) ? v.trim() === '' : NO_MATCH),
  });
  define(lib, 'norm', {
    min: 1,
    max: 1,
    fn: ([v]) => {
      if (v === null || v === undefined) return null;
      if (!isString(v)) return NO_MATCH;
      const trimmed = v.trim();
      return trimmed === '' ? null : trimmed;
    },
  });
}
