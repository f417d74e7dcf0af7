/**
 * Orquesta's inline parameters: `action: core.local cmd="echo hi" timeout=10` and
 * `publish: a=<% result() %> b=1`. Values are quoted strings, brackets, numbers, booleans, null or
 * one expression; unquoted values are JSON-decoded when they can be, as Orquesta does.
 */

const EXPRESSION = String.raw`<%.*?%>|\{\{.*?\}\}|\{%.*?%\}`;
const VALUE = [
  String.raw`\[.*\]\s*`,
  String.raw`"[^"]*"\s*`,
  String.raw`'[^']*'\s*`,
  String.raw`[-]?\d*\.\d+`,
  String.raw`[-]?\d+`,
  '[Tt][Rr][Uu][Ee]',
  '[Ff][Aa][Ll][Ss][Ee]',
  'null',
  EXPRESSION,
].join('|');
const INLINE_PARAM = new RegExp(String.raw`(\w+)=(${VALUE})`, 'g');
const QUOTED = /"[^"]*"\s*|'[^']*'\s*/;

/** The `key=value` pairs in `text`, in order (an empty list when there are none). */
export function parseInlineParams(text: string): [string, unknown][] {
  const params: [string, unknown][] = [];
  for (const match of text.matchAll(INLINE_PARAM)) {
    const key = match[1] ?? '';
    let raw = (match[2] ?? '').trim();
    const quoted = QUOTED.test(raw);
    raw = raw.replace(/^"/, '').replace(/"$/, '').replace(/^'/, '').replace(/'$/, '');
    const isJsonObject = raw.startsWith('{') && raw.endsWith('}');
    let value: unknown = raw;
    if (raw !== '' && !(quoted && !isJsonObject)) {
      const lowered = /^(true|false)$/i.test(raw) ? raw.toLowerCase() : raw;
      try {
        value = JSON.parse(lowered);
      } catch {
        value = raw;
      }
    }
    params.push([key, value]);
  }
  return params;
}
