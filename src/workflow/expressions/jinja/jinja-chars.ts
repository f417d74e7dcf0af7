/**
 * Characters jinja2's lexer rejects but nunjucks' accepts, reported as jinja2 reports them.
 */
const RAW_BLOCK = /\{%-?\s*raw\s*-?%\}[\s\S]*?\{%-?\s*endraw\s*-?%\}/y;

/**
 * The `$` check for one expression as Orquesta's inspection parses it (the text inside `{{ }}`, by
 * jinja2's Parser, whose error also names the line): undefined when it has no `$`.
 */
export function nonJinjaCharInExpression(expression: string): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '$') {
      const line = expression.slice(0, i).split('\n').length;
      return `unexpected char '$' at ${i}\n  line ${line}`;
    }
  }
  return undefined;
}

/**
 * Jinja's lexer knows no `$` (nunjucks takes it into names): `{{ $.x }}` is Jinja's
 * TemplateSyntaxError "unexpected char '$' at <offset>", which Orquesta reports at inspection.
 * Scans the `{{ … }}` and `{% … %}` tags outside raw blocks and quoted strings.
 */
export function rejectNonJinjaChars(source: string): void {
  let i = 0;
  while (i < source.length) {
    RAW_BLOCK.lastIndex = i;
    const raw = RAW_BLOCK.exec(source);
    if (raw) {
      i += raw[0].length;
      continue;
    }
    const open = source.slice(i, i + 2);
    if (open !== '{{' && open !== '{%') {
      i += 1;
      continue;
    }
    const close = open === '{{' ? '}}' : '%}';
    i += 2;
    let quote: string | undefined;
    for (; i < source.length; i++) {
      const c = source[i];
      if (quote) {
        if (c === '\\') i += 1;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '$') throw new Error(`unexpected char '$' at ${i}`);
      else if (source.startsWith(close, i)) {
        i += 2;
        break;
      }
    }
  }
}
