/**
 * Typed access to the parts of nunjucks its public typings leave out: the parser, the AST node
 * classes and the compiler. Both Jinja dialects Squall speaks — StackStorm's parameter templates
 * (src/engine/parameters) and Orquesta's expressions (src/workflow/expressions) — analyse templates
 * and adjust the AST before compiling, so that output follows Jinja's rules rather than
 * JavaScript's. Pure: no I/O, only nunjucks' own modules.
 */
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';

/** An AST node as nunjucks builds it; `fields` names the properties that hold its children. */
export interface NjNode {
  readonly typename: string;
  readonly fields: readonly string[];
  lineno: number;
  colno: number;
}

/** The node classes the AST rewrites create. */
export type NodeKind = 'Symbol' | 'Literal' | 'NodeList' | 'Filter' | 'InlineIf' | 'Not' | 'Array';
type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => NjNode;

export interface CompiledTemplate {
  render(context: object): string;
}

interface Internals {
  parser: { parse(src: string, extensions: unknown[], lexerOptions: object): NjNode };
  nodes: Record<NodeKind, NodeClass>;
  compiler: {
    Compiler: new (
      name: string,
      throwOnUndefined: boolean,
    ) => { compile(ast: NjNode): void; getCode(): string };
  };
  Template: new (
    src: { type: 'code'; obj: unknown },
    env: nunjucks.Environment,
    path: undefined,
    eager: true,
  ) => CompiledTemplate;
}

const internals = nunjucks as unknown as Internals;
// Not re-exported by nunjucks' entry point; it lifts async filters and `super()` calls exactly as
// nunjucks' own compile step does.
const transformer = createRequire(import.meta.url)('nunjucks/src/transformer.js') as {
  transform(ast: NjNode, asyncFilters: string[], name: string): NjNode;
};

/**
 * Jinja2 as StackStorm and Orquesta configure it (`trim_blocks`, `lstrip_blocks`): the newline after
 * a block tag and its indentation are stripped.
 */
const LEXER_OPTIONS = { trimBlocks: true, lstripBlocks: true };

/**
 * Members a template may not reach: the way from any value to `Function` (and so to arbitrary
 * code), and the accessors that rewrite prototypes.
 */
export const BLOCKED_MEMBERS: ReadonlySet<string> = new Set([
  'constructor',
  'prototype',
  '__proto__',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'caller',
  'callee',
  'arguments',
]);

export function parseNunjucks(source: string): NjNode {
  return internals.parser.parse(source, [], LEXER_OPTIONS);
}

/** Compiles an AST into a template of `env`; `name` is what nunjucks' messages call it. */
export function compileNunjucks(ast: NjNode, env: nunjucks.Environment, name: string): CompiledTemplate {
  const compiler = new internals.compiler.Compiler(name, false);
  compiler.compile(transformer.transform(ast, [], name));
  // This is how nunjucks itself turns compiled code into a template (environment.js `_compile`).
  const props = new Function(compiler.getCode())() as unknown;
  return new internals.Template({ type: 'code', obj: props }, env, undefined, true);
}

export function makeNode(kind: NodeKind, at: NjNode, ...fields: unknown[]): NjNode {
  return new internals.nodes[kind](at.lineno, at.colno, ...fields);
}

export function isNode(value: unknown): value is NjNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { typename?: unknown }).typename === 'string'
  );
}

export function getField(node: NjNode, field: string): unknown {
  return (node as unknown as Record<string, unknown>)[field];
}

export function setField(node: NjNode, field: string, value: unknown): void {
  (node as unknown as Record<string, unknown>)[field] = value;
}

export function createEnvironment(): nunjucks.Environment {
  // An explicit empty loader list: the default would create a file-system loader for `views/`.
  return new nunjucks.Environment([], { autoescape: false, throwOnUndefined: false, ...LEXER_OPTIONS });
}

/** nunjucks prefixes "(unknown path) [Line 1, Column 3]\n  Error: "; the reason is what counts. */
export function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  let message = err.message;
  const newline = message.indexOf('\n');
  if (message.startsWith('(') && newline >= 0) message = message.slice(newline + 1);
  return message.trim().replace(/^Error: /, '');
}
