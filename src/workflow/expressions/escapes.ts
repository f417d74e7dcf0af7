/** Python's `unicode-escape` decoding of string literals, shared by yaql's and Jinja's lexers. */
import { PYTHON_SIMPLE_ESCAPES } from '../../domain/python-escapes.ts';

/** Python's unicode-escape decoding of the escape sequences yaql recognises; others stay as written. */
export function decodeEscapes(raw: string): string {
  return raw.replace(
    /\\(U[0-9a-fA-F]{8}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|[0-7]{1,3}|[\\'"abfnrtv])/g,
    (whole, seq: string) => {
      const simple = PYTHON_SIMPLE_ESCAPES[seq];
      if (simple !== undefined) return simple;
      const kind = seq.charAt(0);
      if (kind === 'U' || kind === 'u' || kind === 'x') {
        return String.fromCodePoint(parseInt(seq.slice(1), 16));
      }
      return String.fromCodePoint(parseInt(seq, 8));
    },
  );
}

/**
 * Rewrites the string literals inside `{{ … }}` / `{% … %}` so nunjucks reads them as Jinja does:
 * nunjucks turns an unknown escape such as `\w` into `w`, where Python keeps `\w` (regex patterns
 * in st2 workflows depend on that). Each literal is decoded the Python way and re-escaped for
 * nunjucks, which only needs `\\` and the quote escaped.
 */
export function pythonStringsForNunjucks(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const open = source.slice(i, i + 2);
    if (open === '{#') {
      const end = source.indexOf('#}', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop);
      i = stop;
    } else if (open === '{{' || open === '{%') {
      const close = open === '{{' ? '}}' : '%}';
      if (/^\{%-?\s*raw\s*-?%\}/.test(source.slice(i))) {
        const end = /\{%-?\s*endraw\s*-?%\}/.exec(source.slice(i));
        const stop = end ? i + end.index + end[0].length : source.length;
        out += source.slice(i, stop);
        i = stop;
        continue;
      }
      out += open;
      i += 2;
      while (i < source.length && source.slice(i, i + 2) !== close) {
        const ch = source.charAt(i);
        if (ch === '"' || ch === "'") {
          let j = i + 1;
          while (j < source.length && source.charAt(j) !== ch) j += source.charAt(j) === '\\' ? 2 : 1;
          const decoded = decodeEscapes(source.slice(i + 1, Math.min(j, source.length)));
          out += ch + decoded.replace(/\\/g, '\\\\').split(ch).join(`\\${ch}`) + ch;
          i = j + 1;
        } else {
          out += ch;
          i++;
        }
      }
    } else {
      out += source.charAt(i);
      i++;
    }
  }
  return out;
}
