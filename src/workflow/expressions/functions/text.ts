/** st2's path, regex, time and version functions (`st2common/expressions/functions/`). */
import { pyStr } from '../pystr.ts';
import { PyError } from '../errors.ts';

const asText = (v: unknown): string => (typeof v === 'string' ? v : pyStr(v));

/** `os.path.basename` / `os.path.dirname` (POSIX). */
export function basename(path: unknown): string {
  const p = asText(path);
  return p.slice(p.lastIndexOf('/') + 1);
}

export function dirname(path: unknown): string {
  const p = asText(path);
  const head = p.slice(0, p.lastIndexOf('/') + 1);
  return head && head !== '/'.repeat(head.length) ? head.replace(/\/+$/, '') : head;
}

/** A Python `re` pattern as a JavaScript RegExp (named groups, flags). */
export function pyRegex(pattern: unknown, ignorecase: unknown, extra = ''): RegExp {
  if (typeof pattern !== 'string')
    throw new PyError('TypeError', 'first argument must be string or compiled pattern');
  const source = pattern
    .replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>')
    .replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>');
  try {
    return new RegExp(source, (ignorecase === true ? 'i' : '') + extra);
  } catch (err) {
    throw new PyError('error', err instanceof Error ? err.message : String(err));
  }
}

export function regexMatch(value: unknown, pattern: unknown, ignorecase?: unknown): boolean {
  return pyRegex(pattern, ignorecase, 'y').test(asText(value));
}

export function regexSearch(value: unknown, pattern: unknown, ignorecase?: unknown): boolean {
  return pyRegex(pattern, ignorecase).test(asText(value));
}

export function regexReplace(
  value: unknown,
  pattern: unknown,
  replacement: unknown,
  ignorecase?: unknown,
): string {
  if (typeof replacement !== 'string') throw new PyError('TypeError', 'expected str or bytes-like object');
  // Python's `\1` / `\g<name>` back-references; a literal `$` must not be read as JavaScript's.
  const js = replacement
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\w+)>/g, (_m, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`))
    .replace(/\\(\d{1,2})/g, '$$$1')
    .replace(/\\n/g, '\n')
    .replace(/\\t/g, '\t')
    .replace(/\\\\/g, '\\');
  return asText(value).replace(pyRegex(pattern, ignorecase, 'g'), js);
}

/** `re.findall(pattern, value)[index]`: whole matches, the group, or a tuple of groups. */
export function regexSubstring(
  value: unknown,
  pattern: unknown,
  resultIndex: unknown = 0,
  ignorecase?: unknown,
): unknown {
  const found: unknown[] = [];
  for (const m of asText(value).matchAll(pyRegex(pattern, ignorecase, 'g'))) {
    const groups = m.slice(1).map((g) => g ?? '');
    found.push(groups.length === 0 ? m[0] : groups.length === 1 ? groups[0] : groups);
  }
  const index = typeof resultIndex === 'number' ? resultIndex : 0;
  const item = found[index < 0 ? found.length + index : index];
  if (item === undefined) throw new PyError('IndexError', 'list index out of range');
  return item;
}

/** st2's fuzzy duration: `3h25m45s`. */
export function toHumanTimeFromSeconds(seconds: unknown): unknown {
  if (typeof seconds !== 'number') throw new PyError('AssertionError', '');
  if (seconds === 0) return '0s';
  if (seconds < 1) return `${seconds}\u03BCs`;
  let rest = Math.round(seconds);
  const secs = rest % 60;
  rest = Math.floor(rest / 60);
  const mins = rest % 60;
  rest = Math.floor(rest / 60);
  const hours = rest % 24;
  let days = Math.floor(rest / 24);
  // datetime(1, 1, 1) + delta: years are 365 days until the first leap year (year 4).
  let years = 0;
  for (let year = 1; ; year++) {
    const length = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 366 : 365;
    if (days < length) break;
    days -= length;
    years++;
  }
  // Python takes `offset_date.day - 1`, the day within the month, not within the year.
  const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  const leap = ((years + 1) % 4 === 0 && (years + 1) % 100 !== 0) || (years + 1) % 400 === 0;
  if (leap) monthDays[1] = 29;
  for (const length of monthDays) {
    if (days < length) break;
    days -= length;
  }
  const parts = [years, days, hours, mins, secs];
  const first = parts.findIndex((x) => x !== 0);
  if (first < 0) return '0s';
  const shown = parts.slice(first);
  const units = ['y', 'd', 'h', 'm', 's'].slice(5 - shown.length);
  return shown.map((x, i) => `${x}${units[i] ?? ''}`).join('');
}
