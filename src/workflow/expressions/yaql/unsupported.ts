/**
 * Functions of yaql's standard library (yaql 1.x, `yaql/standard_library/`) that Squall does not
 * implement. Inspection reports a call to one of them, so a workflow using it is refused when it
 * is registered instead of failing (or worse, being answered differently) while it runs.
 */
import type { Node } from './ast.ts';
import { STANDARD_FUNCTIONS } from './library/index.ts';

const YAQL_FUNCTIONS = `abs accumulate aggregate all any append as assert bitwiseAnd bitwiseNot bitwiseOr
  bitwiseXor bool call characters checkValue coalesce compare concat contains containsKey
  containsValue count cycle date datetime day days def defaultIfEmpty delete deleteAll dict
  difference distinct endsWith enumerate escapeRegex first flatten float format generate
  generateMany get groupBy hex hour hours indexOf indexWhere insert insertMany int intersect
  isBoolean isDatetime isDict isEmpty isInteger isIterable isList isNumber isRegex isSet isString
  isTimespan items join keys lambda last lastIndexOf lastIndexWhere len let limit list localtz
  matches max memorize mergeWith microsecond microseconds milliseconds min minute minutes month
  norm now offset orderBy orderByDescending pow random range rec regex remove repeat replace
  replaceBy replaceMany reverse rightSplit round search searchAll second seconds select
  selectAllCases selectCase selectMany sequence set shiftBitsLeft shiftBitsRight sign single skip
  skipWhile slice sliceWhere split splitAt splitWhere startsWith str substring sum switch
  switchCase symmetricDifference takeWhile thenBy thenByDescending time timespan timestamp
  toCharArray toDict toList toLower toSet toUpper trim trimLeft trimRight tuple union unpack utc
  utctz values weekday where with zip zipLongest`.split(/\s+/);

/** Handled by the evaluator itself rather than the function library. */
const SPECIAL_FORMS: ReadonlySet<string> = new Set(['ctx', 'let', 'switch']);

const NOT_IMPLEMENTED: ReadonlySet<string> = new Set(
  YAQL_FUNCTIONS.filter((name) => !STANDARD_FUNCTIONS.has(name) && !SPECIAL_FORMS.has(name)),
);

/** Names of the unimplemented yaql functions `node` calls, in order of appearance. */
export function unsupportedCalls(node: Node): string[] {
  const found: string[] = [];
  const walk = (n: Node): void => {
    switch (n.kind) {
      case 'call':
        if (NOT_IMPLEMENTED.has(n.name) && !found.includes(n.name)) found.push(n.name);
        for (const arg of n.args) {
          if (arg.key) walk(arg.key);
          walk(arg.value);
        }
        return;
      case 'index':
        walk(n.target);
        for (const arg of n.args) walk(arg.value);
        return;
      case 'dict':
        for (const entry of n.entries) {
          if (entry.key) walk(entry.key);
          walk(entry.value);
        }
        return;
      case 'list':
        n.items.forEach(walk);
        return;
      case 'wrap':
        walk(n.inner);
        return;
      case 'unary':
        walk(n.operand);
        return;
      case 'binary':
        walk(n.left);
        walk(n.right);
        return;
      default:
        return;
    }
  };
  walk(node);
  return found;
}
