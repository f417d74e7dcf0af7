/**
 * Python `re.search` semantics on top of JavaScript regular expressions. Schema `pattern`s and
 * `patternProperties` in StackStorm content are written for Python's `re`, so the few constructs
 * whose meaning differs are rewritten before compiling:
 *
 * - `$` (without MULTILINE) also matches just before a final newline in Python;
 * - `\Z` / `\A` are Python's absolute anchors;
 * - `(?P<name>…)` / `(?P=name)` are Python's named groups;
 * - leading inline flags such as `(?i)` become JavaScript flags.
 *
 * The `u` flag is deliberately not used: it rejects identity escapes like `\-` that Python accepts
 * (StackStorm's own timestamp pattern uses them).
 */
import { InternalError } from '../errors.ts';

const cache = new Map<string, RegExp>();
const CACHE_LIMIT = 1000;

/** Whether Python's `re.search(pattern, text)` finds a match. */
export function pySearch(pattern: string, text: string): boolean {
  return compilePyRegex(pattern).test(text);
}

/** Compiles (and caches) a Python regular expression; invalid patterns throw `InternalError`. */
export function compilePyRegex(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let compiled: RegExp;
  try {
    const { source, flags } = translate(pattern);
    compiled = new RegExp(source, flags);
  } catch (err) {
    // A broken pattern is a defect in the schema, not in the instance being validated.
    throw new InternalError(`Invalid regular expression ${JSON.stringify(pattern)}`, { cause: err });
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(pattern, compiled);
  return compiled;
}

const INLINE_FLAGS = /^\(\?([aiLmsux]+)\)/;

function translate(pattern: string): { source: string; flags: string } {
  let rest = pattern;
  let flags = '';
  const inline = INLINE_FLAGS.exec(rest);
  if (inline) {
    for (const f of inline[1] ?? '') {
      if ((f === 'i' || f === 'm' || f === 's') && !flags.includes(f)) flags += f;
    }
    rest = rest.slice(inline[0].length);
  }
  const multiline = flags.includes('m');
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest.charAt(i);
    if (ch === '\\') {
      const next = rest.charAt(i + 1);
      i++;
      if (!inClass && next === 'Z') out += '$(?![\\s\\S])';
      else if (!inClass && next === 'A') out += '^';
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A `]` right after `[` or `[^` is a literal in both dialects; copy it so it does not close.
      if (rest.charAt(i + 1) === '^') out += rest.charAt(++i);
      if (rest.charAt(i + 1) === ']') out += rest.charAt(++i);
      continue;
    }
    if (ch === '$' && !multiline) {
      out += '(?=\\n?$(?![\\s\\S]))';
      continue;
    }
    if (rest.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (rest.startsWith('(?P=', i)) {
      const close = rest.indexOf(')', i);
      if (close > i) {
        out += `\\k<${rest.slice(i + 4, close)}>`;
        i = close;
        continue;
      }
    }
    out += ch;
  }
  return { source: out, flags };
}
