/**
 * Orquesta's Jinja evaluation (`orquesta/expressions/jinja.py`): a text with `{% … %}` blocks is
 * rendered whole; otherwise each `{{ … }}` is evaluated as an expression and, when it is the whole
 * text, its native value is the result. String results are expanded again, `{% raw %}` blocks are
 * set aside and rendered last, and a `{{ … }}` left over (an undefined value) is an error.
 */
import { ExpressionError, messageOf, PyError, pythonClassOf, type ExpressionIssue } from '../errors.ts';
import { ctxFunction } from '../functions/context.ts';
import { pyStr } from '../pystr.ts';
import type { ExpressionContext } from '../types.ts';
import { adaptToJinja, filterNames } from './adapt.ts';
import { takeMissing } from './lookup.ts';
import { CAPTURE_FILTER, ENVIRONMENT, hasFilter, recording, takeThrown, withSink } from './environment.ts';
import { nonJinjaCharInExpression } from './jinja-chars.ts';
import { compileAst, parseTemplate, reasonOf, type CompiledTemplate } from './nunjucks.ts';

export const JINJA_INLINE = /\{\{[^\n]*?\}\}/g;
export const JINJA_BLOCK = /\{%[^\n]*?%\}/g;
const RAW_BLOCK = /\{% raw %\}[^\n]*?\{% endraw %\}/g;
const MAX_DEPTH = 100;

/** `expr.strip('{}').strip()`: Python strips any of those characters, then whitespace. */
export function stripJinja(expr: string): string {
  return expr.replace(/^[{}]+|[{}]+$/g, '').trim();
}

const cache = new Map<string, CompiledTemplate>();

function compile(source: string): CompiledTemplate {
  const cached = cache.get(source);
  if (cached) return cached;
  const compiled = compileAst(adaptToJinja(parseTemplate(source)), ENVIRONMENT);
  if (cache.size > 2000) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

// Render contexts are plain objects: own undefined entries hide `constructor` & co.
const SHADOWED: Readonly<Record<string, undefined>> = Object.fromEntries(
  Object.getOwnPropertyNames(Object.prototype)
    .filter((name) => name !== '__proto__')
    .map((name) => [name, undefined]),
);

function renderContext(context: ExpressionContext): Record<string, unknown> {
  takeThrown();
  takeMissing();
  const functions: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(context.functions)) functions[name] = recording(fn);
  return { ...SHADOWED, ...functions, ctx: recording(ctxFunction(context.vars)) };
}

/** The error a render raised, unwrapped from nunjucks' template error. */
function cause(err: unknown): unknown {
  if (err instanceof PyError || err instanceof ExpressionError) return err;
  const original = takeThrown();
  if (original !== undefined) return original;
  const reason = reasonOf(err);
  const call = /^Unable to call `([^`]*)`, which is undefined or falsey/.exec(reason);
  if (call) {
    const member = takeMissing();
    const name = call[1] ?? '';
    return new PyError(
      'UndefinedError',
      member && name === '--expression--' ? member : `'${name}' is undefined`,
    );
  }
  return new PyError('TemplateError', reason);
}

function evaluationError(expr: string, err: unknown): ExpressionError {
  const inner = cause(err);
  const pyClass = inner instanceof ExpressionError ? inner.pythonClass : pythonClassOf(inner);
  const message = `Unable to evaluate expression '${expr}'. ${pyClass}: ${messageOf(inner)}`;
  return new ExpressionError(message, { type: 'jinja', expression: expr, message });
}

function evaluateExpression(stripped: string, context: ExpressionContext): unknown {
  const template = compile(`{{ (${stripped}) | ${CAPTURE_FILTER} }}`);
  let value: unknown;
  withSink(
    (v) => (value = v),
    () => template.render(renderContext(context)),
  );
  return value;
}

function expand(text: string, context: ExpressionContext, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
  const exprs = text.match(JINJA_INLINE) ?? [];
  const hasBlocks = JINJA_BLOCK.test(text);
  JINJA_BLOCK.lastIndex = 0;
  let expr = text;
  try {
    if (hasBlocks) {
      const output = compile(text).render(renderContext(context));
      return expand(output, context, depth + 1);
    }
    let output: unknown = text;
    for (expr of exprs) {
      let result = evaluateExpression(stripJinja(expr), context);
      if (typeof result === 'string') result = expand(result, context, depth + 1);
      // An undefined value stays unreplaced and is reported as unresolved afterwards.
      if (result === undefined) continue;
      if (exprs.length > 1 || (typeof output === 'string' && output.length > expr.length)) {
        output = String(output).split(expr).join(pyStr(result));
      } else {
        output = result;
      }
    }
    return output;
  } catch (err) {
    throw evaluationError(expr, err);
  }
}

export function evaluateJinjaText(source: string, context: ExpressionContext): unknown {
  const raw = source.match(RAW_BLOCK) ?? [];
  let text = source;
  raw.forEach((block, i) => (text = text.split(block).join(`{${i}}`)));
  let output = expand(text, context, 0);
  if (typeof output === 'string') {
    const left = (output.match(JINJA_INLINE) ?? []).map(stripJinja);
    if (left.length > 0) {
      const message = `There are unresolved variables: ${left.join(', ')}`;
      throw new ExpressionError(message, { type: 'jinja', expression: source, message });
    }
    if (raw.length > 0) {
      let restored = output;
      raw.forEach((block, i) => (restored = restored.split(`{${i}}`).join(block)));
      try {
        output = compile(restored).render(renderContext(context));
      } catch (err) {
        throw evaluationError(restored, err);
      }
    }
  }
  return output;
}

/** Syntax errors of the whole text, then of each `{{ … }}` that did not already fail. */
export function validateJinjaText(text: string): ExpressionIssue[] {
  const issues: ExpressionIssue[] = [];
  try {
    for (const name of filterNames(parseTemplate(text))) {
      if (!hasFilter(name)) {
        issues.push({
          type: 'jinja',
          expression: text,
          message: `The Jinja filter "${name}" is not supported by Squall.`,
        });
      }
    }
  } catch (err) {
    issues.push({ type: 'jinja', expression: text, message: reasonOf(err) });
  }
  for (const expr of text.match(JINJA_INLINE) ?? []) {
    if (issues.some((issue) => issue.expression === expr)) continue;
    const badChar = nonJinjaCharInExpression(stripJinja(expr));
    if (badChar) {
      issues.push({ type: 'jinja', expression: expr, message: badChar });
      continue;
    }
    try {
      parseTemplate(`{{ ${stripJinja(expr)} }}`);
    } catch (err) {
      issues.push({ type: 'jinja', expression: expr, message: reasonOf(err) });
    }
  }
  return issues;
}
