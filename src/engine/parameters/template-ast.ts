/**
 * Work on the nunjucks AST of a parameter template:
 *
 * - `referencedVariables`: the root names a template reads from its context — the equivalent of
 *   Jinja's `meta.find_undeclared_variables`, which StackStorm uses to build its dependency graph.
 *   Names bound inside the template (`{% for %}`, `{% set %}`, macro arguments) do not count;
 *   filter and test names are not variables; a called global such as `range` is, as in Jinja.
 * - `adaptToJinja`: rewrites the AST so rendering follows Jinja rather than JavaScript — `True`,
 *   `False` and `None` are constants, and every value printed goes through a filter that formats it
 *   like Python's `str()` (`True`, `None`, `['a', 1]`, `{'k': 'v'}`) instead of `true`, ``, `a,1`,
 *   `[object Object]`. It also routes member access through a guarded lookup: templates come from
 *   API callers, and nunjucks' own lookup lets `x.constructor.constructor(…)` run arbitrary code.
 */
import { getField, isNode, makeNode, setField, type NjNode } from '../../domain/nunjucks-internals.ts';

/** The filter every printed value is routed through (registered by template.ts). */
export const STR_FILTER = '__squall_jinja_str';

/** The filter every member access (`a.b`, `a[b]`) is routed through (registered by template.ts). */
export const LOOKUP_FILTER = '__squall_lookup';

const CONSTANTS: ReadonlyMap<string, boolean | null> = new Map([
  ['True', true],
  ['False', false],
  ['None', null],
]);

class Scope {
  readonly #names = new Set<string>();
  readonly #parent: Scope | undefined;

  constructor(parent?: Scope) {
    this.#parent = parent;
  }

  has(name: string): boolean {
    return this.#names.has(name) || (this.#parent?.has(name) ?? false);
  }

  bind(name: string): void {
    this.#names.add(name);
  }

  child(): Scope {
    return new Scope(this);
  }
}

/** Root variable names the template reads, in order of first appearance. */
export function referencedVariables(ast: NjNode): string[] {
  const found = new Set<string>();
  walk(ast, new Scope(), found);
  return [...found];
}

function children(node: NjNode): unknown[] {
  return node.fields.map((field) => getField(node, field));
}

function symbolName(value: unknown): string | undefined {
  if (!isNode(value) || value.typename !== 'Symbol') return undefined;
  const name = getField(value, 'value');
  return typeof name === 'string' ? name : undefined;
}

/** Binds `{% for a, b in … %}` / `{% set a, b = … %}` targets. */
function bindTargets(target: unknown, scope: Scope): void {
  if (Array.isArray(target)) {
    for (const t of target) bindTargets(t, scope);
    return;
  }
  const name = symbolName(target);
  if (name !== undefined) scope.bind(name);
  else if (isNode(target)) bindTargets(getField(target, 'children'), scope);
}

function walk(value: unknown, scope: Scope, found: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, scope, found);
    return;
  }
  if (!isNode(value)) return;
  const node = value;
  const field = (name: string): unknown => getField(node, name);
  switch (node.typename) {
    case 'Symbol': {
      const name = symbolName(node);
      if (name !== undefined && !scope.has(name)) found.add(name);
      return;
    }
    case 'Filter':
    case 'FilterAsync':
      walk(field('args'), scope, found);
      return;
    case 'Is': {
      walk(field('left'), scope, found);
      const test = field('right');
      if (isNode(test) && test.typename === 'FunCall') walk(getField(test, 'args'), scope, found);
      return;
    }
    case 'Pair':
      // Dict-literal keys and keyword-argument names are labels, not variables.
      if (symbolName(field('key')) === undefined) walk(field('key'), scope, found);
      walk(field('value'), scope, found);
      return;
    case 'For':
    case 'AsyncEach':
    case 'AsyncAll': {
      walk(field('arr'), scope, found);
      const inner = scope.child();
      bindTargets(field('name'), inner);
      inner.bind('loop');
      walk(field('body'), inner, found);
      walk(field('else_'), scope, found);
      return;
    }
    case 'Set':
      walk(field('value'), scope, found);
      walk(field('body'), scope, found);
      bindTargets(field('targets'), scope);
      return;
    case 'Macro':
    case 'Caller':
      walkMacro(node, scope, found);
      return;
    case 'Import':
      walk(field('template'), scope, found);
      bindTargets(field('target'), scope);
      return;
    case 'FromImport':
      walk(field('template'), scope, found);
      for (const item of childrenOf(field('names'))) {
        bindTargets(isNode(item) && item.typename === 'Pair' ? getField(item, 'value') : item, scope);
      }
      return;
    case 'Block':
      walk(field('body'), scope, found);
      return;
    default:
      for (const child of children(node)) walk(child, scope, found);
  }
}

function childrenOf(value: unknown): unknown[] {
  if (!isNode(value)) return [];
  const list = getField(value, 'children');
  return Array.isArray(list) ? list : [];
}

function walkMacro(node: NjNode, scope: Scope, found: Set<string>): void {
  const name = symbolName(getField(node, 'name'));
  if (name !== undefined && node.typename === 'Macro') scope.bind(name);
  const inner = scope.child();
  for (const arg of childrenOf(getField(node, 'args'))) {
    if (isNode(arg) && arg.typename === 'KeywordArgs') {
      for (const pair of childrenOf(arg)) {
        if (!isNode(pair)) continue;
        bindTargets(getField(pair, 'key'), inner);
        walk(getField(pair, 'value'), scope, found);
      }
    } else {
      bindTargets(arg, inner);
    }
  }
  inner.bind('caller');
  walk(getField(node, 'body'), inner, found);
}

/** Rewrites `ast` in place so that it renders like Jinja (see the module comment). */
export function adaptToJinja(ast: NjNode): void {
  rewrite(ast);
}

function rewrite(node: NjNode): void {
  for (const field of node.fields) {
    const value = getField(node, field);
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        value[i] = adaptChild(node, field, item);
      });
    } else {
      setField(node, field, adaptChild(node, field, value));
    }
  }
}

function adaptChild(parent: NjNode, field: string, child: unknown): unknown {
  if (!isNode(child)) return child;
  let node = child;
  const name = symbolName(node);
  // Pair keys stay symbols: nunjucks only accepts names or strings as dict keys.
  if (name !== undefined && CONSTANTS.has(name) && !(parent.typename === 'Pair' && field === 'key')) {
    node = makeNode('Literal', node, CONSTANTS.get(name));
  } else {
    rewrite(node);
  }
  if (node.typename === 'LookupVal') {
    node = makeNode(
      'Filter',
      node,
      makeNode('Symbol', node, LOOKUP_FILTER),
      makeNode('NodeList', node, [getField(node, 'target'), getField(node, 'val')]),
    );
  }
  const printed = parent.typename === 'Output' && node.typename !== 'TemplateData';
  const concatenated = parent.typename === 'Concat';
  return printed || concatenated ? stringify(node) : node;
}

function stringify(expr: NjNode): NjNode {
  return makeNode('Filter', expr, makeNode('Symbol', expr, STR_FILTER), makeNode('NodeList', expr, [expr]));
}

/** A datastore item a template reads: `st2kv.system.<name>` or `st2kv.user.<name>`. */
export interface DatastoreKeyRef {
  scope: 'system' | 'user';
  name: string;
}

/** The literal member names of `a.b.c` / `a['b']` when `node` is such a chain from a symbol. */
function memberChain(node: unknown): string[] | undefined {
  if (!isNode(node)) return undefined;
  if (node.typename === 'Symbol') {
    const name = symbolName(node);
    return name === undefined ? undefined : [name];
  }
  if (node.typename !== 'LookupVal') return undefined;
  const base = memberChain(getField(node, 'target'));
  const member = getField(node, 'val');
  if (!base || !isNode(member) || member.typename !== 'Literal') return undefined;
  const key = getField(member, 'value');
  return typeof key === 'string' ? [...base, key] : undefined;
}

/**
 * The datastore items a template reads (before `adaptToJinja`, which rewrites member access), so
 * they can be fetched before rendering, which is synchronous. `st2kv.system.a.b` may name the item
 * `a` or `a.b` (StackStorm allows dots in names), so every prefix is reported.
 */
export function datastoreReferences(ast: NjNode): DatastoreKeyRef[] {
  const refs = new Map<string, DatastoreKeyRef>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (!isNode(value)) return;
    const chain = memberChain(value);
    if (chain && chain[0] === 'st2kv' && (chain[1] === 'system' || chain[1] === 'user') && chain.length > 2) {
      const scope = chain[1];
      for (let end = 3; end <= chain.length; end++) {
        const name = chain.slice(2, end).join('.');
        refs.set(`${scope}:${name}`, { scope, name });
      }
      return;
    }
    for (const child of children(value)) visit(child);
  };
  visit(ast);
  return [...refs.values()];
}
