/** How an execution reads in a terminal: a status line, key-value fields, the result as YAML. */
import { statusPaint } from './format/colour.ts';
import { indent, yaml, type Output } from './format/output.ts';
import { absoluteTime, elapsed, relativeTime } from './format/time.ts';

export type Doc = Record<string, unknown>;

/** A dotted path into a document: `action.ref`, `context.user`. */
export function pick(doc: unknown, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

export const text = (value: unknown): string =>
  value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);

export function statusText(out: Output, doc: Doc): string {
  const status = text(doc['status']);
  return statusPaint(out.colours, status)(status);
}

/** "✔ succeeded  core.local  6b0b…  0.4s" — the line `run` ends with. */
export function statusLine(out: Output, doc: Doc): string {
  const status = text(doc['status']);
  const mark = status === 'succeeded' ? '✔' : ['failed', 'timeout', 'abandoned'].includes(status) ? '✖' : '•';
  const took = elapsed(doc['start_timestamp'], doc['end_timestamp'], out.now());
  const paint = statusPaint(out.colours, status);
  return `${paint(`${mark} ${status}`)}  ${out.colours.bold(text(pick(doc, 'action.ref')))}  ${out.colours.dim(
    `${text(doc['id'])}${took ? `  ${took}` : ''}`,
  )}\n`;
}

function block(label: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object' && Object.keys(value).length === 0) return `${label}: {}\n`;
  if (typeof value !== 'object') return `${label}: ${text(value)}\n`;
  return `${label}:\n${indent(yaml(value))}\n`;
}

/** The result, without the stdout/stderr a live run has already shown. */
export function resultBlock(result: unknown, omitStreams: boolean): string {
  if (omitStreams && typeof result === 'object' && result !== null && !Array.isArray(result)) {
    const rest = { ...(result as Doc) };
    delete rest['stdout'];
    delete rest['stderr'];
    return block('result', rest);
  }
  return block('result', result);
}

export function executionFields(out: Output, doc: Doc, details: boolean): string {
  const c = out.colours;
  const now = out.now();
  const row = (label: string, value: string): string =>
    value === '' ? '' : `${c.dim(`${label}:`.padEnd(11))} ${value}\n`;
  const when = (field: string): string =>
    doc[field] ? `${absoluteTime(doc[field])} ${c.dim(`(${relativeTime(doc[field], now)})`)}` : '';
  const took = elapsed(doc['start_timestamp'], doc['end_timestamp'], now);
  let lines =
    row('id', text(doc['id'])) +
    row('action', text(pick(doc, 'action.ref'))) +
    row('status', `${statusText(out, doc)}${took ? c.dim(` (${took})`) : ''}`) +
    row('user', text(pick(doc, 'context.user'))) +
    row('started', when('start_timestamp')) +
    row('ended', when('end_timestamp'));
  if (details) {
    lines +=
      row('runner', text(pick(doc, 'runner.name') ?? pick(doc, 'action.runner_type'))) +
      row('parent', text(doc['parent'])) +
      row('delay', text(doc['delay'])) +
      row('web url', text(doc['web_url']));
    const children = doc['children'];
    if (Array.isArray(children) && children.length > 0)
      lines += row('children', children.map(text).join(', '));
  }
  lines += block('parameters', doc['parameters'] ?? {});
  if (details) {
    lines += block('context', doc['context']);
    const log = doc['log'];
    if (Array.isArray(log) && log.length > 0) {
      lines += 'log:\n';
      for (const entry of log) {
        const e = entry as Doc;
        lines += `  ${absoluteTime(e['timestamp'])}  ${statusPaint(c, text(e['status']))(text(e['status']))}\n`;
      }
    }
  }
  return lines + resultBlock(doc['result'], false);
}
