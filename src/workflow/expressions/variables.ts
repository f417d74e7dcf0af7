/**
 * Variables an expression reads through `ctx`, found the way Orquesta finds them: by pattern, in
 * both languages (`ctx().x`, `ctx(x)`, `ctx('x')`, `ctx("x")`). The workflow inspector reports
 * those not defined by input, vars or an earlier publish.
 */
import { JINJA_INLINE } from './jinja/evaluate.ts';
import { YAQL_EXPRESSION } from './yaql/text.ts';

const REF = `[\\][a-zA-Z0-9_'"\\.()]*`;
const CTX_REFERENCE = new RegExp(`\\bctx\\(['"]?${REF}['"]?\\)\\.?${REF}`, 'g');
const NAME = '[a-zA-Z0-9_-]+';
const EXTRACTORS = [
  new RegExp(`(?<=\\bctx\\(\\)\\.)(${NAME})\\b(?!\\()\\.?`),
  new RegExp(`(?:\\bctx\\((${NAME})\\))`),
  new RegExp(`(?:\\bctx\\('(${NAME})'\\))`),
  new RegExp(`(?:\\bctx\\("(${NAME})"\\))`),
];

export interface VariableReference {
  readonly type: 'yaql' | 'jinja';
  /** The whole string the reference was found in. */
  readonly expression: string;
  readonly name: string;
}

function referencesIn(text: string): VariableReference[] {
  const out: VariableReference[] = [];
  for (const [type, pattern, strip] of [
    ['yaql', YAQL_EXPRESSION, /^[<%>]+|[<%>]+$/g],
    ['jinja', JINJA_INLINE, /^[{}]+|[{}]+$/g],
  ] as const) {
    for (const expr of text.match(pattern) ?? []) {
      const body = expr.replace(strip, '').trim();
      for (const ref of body.match(CTX_REFERENCE) ?? []) {
        for (const extractor of EXTRACTORS) {
          const name = extractor.exec(ref.trim())?.[1];
          if (name) out.push({ type, expression: text, name });
        }
      }
    }
  }
  return out;
}

/** Every `ctx` reference inside `value` (strings, array items, object keys and values). */
export function findReferences(value: unknown): VariableReference[] {
  const found: VariableReference[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') found.push(...referencesIn(v));
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      for (const [k, item] of Object.entries(v)) {
        walk(k);
        walk(item);
      }
    }
  };
  walk(value);
  const unique = new Map(found.map((r) => [`${r.type}\u0000${r.expression}\u0000${r.name}`, r]));
  return [...unique.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
