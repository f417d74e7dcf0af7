/**
 * Python's `ast.literal_eval` for the values JSON can hold. StackStorm casts boolean parameters by
 * literal-evaluating the capitalised string (`"true"` → `True`) and falls back to it for
 * object/array strings that are not JSON — which is what a Jinja render of a dict or list looks
 * like (`{'a': 1, 'b': True}`), so `"{{ some_object }}"` survives a round trip through a template.
 *
 * Supported: str literals (all quote styles, prefixes r/u, escapes), ints (with `_`, 0x/0o/0b),
 * floats, unary +/-, True/False/None, lists, tuples (→ arrays) and dicts. Bytes, sets and complex
 * numbers have no JSON form and are rejected like any other malformed input.
 */
import { PYTHON_SIMPLE_ESCAPES } from '../../domain/python-escapes.ts';
import { pyFloatRepr, pyRepr } from '../../domain/pyrepr.ts';
import type { Json, JsonObject } from '../../domain/types.ts';

export class PyLiteralError extends Error {}

export function pyLiteralEval(source: string): Json {
  const parser = new LiteralParser(source);
  try {
    return parser.parseTop();
  } catch (err) {
    if (err instanceof Syntax) throw new PyLiteralError(`malformed node or string: ${pyRepr(source)}`);
    throw err;
  }
}

/** Internal signal: the input is not a literal; turned into one public message above. */
class Syntax extends Error {}

// A backslash before a newline continues the line, as in Python source.
const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { ...PYTHON_SIMPLE_ESCAPES, '\n': '' };

const NUMBER =
  /^(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:\d(?:_?\d)*)?\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d(?:_?\d)*)?)/;

class LiteralParser {
  #src: string;
  #pos = 0;

  constructor(src: string) {
    this.#src = src;
  }

  parseTop(): Json {
    this.#skipSpace();
    const value = this.#parseValue();
    this.#skipSpace();
    if (this.#pos !== this.#src.length) throw new Syntax();
    return value;
  }

  #peek(offset = 0): string {
    return this.#src.charAt(this.#pos + offset);
  }

  #skipSpace(): void {
    while (/\s/.test(this.#peek())) this.#pos++;
  }

  #expect(ch: string): void {
    this.#skipSpace();
    if (this.#peek() !== ch) throw new Syntax();
    this.#pos++;
  }

  #parseValue(): Json {
    this.#skipSpace();
    const ch = this.#peek();
    if (ch === '[') return this.#parseSequence('[', ']');
    if (ch === '(') return this.#parseSequence('(', ')');
    if (ch === '{') return this.#parseDict();
    if (ch === '+' || ch === '-') return this.#parseSigned();
    if (/[0-9.]/.test(ch)) return this.#parseNumber();
    const word = /^[A-Za-z_]\w*/.exec(this.#src.slice(this.#pos))?.[0] ?? '';
    const next = this.#src.charAt(this.#pos + word.length);
    if (/^[rRuU]$/.test(word) && (next === "'" || next === '"')) return this.#parseStrings();
    if (ch === "'" || ch === '"') return this.#parseStrings();
    this.#pos += word.length;
    if (word === 'True') return true;
    if (word === 'False') return false;
    if (word === 'None') return null;
    throw new Syntax();
  }

  #parseSigned(): number {
    let negative = false;
    while (this.#peek() === '+' || this.#peek() === '-') {
      if (this.#peek() === '-') negative = !negative;
      this.#pos++;
      this.#skipSpace();
    }
    if (!/[0-9.]/.test(this.#peek())) throw new Syntax();
    const value = this.#parseNumber();
    return negative ? -value : value;
  }

  #parseNumber(): number {
    const text = NUMBER.exec(this.#src.slice(this.#pos))?.[0] ?? '';
    if (text === '' || text === '.' || /^[jJ]/.test(this.#src.charAt(this.#pos + text.length)))
      throw new Syntax();
    if (/\w/.test(this.#src.charAt(this.#pos + text.length))) throw new Syntax();
    this.#pos += text.length;
    const clean = text.replace(/_/g, '');
    if (/^0[xob]/i.test(clean)) return Number(clean);
    // Python 3 rejects leading zeros on non-zero decimal ints ("007").
    if (/^0\d/.test(clean) && /^\d+$/.test(clean) && !/^0+$/.test(clean)) throw new Syntax();
    const value = Number(clean);
    // Overflowing floats become inf in Python, which JSON cannot hold.
    if (!Number.isFinite(value)) throw new Syntax();
    return value;
  }

  #parseSequence(open: string, close: string): Json {
    this.#expect(open);
    const items: Json[] = [];
    this.#skipSpace();
    let sawComma = false;
    while (this.#peek() !== close) {
      items.push(this.#parseValue());
      this.#skipSpace();
      sawComma = this.#peek() === ',';
      if (!sawComma) break;
      this.#pos++;
      this.#skipSpace();
    }
    this.#expect(close);
    // `(1)` is just a parenthesised value, `(1,)` a tuple.
    if (open === '(' && items.length === 1 && !sawComma) return items[0] as Json;
    return items;
  }

  #parseDict(): JsonObject {
    this.#expect('{');
    const out: JsonObject = {};
    this.#skipSpace();
    while (this.#peek() !== '}') {
      const key = this.#parseValue();
      this.#expect(':');
      const value = this.#parseValue();
      Object.defineProperty(out, dictKey(key), {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.#skipSpace();
      if (this.#peek() !== ',') break;
      this.#pos++;
      this.#skipSpace();
    }
    this.#expect('}');
    return out;
  }

  /** One or more adjacent string literals, concatenated as Python does. */
  #parseStrings(): string {
    let out = '';
    do {
      out += this.#parseString();
      this.#skipSpace();
    } while (/^[rRuU]?['"]/.test(this.#src.slice(this.#pos, this.#pos + 2)));
    return out;
  }

  #parseString(): string {
    let raw = false;
    if (/[rRuU]/.test(this.#peek())) {
      raw = /[rR]/.test(this.#peek());
      this.#pos++;
    }
    const quoteChar = this.#peek();
    const triple = this.#src.startsWith(quoteChar.repeat(3), this.#pos);
    const quote = triple ? quoteChar.repeat(3) : quoteChar;
    this.#pos += quote.length;
    let out = '';
    for (;;) {
      if (this.#pos >= this.#src.length) throw new Syntax();
      if (this.#src.startsWith(quote, this.#pos)) {
        this.#pos += quote.length;
        return out;
      }
      const ch = this.#peek();
      if (ch === '\n' && !triple) throw new Syntax();
      if (ch !== '\\') {
        out += ch;
        this.#pos++;
      } else if (raw) {
        out += ch + this.#peek(1);
        this.#pos += 2;
      } else {
        out += this.#parseEscape();
      }
    }
  }

  #parseEscape(): string {
    const ch = this.#peek(1);
    this.#pos += 2;
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) return simple;
    if (/[0-7]/.test(ch)) {
      const more = /^[0-7]{0,2}/.exec(this.#src.slice(this.#pos))?.[0] ?? '';
      this.#pos += more.length;
      return String.fromCodePoint(parseInt(ch + more, 8));
    }
    const width = ch === 'x' ? 2 : ch === 'u' ? 4 : ch === 'U' ? 8 : 0;
    if (width > 0) {
      const digits = this.#src.slice(this.#pos, this.#pos + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(digits)) throw new Syntax();
      this.#pos += width;
      const cp = parseInt(digits, 16);
      if (cp > 0x10ffff) throw new Syntax();
      return String.fromCodePoint(cp);
    }
    // Unknown escapes keep their backslash in Python.
    return `\\${ch}`;
  }
}

/** Dict keys the way `json.dumps` turns Python keys into JSON object keys. */
function dictKey(key: Json): string {
  if (typeof key === 'string') return key;
  if (key === null) return 'null';
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number') return Number.isInteger(key) ? String(key) : pyFloatRepr(key);
  throw new Syntax();
}
