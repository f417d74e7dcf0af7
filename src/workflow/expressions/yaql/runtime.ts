/**
 * What YAQL functions see: lazily evaluated arguments (yaql passes lambdas such as `select($.a)`
 * unevaluated) and the errors yaql raises when no function matches a call.
 */
import { PyError } from '../errors.ts';
import type { ExpressionFunction } from '../types.ts';

/**
 * An argument not yet evaluated. `lazy()` evaluates it where it was written; `lazy(x, y)`
 * evaluates it as a lambda with `$`/`$1` bound to `x` and `$2` to `y`.
 */
export type Lazy = (...bound: unknown[]) => unknown;

export interface Call {
  readonly name: string;
  /** Called as `receiver.name(…)`: the receiver is the first positional argument. */
  readonly method: boolean;
  readonly positional: readonly Lazy[];
  readonly named: ReadonlyMap<string, Lazy>;
}

export type YaqlFunction = (call: Call) => unknown;

/** Workflow variables and caller-supplied functions, as the evaluator receives them. */
export interface Environment {
  readonly vars: Readonly<Record<string, unknown>>;
  readonly functions: Readonly<Record<string, ExpressionFunction>>;
}

export function unknownFunction(name: string): PyError {
  return new PyError('NoFunctionRegisteredException', `Unknown function "${name}"`);
}

export function noMatch(call: Pick<Call, 'name' | 'method'>, receiver?: unknown): PyError {
  if (call.method) {
    return new PyError(
      'NoMatchingMethodException',
      `No method "${call.name}" for receiver ${String(receiverText(receiver))} matches supplied arguments`,
    );
  }
  return new PyError('NoMatchingFunctionException', `No function "${call.name}" matches supplied arguments`);
}

function receiverText(receiver: unknown): string {
  if (receiver === null || receiver === undefined) return 'None';
  if (typeof receiver === 'string') return receiver;
  return JSON.stringify(receiver);
}
