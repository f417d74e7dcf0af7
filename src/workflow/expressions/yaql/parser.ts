/**
 * A precedence-climbing parser for YAQL 1.x with yaql's operator table (`yaql/language/factory.py`),
 * tightest first: `.` `?.`; indexer `[…]`; unary `+` `-`; `=~` `!~`; `*` `/` `mod`; `+` `-`;
 * comparisons, `=`, `!=`, `in`; unary `not`; `and`; `or`; `->` (right-associative). `=>` only
 * separates a name from a value inside argument lists and dict literals.
 */
import type { Arg, Node } from './ast.ts';
import { Lexer, type Token } from './lexer.ts';
import { YaqlSyntaxError } from './syntax-error.ts';

const BINARY: ReadonlyMap<string, { readonly power: number; readonly right?: true }> = new Map([
  ['.', { power: 110 }],
  ['?.', { power: 110 }],
  ['=~', { power: 80 }],
  ['!~', { power: 80 }],
  ['*', { power: 70 }],
  ['/', { power: 70 }],
  ['mod', { power: 70 }],
  ['+', { power: 60 }],
  ['-', { power: 60 }],
  ['>', { power: 50 }],
  ['<', { power: 50 }],
  ['>=', { power: 50 }],
  ['<=', { power: 50 }],
  ['!=', { power: 50 }],
  ['=', { power: 50 }],
  ['in', { power: 50 }],
  ['and', { power: 30 }],
  ['or', { power: 20 }],
  ['->', { power: 10, right: true }],
]);
const INDEX_POWER = 100;
const PREFIX: ReadonlyMap<string, number> = new Map([
  ['+', 90],
  ['-', 90],
  ['not', 40],
]);

const cache = new Map<string, Node>();
const CACHE_LIMIT = 5000;

/** Parses a YAQL expression (without delimiters); throws `YaqlSyntaxError`. */
export function parseYaql(source: string): Node {
  const cached = cache.get(source);
  if (cached) return cached;
  const node = new Parser(source).parseStatement();
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(source, node);
  return node;
}

class Parser {
  readonly #lexer: Lexer;
  #lookahead: Token | undefined;

  constructor(readonly source: string) {
    this.#lexer = new Lexer(source);
  }

  parseStatement(): Node {
    const node = this.parseValue(0);
    this.#expectKind('end');
    return node;
  }

  #peek(): Token {
    this.#lookahead ??= this.#lexer.next();
    return this.#lookahead;
  }

  #next(): Token {
    const token = this.#peek();
    this.#lookahead = undefined;
    return token;
  }

  #unexpected(token: Token): YaqlSyntaxError {
    if (token.kind === 'end') return YaqlSyntaxError.grammar(this.source, undefined, undefined);
    const shown = token.kind === 'func' ? token.text : String(token.value ?? token.text);
    return YaqlSyntaxError.grammar(this.source, shown, token.pos);
  }

  #expectKind(kind: 'end'): void {
    const token = this.#peek();
    if (token.kind !== kind) throw this.#unexpected(token);
  }

  #expectPunct(text: string): void {
    const token = this.#next();
    if (token.kind !== 'punct' || token.text !== text) throw this.#unexpected(token);
  }

  parseValue(minPower: number): Node {
    let left = this.#parsePrimary();
    for (;;) {
      const token = this.#peek();
      if (token.kind === 'punct' && token.text === '[' && INDEX_POWER > minPower) {
        this.#next();
        const args = this.#parseArgs(']');
        left = { kind: 'index', target: left, args, pos: left.pos };
        continue;
      }
      if (token.kind === 'punct' && token.text === '{' && INDEX_POWER > minPower) {
        // yaql's binary `{}` operator has no standard implementation to call.
        throw this.#unexpected(token);
      }
      if (token.kind !== 'op') break;
      const info = BINARY.get(token.text);
      if (!info || info.power <= minPower) break;
      this.#next();
      const right = this.parseValue(info.right ? info.power - 1 : info.power);
      left = { kind: 'binary', op: token.text, left, right, pos: left.pos };
    }
    return left;
  }

  #parsePrimary(): Node {
    const token = this.#next();
    switch (token.kind) {
      case 'number':
      case 'string':
      case 'constant':
        return { kind: 'constant', value: token.value, pos: token.pos };
      case 'keyword':
        return { kind: 'keyword', name: token.text, pos: token.pos };
      case 'dollar':
        return { kind: 'variable', name: token.text, pos: token.pos };
      case 'func':
        return { kind: 'call', name: token.text, args: this.#parseArgs(')'), pos: token.pos };
      case 'op': {
        const power = PREFIX.get(token.text);
        if (power === undefined) throw this.#unexpected(token);
        return { kind: 'unary', op: token.text, operand: this.parseValue(power), pos: token.pos };
      }
      case 'punct':
        if (token.text === '(') {
          const inner = this.parseValue(0);
          this.#expectPunct(')');
          return { kind: 'wrap', inner, pos: token.pos };
        }
        if (token.text === '[')
          return { kind: 'list', items: this.#positional(this.#parseArgs(']')), pos: token.pos };
        if (token.text === '{') return { kind: 'dict', entries: this.#parseArgs('}'), pos: token.pos };
        throw this.#unexpected(token);
      case 'end':
        throw this.#unexpected(token);
    }
  }

  #positional(args: readonly Arg[]): Node[] {
    return args.map((arg) => {
      if (arg.key) throw YaqlSyntaxError.grammar(this.source, '=>', arg.value.pos);
      return arg.value;
    });
  }

  /** `args` up to and including the closing bracket: values and `key => value` rules. */
  #parseArgs(close: string): Arg[] {
    const args: Arg[] = [];
    const first = this.#peek();
    if (first.kind === 'punct' && first.text === close) {
      this.#next();
      return args;
    }
    for (;;) {
      const token = this.#peek();
      if (token.kind === 'punct' && (token.text === ',' || token.text === close)) {
        // yaql allows skipped positional arguments (`f(, 1)`); no standard function uses them.
        throw YaqlSyntaxError.unsupported('skipped (empty) arguments', token.pos);
      }
      const value = this.parseValue(0);
      const arrow = this.#peek();
      if (arrow.kind === 'op' && arrow.text === '=>') {
        this.#next();
        args.push({ key: value, value: this.parseValue(0) });
      } else {
        // yaql's grammar puts every `name => value` argument after the positional ones.
        if (args.some((arg) => arg.key)) throw this.#unexpected(arrow.kind === 'end' ? arrow : token);
        args.push({ value });
      }
      const sep = this.#next();
      if (sep.kind === 'punct' && sep.text === close) return args;
      if (sep.kind !== 'punct' || sep.text !== ',') throw this.#unexpected(sep);
    }
  }
}
