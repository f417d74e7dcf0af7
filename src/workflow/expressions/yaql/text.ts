/**
 * Orquesta's YAQL evaluation of a text (`orquesta/expressions/yql.py`): every `<% … %>` is
 * evaluated; a text that is exactly one expression yields its native value, otherwise results are
 * interpolated with Python's `str()`. String results are themselves evaluated again.
 */
import {
  ExpressionError,
  messageOf,
  PyKeyError,
  pythonClassOf,
  PyError,
  type ExpressionIssue,
} from '../errors.ts';
import { pyStr } from '../pystr.ts';
import type { ExpressionContext } from '../types.ts';
import { evaluateYaql } from './evaluator.ts';
import { parseYaql } from './parser.ts';
import { YaqlSyntaxError } from './syntax-error.ts';
import { unsupportedCalls } from './unsupported.ts';

export const YAQL_EXPRESSION = /<%[^\n]*?%>/g;
const MAX_DEPTH = 100;

/** `expr.strip('<%>').strip()`: Python strips any of those characters, then whitespace. */
export function stripYaql(expr: string): string {
  return expr.replace(/^[<%>]+|[<%>]+$/g, '').trim();
}

function failure(expr: string, err: unknown): ExpressionError {
  let message: string;
  if (err instanceof PyKeyError || (err instanceof PyError && err.pythonClass === 'KeyError')) {
    // Orquesta catches Python's KeyError apart: `str(e).strip("'")` is the key.
    const key = err instanceof PyKeyError ? err.key : err.message.replace(/^'+|'+$/g, '');
    message = `Unable to resolve key '${key}' in expression '${expr}' from context.`;
  } else {
    const pyClass = err instanceof ExpressionError ? err.pythonClass : pythonClassOf(err);
    message = `Unable to evaluate expression '${expr}'. ${pyClass}: ${messageOf(err).replace(/^'+|'+$/g, '')}`;
  }
  return new ExpressionError(message, { type: 'yaql', expression: expr, message });
}

export function evaluateYaqlText(text: string, context: ExpressionContext, depth = 0): unknown {
  const exprs = text.match(YAQL_EXPRESSION) ?? [];
  let output: unknown = text;
  let expr = '';
  try {
    if (depth > MAX_DEPTH) throw new PyError('RecursionError', 'maximum recursion depth exceeded');
    for (expr of exprs) {
      let result = evaluateYaql(parseYaql(stripYaql(expr)), context);
      if (typeof result === 'string') result = evaluateYaqlText(result, context, depth + 1);
      if (exprs.length > 1 || (typeof output === 'string' && output.length > expr.length)) {
        output = String(output).split(expr).join(pyStr(result));
      } else {
        output = result;
      }
    }
  } catch (err) {
    throw failure(expr || text, err);
  }
  return output;
}

export function validateYaqlText(text: string): ExpressionIssue[] {
  const issues: ExpressionIssue[] = [];
  for (const expr of text.match(YAQL_EXPRESSION) ?? []) {
    try {
      for (const name of unsupportedCalls(parseYaql(stripYaql(expr)))) {
        issues.push({
          type: 'yaql',
          expression: expr,
          message: `The YAQL function "${name}" is not supported by Squall.`,
        });
      }
    } catch (err) {
      if (!(err instanceof YaqlSyntaxError)) throw err;
      issues.push({ type: 'yaql', expression: expr, message: err.message });
    }
  }
  return issues;
}
