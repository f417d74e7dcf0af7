/**
 * Workflow inspection as StackStorm reports it (at registration, at start, and from
 * `POST /api/v1/workflows/inspect`): a flat list of `{type, message, spec_path, schema_path}`
 * entries — `syntax`, `semantic`, `expression` and `context` from Orquesta, `content` from
 * StackStorm's own checks of each task's action — sorted by type, then schema path.
 */
import { inspectContext, inspectExpressions } from './inspect-context.ts';
import { inspectSemantics } from './inspect-semantics.ts';
import { inspectSyntax } from './inspect-syntax.ts';
import { loadWorkflowSpec, parseDefinition } from './load-spec.ts';
import { hasExpressions } from '../expressions/index.ts';

export interface InspectionError {
  readonly type: 'syntax' | 'semantic' | 'expression' | 'context' | 'content';
  readonly message: string;
  readonly spec_path: string | null;
  readonly schema_path: string | null;
  /** For expression and context errors: the language (`yaql`, `jinja`, or null when mixed). */
  readonly language?: 'yaql' | 'jinja' | null;
  readonly expression?: string;
}

/** An action's parameters (runner's and action's merged), as the catalogue knows them. */
export interface ActionParameters {
  readonly [name: string]: { readonly required?: boolean; readonly default?: unknown };
}

export interface InspectOptions {
  /** Variables the workflow can read besides input and vars (StackStorm passes `st2`, `parent`). */
  readonly knownVariables?: readonly string[];
  /** Looks an action up for the content checks; undefined: the action is not registered. Omit to skip. */
  readonly lookupAction?: (ref: string) => ActionParameters | undefined;
}

const TASK_SCHEMA_PATH = 'properties.tasks.patternProperties.^\\w+$';

/** Every problem with `definition` (YAML text or parsed); an empty list when it can run. */
export function inspectWorkflow(definition: unknown, options: InspectOptions = {}): InspectionError[] {
  let raw: unknown;
  try {
    raw = parseDefinition(definition);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return [{ type: 'syntax', message, spec_path: null, schema_path: null }];
  }
  const bySchemaThenSpec = <T extends { schema_path: string | null; spec_path: string | null }>(
    a: T,
    b: T,
  ): number => compare(a.schema_path, b.schema_path) || compare(a.spec_path, b.spec_path);
  const errors: InspectionError[] = [];
  errors.push(
    ...inspectSyntax(raw)
      .sort(bySchemaThenSpec)
      .map((e) => ({ type: 'syntax' as const, ...e })),
  );
  // The rest reads the typed spec; a definition without tasks has nothing more to check.
  const tasks = (raw as { tasks?: unknown } | null)?.tasks;
  if (raw === null || typeof raw !== 'object' || tasks === null || typeof tasks !== 'object') return errors;
  const spec = loadWorkflowSpec(raw);
  errors.push(
    ...inspectSemantics(spec)
      .sort(bySchemaThenSpec)
      .map((e) => ({ type: 'semantic' as const, ...e })),
  );
  const asEntry = (type: 'expression' | 'context') => (e: ReturnType<typeof inspectExpressions>[number]) => ({
    type,
    language: e.type,
    expression: e.expression,
    message: e.message,
    spec_path: e.spec_path,
    schema_path: e.schema_path,
  });
  errors.push(...inspectExpressions(spec).sort(bySchemaThenSpec).map(asEntry('expression')));
  errors.push(
    ...inspectContext(spec, options.knownVariables ?? ['st2', 'parent'])
      .sort(bySchemaThenSpec)
      .map(asEntry('context')),
  );
  if (options.lookupAction) errors.push(...inspectContents(spec, options.lookupAction));
  // Python's sort is stable, and so is ours: within a type and schema path the order above holds.
  return errors.sort((a, b) => compare(a.type, b.type) || compare(a.schema_path, b.schema_path));
}

/** StackStorm's checks of each task's action reference and input against the action catalogue. */
function inspectContents(
  spec: ReturnType<typeof loadWorkflowSpec>,
  lookupAction: (ref: string) => ActionParameters | undefined,
): InspectionError[] {
  const errors: InspectionError[] = [];
  for (const [name, task] of Object.entries(spec.tasks)) {
    const ref = task.action;
    if (!ref || hasExpressions(ref)) continue;
    const actionPath = {
      spec_path: `tasks.${name}.action`,
      schema_path: `${TASK_SCHEMA_PATH}.properties.action`,
    };
    if (!/^[^.]+\..+$/.test(ref)) {
      errors.push({
        type: 'content',
        message: `The action reference "${ref}" is not formatted correctly.`,
        ...actionPath,
      });
      continue;
    }
    const parameters = lookupAction(ref);
    if (!parameters) {
      errors.push({
        type: 'content',
        message: `The action "${ref}" is not registered in the database.`,
        ...actionPath,
      });
      continue;
    }
    const input = task.input ?? {};
    if (typeof input !== 'object' || Array.isArray(input)) continue;
    for (const [param, meta] of Object.entries(parameters)) {
      if (meta.required === true && meta.default === undefined && !Object.hasOwn(input, param)) {
        errors.push({
          type: 'content',
          message: `Action "${ref}" is missing required input "${param}".`,
          spec_path: `tasks.${name}.input`,
          schema_path: `${TASK_SCHEMA_PATH}.properties.input`,
        });
      }
    }
    for (const param of Object.keys(input)) {
      if (Object.hasOwn(parameters, param)) continue;
      errors.push({
        type: 'content',
        message: `Action "${ref}" has unexpected input "${param}".`,
        spec_path: `tasks.${name}.input.${param}`,
        schema_path: `${TASK_SCHEMA_PATH}.properties.input.patternProperties.^\\w+$`,
      });
    }
  }
  return errors;
}

function compare(a: string | null, b: string | null): number {
  const x = a ?? '';
  const y = b ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}
