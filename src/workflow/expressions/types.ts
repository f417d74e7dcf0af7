/** Shapes shared by both expression languages. */

/**
 * A function callable from both languages, e.g. `ctx()`, `result()`, `item()`, `task('t1')`.
 * Named arguments (YAQL `f(x, decrypt => true)`, Jinja `f(x, decrypt=true)`) arrive as one
 * trailing `{ __keywords: true, decrypt: true }` object; `splitKeywords` separates them.
 */
export type ExpressionFunction = (...args: readonly unknown[]) => unknown;

/** What an expression sees while the workflow engine evaluates it. */
export interface ExpressionContext {
  /** The workflow's variables (input, vars and everything published so far): what `ctx()` reads. */
  readonly vars: Readonly<Record<string, unknown>>;
  /**
   * The context functions Orquesta provides beyond `ctx()` — `result`, `item`, `task`, `succeeded`,
   * `failed`, `completed`, `task_status`, `st2kv` … — supplied by the caller for this evaluation.
   */
  readonly functions: Readonly<Record<string, ExpressionFunction>>;
}

export interface Keywords {
  readonly __keywords: true;
  readonly [name: string]: unknown;
}

export function isKeywords(value: unknown): value is Keywords {
  return (
    typeof value === 'object' && value !== null && (value as { __keywords?: unknown }).__keywords === true
  );
}

/** Splits an `ExpressionFunction`'s arguments into positional ones and named ones. */
export function splitKeywords(args: readonly unknown[]): {
  positional: unknown[];
  named: Record<string, unknown>;
} {
  const last = args[args.length - 1];
  if (!isKeywords(last)) return { positional: [...args], named: {} };
  const named: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(last)) if (k !== '__keywords') setKey(named, k, v);
  return { positional: args.slice(0, -1), named };
}

/**
 * `target[key] = value` that also works for the key `__proto__` (an assignment would replace the
 * object's prototype instead of adding the key, which data from workflows must never do).
 */
export function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
