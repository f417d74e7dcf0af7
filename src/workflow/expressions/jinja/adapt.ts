/**
 * Rewrites a nunjucks AST so it behaves like Jinja in Orquesta's environment: `True`/`False`/
 * `None` are constants; printed values go through Python's `str()`; member access goes through a
 * guarded lookup (no way to `constructor`; reading from an undefined value fails as Jinja's
 * StrictUndefined does); and every operator — `and`/`or`/`not`, conditions, comparisons, `in`,
 * arithmetic, `~` — follows Python instead of JavaScript (operators.ts).
 */
import { getField, isNode, makeNode, setField, type NjNode } from './nunjucks.ts';

export const STR_FILTER = '__squall_str';
export const LOOKUP_FILTER = '__squall_lookup';
export const TRUTHY_FILTER = '__squall_truthy';
export const BINOP_FILTER = '__squall_binop';
export const NEG_FILTER = '__squall_neg';
export const COMPARE_FILTER = '__squall_compare';
export const IN_FILTER = '__squall_in';
export const ITER_FILTER = '__squall_iter';

const CONSTANTS: ReadonlyMap<string, boolean | null> = new Map([
  ['True', true],
  ['False', false],
  ['None', null],
  ['true', true],
  ['false', false],
  ['none', null],
]);

const BINARY: Readonly<Record<string, string>> = {
  Add: '+',
  Sub: '-',
  Mul: '*',
  Div: '/',
  FloorDiv: '//',
  Mod: '%',
  Pow: '**',
  Concat: '~',
};

/** Nodes whose `cond` field is a condition (Python truthiness). */
const CONDITIONAL: ReadonlySet<string> = new Set(['If', 'InlineIf', 'IfAsync']);

/** Names of the filters `node` applies, for inspection (nunjucks only fails on them when run). */
export function filterNames(node: NjNode): string[] {
  const names: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (isNode(value)) {
      if (value.typename === 'Filter' || value.typename === 'FilterAsync') {
        const name = getField(value, 'name');
        const text = isNode(name) ? getField(name, 'value') : undefined;
        if (typeof text === 'string' && !names.includes(text)) names.push(text);
      }
      for (const field of value.fields) walk(getField(value, field));
    }
  };
  walk(node);
  return names;
}

export function adaptToJinja(node: NjNode): NjNode {
  for (const field of node.fields) {
    const value = getField(node, field);
    if (Array.isArray(value)) {
      setField(
        node,
        field,
        value.map((child) => (isNode(child) ? replace(child, node, field) : child)),
      );
    } else if (isNode(value)) {
      setField(node, field, replace(value, node, field));
    }
  }
  return node;
}

function call(filter: string, at: NjNode, args: unknown[]): NjNode {
  return makeNode('Filter', at, makeNode('Symbol', at, filter), makeNode('NodeList', at, args));
}

function literal(at: NjNode, value: unknown): NjNode {
  return makeNode('Literal', at, value);
}

function rewrite(child: NjNode): NjNode {
  const field = (name: string): unknown => getField(child, name);
  switch (child.typename) {
    case 'Symbol': {
      const name = field('value');
      return typeof name === 'string' && CONSTANTS.has(name) ? literal(child, CONSTANTS.get(name)) : child;
    }
    case 'Group': {
      // `(a, b)` is a tuple in Jinja; nunjucks would compile JavaScript's comma operator.
      const children = field('children');
      return Array.isArray(children) && children.length !== 1 ? makeNode('Array', child, children) : child;
    }
    case 'LookupVal':
      return call(LOOKUP_FILTER, child, [field('target'), field('val')]);
    case 'And':
      return makeNode(
        'InlineIf',
        child,
        call(TRUTHY_FILTER, child, [field('left')]),
        field('right'),
        field('left'),
      );
    case 'Or':
      return makeNode(
        'InlineIf',
        child,
        call(TRUTHY_FILTER, child, [field('left')]),
        field('left'),
        field('right'),
      );
    case 'Not':
      return makeNode('Not', child, call(TRUTHY_FILTER, child, [field('target')]));
    case 'Neg':
      return call(NEG_FILTER, child, [field('target')]);
    case 'In':
      return call(IN_FILTER, child, [field('left'), field('right')]);
    case 'Compare': {
      const ops = field('ops');
      const args: unknown[] = [field('expr')];
      for (const op of Array.isArray(ops) ? ops : []) {
        if (isNode(op)) args.push(literal(child, getField(op, 'type')), getField(op, 'expr'));
      }
      return call(COMPARE_FILTER, child, args);
    }
    default: {
      const op = BINARY[child.typename];
      return op ? call(BINOP_FILTER, child, [literal(child, op), field('left'), field('right')]) : child;
    }
  }
}

function replace(child: NjNode, parent: NjNode, field: string): NjNode {
  adaptToJinja(child);
  let node = rewrite(child);
  if (CONDITIONAL.has(parent.typename) && field === 'cond') node = call(TRUTHY_FILTER, child, [node]);
  // Jinja iterates a dict's keys and a string's characters; nunjucks would loop over nothing.
  if (parent.typename === 'For' && field === 'arr') node = call(ITER_FILTER, child, [node]);
  if (parent.typename === 'Output' && child.typename !== 'TemplateData')
    node = call(STR_FILTER, child, [node]);
  return node;
}
