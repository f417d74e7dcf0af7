/**
 * The JSONPath subset st2's `jsonpath_query` content uses (jsonpath-rw): `$`, `.name`, `['name']`,
 * `[n]`, `[*]`, `.*` and `..name`. Anything else is refused with an error naming it.
 */
import { PyError } from '../errors.ts';

type Step =
  | { kind: 'child'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'descend'; name: string };

function parse(query: string): Step[] {
  const steps: Step[] = [];
  let rest = query.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  while (rest.length > 0) {
    let m: RegExpExecArray | null;
    if ((m = /^\.\.([A-Za-z_][\w-]*)/.exec(rest))) steps.push({ kind: 'descend', name: m[1] ?? '' });
    else if ((m = /^\.?\*/.exec(rest)) || (m = /^\[\*\]/.exec(rest))) steps.push({ kind: 'all' });
    else if ((m = /^\.?([A-Za-z_][\w-]*)/.exec(rest))) steps.push({ kind: 'child', name: m[1] ?? '' });
    else if ((m = /^\[\s*(-?\d+)\s*\]/.exec(rest))) steps.push({ kind: 'index', index: Number(m[1]) });
    else if ((m = /^\[\s*'([^']*)'\s*\]/.exec(rest)) || (m = /^\[\s*"([^"]*)"\s*\]/.exec(rest))) {
      steps.push({ kind: 'child', name: m[1] ?? '' });
    } else throw new PyError('JsonPathLexerError', `Unsupported JSONPath at: ${rest}`);
    rest = rest.slice(m[0].length);
  }
  return steps;
}

function descend(value: unknown, name: string, out: unknown[]): void {
  if (Array.isArray(value)) for (const item of value) descend(item, name, out);
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    if (Object.hasOwn(record, name)) out.push(record[name]);
    for (const v of Object.values(record)) descend(v, name, out);
  }
}

export function jsonpathQuery(value: unknown, query: unknown): unknown[] | null {
  if (typeof query !== 'string') throw new PyError('TypeError', 'query must be a string');
  let current: unknown[] = [value];
  for (const step of parse(query)) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step.kind === 'child') {
        if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, step.name)) {
          next.push((v as Record<string, unknown>)[step.name]);
        }
      } else if (step.kind === 'index') {
        if (Array.isArray(v)) {
          const i = step.index < 0 ? v.length + step.index : step.index;
          if (i >= 0 && i < v.length) next.push(v[i]);
        }
      } else if (step.kind === 'all') {
        if (Array.isArray(v)) next.push(...v);
        else if (typeof v === 'object' && v !== null) next.push(...Object.values(v));
      } else descend(v, step.name, next);
    }
    current = next;
  }
  return current.length > 0 ? current : null;
}
