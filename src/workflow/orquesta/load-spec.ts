/**
 * Turns an Orquesta definition (YAML text or an already-parsed object) into the typed
 * `WorkflowSpec`, resolving Orquesta's shorthands: inline action parameters, `publish` as a
 * `k=v` string, `do` as a comma-separated string, `with` as a bare items expression.
 *
 * The loader is lenient: it assumes the definition passed `inspectWorkflow` and never throws on
 * a shape it does not know (inspection is where problems are reported).
 */
import { parse as parseYaml } from 'yaml';
import { parseInlineParams } from './inline-params.ts';
import type { ItemsSpec, NamedValue, RetrySpec, TaskSpec, TransitionSpec, WorkflowSpec } from './spec.ts';

/** Parses YAML text (or passes an object through); throws the YAML parser's error on bad text. */
export function parseDefinition(definition: unknown): unknown {
  return typeof definition === 'string' ? (parseYaml(definition) as unknown) : definition;
}

export function loadWorkflowSpec(definition: unknown): WorkflowSpec {
  const raw = asRecord(parseDefinition(definition));
  const tasks: Record<string, TaskSpec> = {};
  for (const [name, value] of Object.entries(asRecord(raw['tasks']))) {
    tasks[name] = loadTask(name, asRecord(value));
  }
  return {
    version: String(raw['version'] ?? '1.0'),
    description: typeof raw['description'] === 'string' ? raw['description'] : undefined,
    input: namedValues(raw['input']),
    vars: namedValues(raw['vars']),
    output: namedValues(raw['output']),
    tasks,
  };
}

function loadTask(name: string, raw: Record<string, unknown>): TaskSpec {
  let action = typeof raw['action'] === 'string' ? raw['action'] : undefined;
  let input = raw['input'] as TaskSpec['input'];
  // `action: core.local cmd="ls"`: the parameters after the reference replace `input`.
  if (action !== undefined) {
    const inline = parseInlineParams(action);
    if (inline.length > 0) {
      action = action.slice(0, action.indexOf(' '));
      input = Object.fromEntries(inline);
    }
  }
  const join = raw['join'];
  return {
    name,
    action,
    input: input === null ? undefined : input,
    next: Array.isArray(raw['next']) ? raw['next'].map((t) => loadTransition(asRecord(t))) : [],
    join: join === 'all' || typeof join === 'number' ? join : undefined,
    with: loadItems(raw['with']),
    retry: loadRetry(raw['retry']),
    delay: typeof raw['delay'] === 'string' || typeof raw['delay'] === 'number' ? raw['delay'] : undefined,
  };
}

function loadTransition(raw: Record<string, unknown>): TransitionSpec {
  const publish = raw['publish'];
  const publishValues =
    typeof publish === 'string'
      ? parseInlineParams(publish).map(([name, value]) => ({ name, value, hasDefault: true }))
      : namedValues(publish);
  const doValue = raw['do'];
  const names =
    typeof doValue === 'string'
      ? doValue.split(',').map((s) => s.trim())
      : Array.isArray(doValue)
        ? doValue.map(String)
        : [];
  return {
    when: typeof raw['when'] === 'string' ? raw['when'] : undefined,
    publish: publishValues,
    do: names.length > 0 ? names : ['continue'],
  };
}

function loadItems(raw: unknown): ItemsSpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  const spec = typeof raw === 'string' ? { items: raw } : asRecord(raw);
  const text = typeof spec['items'] === 'string' ? spec['items'] : '';
  const at = text.indexOf(' in ');
  const concurrency = spec['concurrency'];
  return {
    items: at < 0 ? text.trim() : text.slice(at + 4).trim(),
    keys: at < 0 ? [] : text.slice(0, at).replace(/ /g, '').split(','),
    concurrency: typeof concurrency === 'string' || typeof concurrency === 'number' ? concurrency : undefined,
  };
}

function loadRetry(raw: unknown): RetrySpec | undefined {
  if (raw === undefined || raw === null) return undefined;
  const spec = asRecord(raw);
  const scalar = (v: unknown): string | number | undefined =>
    typeof v === 'string' || typeof v === 'number' ? v : undefined;
  return {
    when: typeof spec['when'] === 'string' ? spec['when'] : undefined,
    count: scalar(spec['count']) ?? 0,
    delay: scalar(spec['delay']),
  };
}

/** `[a, {b: 1}]` → named values; a bare name has no default (null). */
export function namedValues(raw: unknown): NamedValue[] {
  if (!Array.isArray(raw)) return [];
  const result: NamedValue[] = [];
  for (const entry of raw) {
    if (typeof entry === 'string') result.push({ name: entry, value: null, hasDefault: false });
    else if (entry !== null && typeof entry === 'object') {
      const [pair] = Object.entries(entry as Record<string, unknown>);
      if (pair) result.push({ name: pair[0], value: pair[1], hasDefault: true });
    }
  }
  return result;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
