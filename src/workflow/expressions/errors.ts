/**
 * Errors of the expression module. Orquesta reports a failed expression as
 * `Unable to evaluate expression '<expr>'. <PythonClass>: <message>`, so every error raised while
 * evaluating carries the name of the Python exception class StackStorm would have raised.
 */

/** A problem found while inspecting or evaluating an expression. */
export interface ExpressionIssue {
  readonly type: 'yaql' | 'jinja';
  readonly expression: string;
  readonly message: string;
  /**
   * Set on the one issue for a string mixing both languages ("Expression with multiple types is
   * not supported."); Orquesta reports `"type": null` for it (`type` here is then `'yaql'`, the
   * language Orquesta would evaluate the string as).
   */
  readonly mixed?: true;
}

/** Thrown when an expression fails to evaluate; `message` reads as StackStorm/Orquesta's does. */
export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly issue: ExpressionIssue,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }

  /** The Orquesta exception class (`YaqlEvaluationException`, `JinjaEvaluationException`). */
  get pythonClass(): string {
    return this.issue.type === 'jinja' ? 'JinjaEvaluationException' : 'YaqlEvaluationException';
  }
}

/**
 * An error raised inside an expression with the Python exception class StackStorm reports for it
 * (`VariableUndefinedError`, `ExpressionEvaluationException`, `KeyError`, …). Context functions
 * supplied by the workflow engine should throw this so messages match Orquesta's.
 */
export class PyError extends Error {
  constructor(
    readonly pythonClass: string,
    message: string,
  ) {
    super(message);
    this.name = pythonClass;
  }
}

/** Python's `KeyError`: Orquesta turns it into "Unable to resolve key …" for YAQL. */
export class PyKeyError extends PyError {
  constructor(readonly key: string) {
    super('KeyError', `'${key}'`);
  }
}

/** The Python class name to print for any error thrown while evaluating. */
export function pythonClassOf(err: unknown): string {
  if (err instanceof PyError) return err.pythonClass;
  if (err instanceof Error && err.name !== 'Error') return err.name;
  return 'Exception';
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
