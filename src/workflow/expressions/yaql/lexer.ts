/**
 * The YAQL 1.x lexer. Token rules follow yaql's (`yaql/language/lexer.py`): an identifier right
 * before `(` is a function name, any other identifier is a keyword string (a bare word such as
 * `foo` in `ctx(foo)` is the string "foo") unless it is an operator word or true/false/null;
 * `$`, `$name` and `$1` read context variables. Positions are offsets into the expression text.
 */
import { decodeEscapes } from '../escapes.ts';
import { YaqlSyntaxError } from './syntax-error.ts';

export type TokenKind =
  'number' | 'string' | 'keyword' | 'constant' | 'func' | 'dollar' | 'op' | 'punct' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Operator/punctuation text, identifier, decoded string, or the variable name (`$x`). */
  readonly text: string;
  readonly value?: unknown;
  readonly pos: number;
}

const WORD_OPERATORS: ReadonlySet<string> = new Set(['mod', 'in', 'not', 'and', 'or']);
const CONSTANTS: ReadonlyMap<string, boolean | null> = new Map([
  ['true', true],
  ['false', false],
  ['null', null],
]);
// Longest first, as PLY orders string-defined token rules by length.
const SYMBOL_OPERATORS = [
  '=>',
  '?.',
  '=~',
  '!~',
  '>=',
  '<=',
  '!=',
  '->',
  '.',
  '*',
  '/',
  '+',
  '-',
  '>',
  '<',
  '=',
];
const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',']);

const DOLLAR = /\$[\p{L}\p{N}_]*/uy;
const NUMBER = /\d+(?:\.?\d+)?(?![\p{L}\p{N}_])/uy;
const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;
const SINGLE_QUOTED = /'(?:[^'\\]|\\.)*'/suy;
const DOUBLE_QUOTED = /"(?:[^"\\]|\\.)*"/suy;
const VERBATIM = /`(?:[^`\\]|\\.)*`/suy;

function matchAt(re: RegExp, text: string, pos: number): string | undefined {
  re.lastIndex = pos;
  return re.exec(text)?.[0];
}

/**
 * Tokens on demand: yaql's parser pulls tokens one at a time, so a grammar error before an
 * illegal character is the one reported (`<% <% x %>` is a parse error, not a lexical one).
 */
export class Lexer {
  #pos = 0;

  constructor(readonly text: string) {}

  next(): Token {
    const text = this.text;
    while (this.#pos < text.length && ' \t\r\n'.includes(text.charAt(this.#pos))) this.#pos++;
    if (this.#pos >= text.length) return { kind: 'end', text: '', pos: text.length };
    const { token, next } = readToken(text, this.#pos);
    this.#pos = next;
    return token;
  }
}

export function tokenize(text: string): Token[] {
  const lexer = new Lexer(text);
  const tokens: Token[] = [];
  for (;;) {
    const token = lexer.next();
    tokens.push(token);
    if (token.kind === 'end') return tokens;
  }
}

function readToken(text: string, pos: number): { token: Token; next: number } {
  const dollar = matchAt(DOLLAR, text, pos);
  if (dollar !== undefined)
    return { token: { kind: 'dollar', text: dollar, pos }, next: pos + dollar.length };
  const prevIsWord = pos > 0 && /[\p{L}\p{N}_]/u.test(text.charAt(pos - 1));
  const number = prevIsWord ? undefined : matchAt(NUMBER, text, pos);
  if (number !== undefined) {
    return { token: { kind: 'number', text: number, value: Number(number), pos }, next: pos + number.length };
  }
  const ident = prevIsWord ? undefined : matchAt(IDENT, text, pos);
  if (ident !== undefined) {
    const next = pos + ident.length;
    if (text.charAt(next) === '(') return { token: { kind: 'func', text: ident, pos }, next: next + 1 };
    if (WORD_OPERATORS.has(ident)) return { token: { kind: 'op', text: ident, pos }, next };
    if (CONSTANTS.has(ident)) {
      return { token: { kind: 'constant', text: ident, value: CONSTANTS.get(ident), pos }, next };
    }
    // yaql's keyword rule refuses identifiers starting with "__" (they are illegal characters).
    if (ident.startsWith('__')) throw YaqlSyntaxError.lexical('_', pos);
    return { token: { kind: 'keyword', text: ident, value: ident, pos }, next };
  }
  for (const [re, decode] of [
    [SINGLE_QUOTED, decodeEscapes],
    [DOUBLE_QUOTED, decodeEscapes],
    [VERBATIM, (s: string) => s.replace(/\\`/g, '`')],
  ] as const) {
    const quoted = matchAt(re, text, pos);
    if (quoted !== undefined) {
      const value = decode(quoted.slice(1, -1));
      return { token: { kind: 'string', text: value, value, pos }, next: pos + quoted.length };
    }
  }
  for (const op of SYMBOL_OPERATORS) {
    if (text.startsWith(op, pos)) return { token: { kind: 'op', text: op, pos }, next: pos + op.length };
  }
  const ch = text.charAt(pos);
  if (PUNCTUATION.has(ch)) return { token: { kind: 'punct', text: ch, pos }, next: pos + 1 };
  throw YaqlSyntaxError.lexical(ch, pos);
}
