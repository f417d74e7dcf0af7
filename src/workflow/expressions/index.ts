/**
 * Orquesta's expression languages — YAQL (`<% … %>`) and Jinja (`{{ … }}`, `{% … %}`) — behind one
 * seam. The Orquesta evaluator (src/workflow/orquesta/) only calls what this module exports.
 *
 * Layout: yaql/ (lexer, parser, evaluator, operators, library/ of yaql's standard functions),
 * jinja/ (nunjucks with its AST adapted to Jinja's and Python's semantics), functions/ (ctx() and
 * the functions Orquesta and st2 register for both languages), python.ts / pystr.ts (Python
 * semantics and `str()`), variables.ts (Orquesta's `ctx` reference extraction).
 *
 * NOTES FOR CALLERS (compatible additions to the lead's contract):
 * - `ExpressionIssue.mixed` is set for a string mixing both languages ("Expression with multiple
 *   types is not supported."): Orquesta reports that issue with `"type": null` — map it so.
 * - `ExpressionError.message` is Orquesta's message (`Unable to evaluate expression '<% … %>'.
 *   NoFunctionRegisteredException: Unknown function "foo"`); `pythonClass` is
 *   `YaqlEvaluationException` or `JinjaEvaluationException` — st2 shows `${pythonClass}: ${message}`.
 * - Context functions receive named arguments as one trailing `{ __keywords: true, … }` object
 *   (`splitKeywords` separates them) and should throw `PyError(pythonClass, message)` so the
 *   message names the Python exception StackStorm shows; `PyError('KeyError', "'k'")` reads as
 *   Orquesta's "Unable to resolve key 'k' …" in YAQL.
 * - `ctx()` is built in (reads `vars`, hiding names starting with `__`), as are Orquesta's `json`
 *   and `zip` and st2's `to_json_string`, `regex_*`, `version_*`, … (functions/st2.ts); caller
 *   functions of the same name win.
 * - Like Orquesta, an expression must sit on one line (`<%…%>` does not match across `\n`), and
 *   string results are evaluated again (a variable holding `<% … %>` is expanded).
 * - `inspectSyntax` also refuses yaql standard functions and Jinja filters Squall lacks, so such
 *   a workflow fails at registration rather than at run time.
 */
import { ExpressionError, type ExpressionIssue } from './errors.ts';
import { evaluateJinjaText, JINJA_BLOCK, JINJA_INLINE, validateJinjaText } from './jinja/evaluate.ts';
import { setKey, type ExpressionContext } from './types.ts';
import { findReferences } from './variables.ts';
import { evaluateYaqlText, validateYaqlText, YAQL_EXPRESSION } from './yaql/text.ts';

export { ExpressionError, PyError, type ExpressionIssue } from './errors.ts';
export { splitKeywords, type ExpressionContext, type ExpressionFunction } from './types.ts';
export { findReferences, type VariableReference } from './variables.ts';
export { NONE_MAGIC_VALUE } from './functions/st2.ts';

const MIXED = 'Expression with multiple types is not supported.';

function has(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

function languagesIn(text: string): { yaql: boolean; jinja: boolean } {
  return { yaql: has(YAQL_EXPRESSION, text), jinja: has(JINJA_INLINE, text) || has(JINJA_BLOCK, text) };
}

/** Whether `text` holds at least one expression of either language. */
export function hasExpressions(text: string): boolean {
  const { yaql, jinja } = languagesIn(text);
  return yaql || jinja;
}

/**
 * Evaluates every expression inside `value` (strings, and recursively arrays, object keys and
 * values): a string that is exactly one expression yields the expression's native value; otherwise
 * the results are interpolated into the string. Values without expressions are returned unchanged.
 * Throws `ExpressionError`.
 */
export function evaluate(value: unknown, context: ExpressionContext): unknown {
  if (typeof value === 'string') {
    const { yaql, jinja } = languagesIn(value);
    // Orquesta tries YAQL first, so a mixed string is evaluated as YAQL (inspection rejects it).
    if (yaql) return evaluateYaqlText(value, context);
    if (jinja) return evaluateJinjaText(value, context);
    return value;
  }
  if (Array.isArray(value)) return value.map((item) => evaluate(item, context));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const key = evaluate(k, context);
      setKey(out, typeof key === 'string' ? key : pyKey(key), evaluate(v, context));
    }
    return out;
  }
  return value;
}

function pyKey(key: unknown): string {
  if (key === null || key === undefined) return 'None';
  if (typeof key === 'number' || typeof key === 'boolean') return JSON.stringify(key);
  const message = "unhashable type: 'dict'";
  throw new ExpressionError(message, { type: 'yaql', expression: String(key), message });
}

/** Syntax problems in every expression inside `value` (an empty list when all parse). */
export function inspectSyntax(value: unknown): ExpressionIssue[] {
  if (typeof value === 'string') {
    const { yaql, jinja } = languagesIn(value);
    if (yaql && jinja) return [{ type: 'yaql', mixed: true, expression: value, message: MIXED }];
    if (yaql) return validateYaqlText(value);
    if (jinja) return validateJinjaText(value);
    return [];
  }
  if (Array.isArray(value)) return value.flatMap(inspectSyntax);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => [...inspectSyntax(k), ...inspectSyntax(v)]);
  }
  return [];
}

/** Names of the variables read through `ctx(name)` / `ctx().name` / `ctx('name')` in `value`. */
export function referencedVariables(value: unknown): string[] {
  return [...new Set(findReferences(value).map((ref) => ref.name))];
}
