/**
 * Typed access to the nunjucks parser, AST node classes and compiler, which its public typings
 * leave out. Orquesta's Jinja needs native values from `{{ … }}` and Jinja's `str()` printing,
 * both of which require adjusting the AST before compiling.
 */
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { pythonStringsForNunjucks } from '../escapes.ts';
import { rejectNonJinjaChars } from './jinja-chars.ts';

export interface NjNode {
  readonly typename: string;
  readonly fields: readonly string[];
  lineno: number;
  colno: number;
}

type NodeKind = 'Symbol' | 'Literal' | 'NodeList' | 'Filter' | 'InlineIf' | 'Not' | 'Array';
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
const transformer = createRequire(import.meta.url)('nunjucks/src/transformer.js') as {
  transform(ast: NjNode, asyncFilters: string[], name: string): NjNode;
};

/** Orquesta's Jinja environment uses `trim_blocks` and `lstrip_blocks`. */
const LEXER_OPTIONS = { trimBlocks: true, lstripBlocks: true };

export function parseTemplate(source: string): NjNode {
  rejectNonJinjaChars(source);
  return internals.parser.parse(pythonStringsForNunjucks(source), [], LEXER_OPTIONS);
}

export function compileAst(ast: NjNode, env: nunjucks.Environment): CompiledTemplate {
  const compiler = new internals.compiler.Compiler('expression', false);
  compiler.compile(transformer.transform(ast, [], 'expression'));
  // How nunjucks itself turns compiled code into a template (environment.js `_compile`).
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
