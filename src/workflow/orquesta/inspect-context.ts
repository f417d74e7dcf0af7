/**
 * Context and expression inspection: every expression's syntax, and every variable an expression
 * reads through `ctx()` checked against what is assigned before it along the task graph (input,
 * vars, then what transitions publish), with Orquesta's messages and paths.
 */
import { findReferences, inspectSyntax as expressionSyntax } from '../expressions/index.ts';
import { startTasks } from './graph.ts';
import type { WorkflowSpec } from './spec.ts';

export interface ExpressionEntry {
  /** The language; null for a string mixing both. */
  readonly type: 'yaql' | 'jinja' | null;
  readonly expression: string;
  readonly message: string;
  readonly spec_path: string;
  readonly schema_path: string;
}

const TASK_SCHEMA_PATH = 'properties.tasks.patternProperties.^\\w+$';
/** One place in the spec holding expressions, in the order Orquesta evaluates them. */
interface Site {
  readonly value: unknown;
  readonly spec_path: string;
  readonly schema_path: string;
}

function taskSites(spec: WorkflowSpec, name: string): Site[] {
  const task = spec.tasks[name];
  if (!task) return [];
  const at = (prop: string, value: unknown): Site => ({
    value,
    spec_path: `tasks.${name}.${prop}`,
    schema_path: `${TASK_SCHEMA_PATH}.properties.${prop}`,
  });
  const sites: Site[] = [];
  if (task.delay !== undefined) sites.push(at('delay', task.delay));
  if (task.with) {
    sites.push({
      ...at('with', task.with.items),
      spec_path: `tasks.${name}.with.items`,
      schema_path: `${TASK_SCHEMA_PATH}.properties.with.properties.items`,
    });
    if (task.with.concurrency !== undefined) {
      sites.push({
        value: task.with.concurrency,
        spec_path: `tasks.${name}.with.concurrency`,
        schema_path: `${TASK_SCHEMA_PATH}.properties.with.properties.concurrency`,
      });
    }
  }
  if (task.action !== undefined) sites.push(at('action', task.action));
  if (task.input !== undefined) sites.push(at('input', task.input));
  if (task.retry) {
    for (const prop of ['when', 'count', 'delay'] as const) {
      const value = task.retry[prop];
      if (value !== undefined)
        sites.push({
          value,
          spec_path: `tasks.${name}.retry.${prop}`,
          schema_path: `${TASK_SCHEMA_PATH}.properties.retry.properties.${prop}`,
        });
    }
  }
  return sites;
}

function transitionSite(name: string, i: number, prop: string, value: unknown): Site {
  return {
    value,
    spec_path: `tasks.${name}.next[${i}].${prop}`,
    schema_path: `${TASK_SCHEMA_PATH}.properties.next.items.properties.${prop}`,
  };
}

/** Expression syntax errors, as `inspect_expressions` reports them. */
export function inspectExpressions(spec: WorkflowSpec): ExpressionEntry[] {
  const sites: Site[] = [];
  for (const prop of ['vars', 'input', 'output'] as const) {
    const values = spec[prop].map((v) => (v.hasDefault ? { [v.name]: v.value } : v.name));
    if (values.length > 0) sites.push({ value: values, spec_path: prop, schema_path: `properties.${prop}` });
  }
  for (const [name, task] of Object.entries(spec.tasks)) {
    sites.push(...taskSites(spec, name));
    task.next.forEach((t, i) => {
      if (t.when !== undefined) sites.push(transitionSite(name, i, 'when', t.when));
      if (t.publish.length > 0)
        sites.push(
          transitionSite(
            name,
            i,
            'publish',
            t.publish.map((p) => ({ [p.name]: p.value })),
          ),
        );
    });
  }
  return sites.flatMap((site) =>
    expressionSyntax(site.value).map((issue) => ({
      type: issue.type,
      expression: issue.expression,
      message: issue.message,
      spec_path: site.spec_path,
      schema_path: site.schema_path,
    })),
  );
}

/** Variables read before they are assigned, as `inspect_context` reports them. */
export function inspectContext(spec: WorkflowSpec, known: readonly string[] = []): ExpressionEntry[] {
  const errors: ExpressionEntry[] = [];
  const check = (site: Site, ctx: Set<string>): void => {
    for (const { type, expression, name } of findReferences(site.value)) {
      const base = { type, expression, spec_path: site.spec_path, schema_path: site.schema_path };
      if (name.startsWith('__')) {
        errors.push({
          ...base,
          message: `Variable "${name}" that is prefixed with double underscores is considered a private variable and cannot be referenced.`,
        });
      }
      if (!ctx.has(name))
        errors.push({ ...base, message: `Variable "${name}" is referenced before assignment.` });
    }
  };
  const rolling = new Set(known);
  const declare = (prop: 'input' | 'vars'): void => {
    spec[prop].forEach((v, i) => {
      if (v.hasDefault)
        check(
          { value: { [v.name]: v.value }, spec_path: `${prop}[${i}]`, schema_path: `properties.${prop}` },
          rolling,
        );
      rolling.add(v.name);
    });
  };
  declare('input');
  declare('vars');
  const workflowCtx = new Set(rolling);
  for (const name of inspectTasks(spec, workflowCtx, check)) rolling.add(name);
  spec.output.forEach((v, i) => {
    check(
      { value: { [v.name]: v.value }, spec_path: `output[${i}]`, schema_path: 'properties.output' },
      rolling,
    );
    rolling.add(v.name);
  });
  const seen = new Set<string>();
  return errors
    .filter((e) => {
      const key = JSON.stringify(e);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.spec_path < b.spec_path ? -1 : a.spec_path > b.spec_path ? 1 : 0));
}

/** Walks the graph from the start tasks carrying what each branch has assigned; returns everything published. */
function inspectTasks(
  spec: WorkflowSpec,
  initial: Set<string>,
  check: (site: Site, ctx: Set<string>) => void,
): Set<string> {
  const all = new Set<string>();
  const joinCtx = new Map<string, Set<string>>();
  const visitedWith = new Map<string, string>();
  const queue: { name: string; ctx: Set<string> }[] = startTasks(spec).map((name) => ({
    name,
    ctx: new Set(initial),
  }));
  const traversed = new Set<string>();
  while (queue.length > 0) {
    const { name, ctx } = queue.shift() as { name: string; ctx: Set<string> };
    traversed.add(name);
    const task = spec.tasks[name];
    if (!task) continue;
    for (const site of taskSites(spec, name)) check(site, ctx);
    task.next.forEach((t, i) => {
      const branch = new Set(ctx);
      if (t.when !== undefined) check(transitionSite(name, i, 'when', t.when), branch);
      t.publish.forEach((p, j) => {
        check(
          {
            ...transitionSite(name, i, 'publish', { [p.name]: p.value }),
            spec_path: `tasks.${name}.next[${i}].publish[${j}]`,
          },
          branch,
        );
        branch.add(p.name);
        all.add(p.name);
      });
      for (const target of t.do) {
        const next = spec.tasks[target];
        if (!next || traversed.has(target)) continue;
        if (next.join !== undefined) {
          const merged = joinCtx.get(target) ?? new Set<string>();
          for (const v of branch) merged.add(v);
          joinCtx.set(target, merged);
          queue.push({ name: target, ctx: merged });
        } else {
          const key = [...branch].sort().join(',');
          if (visitedWith.get(target) === key) continue;
          visitedWith.set(target, key);
          queue.push({ name: target, ctx: branch });
        }
      }
    });
  }
  return all;
}
