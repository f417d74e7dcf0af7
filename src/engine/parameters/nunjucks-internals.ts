/**
 * Typed access to the parts of nunjucks its public typings leave out: the parser, the AST node
 * classes and the compiler. We need them to analyse templates (which variables they read) and to
 * adjust the AST before compiling, so that output follows Jinja's rules rather than JavaScript's.
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

type NodeClass = new (lineno: number, colno: number, ...fields: unknown[]) => NjNode;

interface CompiledTemplate {
  render(context: object): string;
}

interface Internals {
  parser: { parse(src: string, extensions: unknown[], lexerOptions: object): NjNode };
  nodes: { Symbol: NodeClass; Literal: NodeClass; NodeList: NodeClass; Filter: NodeClass };
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

/** Jinja2 (and StackStorm's environment) strip the newline after a block tag and its indentation. */
const LEXER_OPTIONS = { trimBlocks: true, lstripBlocks: true };

export function parseTemplate(source: string): NjNode {
  return internals.parser.parse(source, [], LEXER_OPTIONS);
}

export function compileAst(ast: NjNode, env: nunjucks.Environment): CompiledTemplate {
  const compiler = new internals.compiler.Compiler('template', false);
  compiler.compile(transformer.transform(ast, [], 'template'));
  // This is how nunjucks itself turns compiled code into a template (environment.js `_compile`).
  const props = new Function(compiler.getCode())() as unknown;
  return new internals.Template({ type: 'code', obj: props }, env, undefined, true);
}

export function makeNode(
  kind: 'Symbol' | 'Literal' | 'NodeList' | 'Filter',
  at: NjNode,
  ...fields: unknown[]
): NjNode {
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
  return new nunjucks.Environment([], {
    autoescape: false,
    throwOnUndefined: false,
    ...LEXER_OPTIONS,
  });
}
