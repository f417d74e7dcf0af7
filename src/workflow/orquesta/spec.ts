/**
 * The Orquesta workflow language, version 1.0, as typed structures.
 *
 * Terminology (Orquesta's): a *workflow* has *tasks*; a task runs an *action* (or none) and, once
 * completed, evaluates its *transitions* (`next`) in order: `when` decides, `publish` adds to the
 * context, `do` names the tasks (or the `fail` / `noop` / `continue` / `retry` directives) to run.
 * A *join* task waits for its inbound branches; a *with-items* task runs its action once per item.
 */

/** Names that are directives to the engine, not tasks (Orquesta's ENGINE_EVENT_MAP). */
export const DIRECTIVES = ['continue', 'fail', 'noop', 'retry'] as const;
export type Directive = (typeof DIRECTIVES)[number];

export function isDirective(name: string): name is Directive {
  return (DIRECTIVES as readonly string[]).includes(name);
}

/** One `{name: expression}` entry of `vars`, `input` (with a default), `output` or `publish`. */
export interface NamedValue {
  readonly name: string;
  readonly value: unknown;
  /** False for a bare input name (`input: [cmd]`), which defaults to null. */
  readonly hasDefault: boolean;
}

export interface TransitionSpec {
  readonly when: string | undefined;
  readonly publish: readonly NamedValue[];
  /** The task names or directives to run; `continue` when the transition has no `do`. */
  readonly do: readonly string[];
}

export interface ItemsSpec {
  /** The list expression, e.g. `<% ctx(hosts) %>`. */
  readonly items: string;
  /** `x, y in <% zip(...) %>` names each item's fields; empty for a bare list expression. */
  readonly keys: readonly string[];
  readonly concurrency: string | number | undefined;
}

export interface RetrySpec {
  readonly when: string | undefined;
  readonly count: string | number;
  readonly delay: string | number | undefined;
}

export interface TaskSpec {
  readonly name: string;
  /** The action reference (possibly an expression); undefined for an action-less task. */
  readonly action: string | undefined;
  /** Action input: a mapping of values (expressions allowed), or one expression string. */
  readonly input: Readonly<Record<string, unknown>> | string | undefined;
  readonly next: readonly TransitionSpec[];
  /** `all` waits for every inbound branch; a number waits for that many. */
  readonly join: 'all' | number | undefined;
  readonly with: ItemsSpec | undefined;
  readonly retry: RetrySpec | undefined;
  readonly delay: string | number | undefined;
}

export interface WorkflowSpec {
  readonly version: string;
  readonly description: string | undefined;
  readonly input: readonly NamedValue[];
  readonly vars: readonly NamedValue[];
  readonly output: readonly NamedValue[];
  /** Tasks in definition order. */
  readonly tasks: Readonly<Record<string, TaskSpec>>;
}
