/**
 * Evaluates a YAQL syntax tree. Operators dispatch on their operands' types as yaql's standard
 * library does; a combination yaql has no function for fails with yaql's "No function … matches
 * supplied arguments" rather than being coerced into an answer.
 */
import { PyError, PyKeyError } from '../errors.ts';
import { ctxFunction } from '../functions/context.ts';
import { STANDARD_FUNCTIONS } from './library/index.ts';
import { operator } from './operators.ts';
import type { Arg, Node } from './ast.ts';
import { unknownFunction, type Call, type Environment, type Lazy, type YaqlFunction } from './runtime.ts';
import { isDict, isList } from '../python.ts';
import { setKey } from '../types.ts';

/** Variable scopes: `$` is `$1`; lambdas and `let` add a child scope. */
class Scope {
  constructor(
    readonly values: ReadonlyMap<string, unknown>,
    readonly parent?: Scope,
  ) {}

  get(name: string): unknown {
    const key = name === '$' ? '$1' : name;
    if (this.values.has(key)) return this.values.get(key);
    return this.parent ? this.parent.get(key) : null;
  }
}

export function evaluateYaql(node: Node, env: Environment): unknown {
  return new Evaluator(env).eval(node, new Scope(new Map()));
}

class Evaluator {
  readonly #ctx;

  constructor(readonly env: Environment) {
    this.#ctx = ctxFunction(env.vars);
  }

  eval(node: Node, scope: Scope): unknown {
    switch (node.kind) {
      case 'constant':
        return node.value;
      case 'keyword':
        return node.name;
      case 'variable':
        return scope.get(node.name);
      case 'wrap':
        return this.eval(node.inner, scope);
      case 'list':
        return node.items.map((item) => this.eval(item, scope));
      case 'dict':
        return this.#dict(node.entries, scope);
      case 'call':
        if (node.name === 'switch' && !Object.hasOwn(this.env.functions, 'switch'))
          return this.#switch(node.args, scope);
        return this.#call(node.name, node.args, scope, undefined);
      case 'index':
        return this.#index(node.target, node.args, scope);
      case 'unary':
        return operator(`#unary_operator_${node.op}`, [this.eval(node.operand, scope)]);
      case 'binary':
        return this.#binary(node.op, node.left, node.right, scope);
    }
  }

  #dict(entries: readonly Arg[], scope: Scope): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const entry of entries) {
      if (!entry.key)
        throw new PyError('NoMatchingFunctionException', 'No function "#map" matches supplied arguments');
      const key = this.eval(entry.key, scope);
      if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean' && key !== null) {
        throw new PyError('TypeError', 'unhashable type');
      }
      setKey(out, typeof key === 'string' ? key : JSON.stringify(key), this.eval(entry.value, scope));
    }
    return out;
  }

  #lazy(node: Node, scope: Scope): Lazy {
    return (...bound) => {
      if (bound.length === 0) return this.eval(node, scope);
      const values = new Map<string, unknown>();
      bound.forEach((value, i) => values.set(`$${i + 1}`, value));
      return this.eval(node, new Scope(values, scope));
    };
  }

  #call(name: string, args: readonly Arg[], scope: Scope, receiver: Lazy | undefined): unknown {
    const positional: Lazy[] = receiver ? [receiver] : [];
    const named = new Map<string, Lazy>();
    for (const arg of args) {
      if (arg.key) named.set(this.#argName(arg.key, scope), this.#lazy(arg.value, scope));
      else positional.push(this.#lazy(arg.value, scope));
    }
    const call: Call = { name, method: receiver !== undefined, positional, named };
    return this.#function(name)(call);
  }

  /** `switch(condition => value, …)`: the value of the first true condition, else null. */
  #switch(args: readonly Arg[], scope: Scope): unknown {
    for (const arg of args) {
      if (!arg.key)
        throw new PyError('NoMatchingFunctionException', 'No function "switch" matches supplied arguments');
      if (operator('#truthy', [this.eval(arg.key, scope)])) return this.eval(arg.value, scope);
    }
    return null;
  }

  #argName(key: Node, scope: Scope): string {
    if (key.kind === 'keyword') return key.name;
    const value = this.eval(key, scope);
    if (typeof value === 'string') return value;
    throw new PyError('MappingTranslationException', 'Cannot convert mapping to keyword argument');
  }

  #function(name: string): YaqlFunction {
    if (name === 'ctx') return external(this.#ctx);
    const provided = this.env.functions[name];
    if (provided && Object.hasOwn(this.env.functions, name)) return external(provided);
    const standard = STANDARD_FUNCTIONS.get(name);
    if (standard) return standard;
    throw unknownFunction(name);
  }

  #index(target: Node, args: readonly Arg[], scope: Scope): unknown {
    const value = this.eval(target, scope);
    const keys = args.map((arg) => {
      if (arg.key)
        throw new PyError('NoMatchingFunctionException', 'No function "#indexer" matches supplied arguments');
      return this.eval(arg.value, scope);
    });
    return operator('#indexer', [value, ...keys]);
  }

  #binary(op: string, left: Node, right: Node, scope: Scope): unknown {
    switch (op) {
      case 'and': {
        const l = this.eval(left, scope);
        return operator('#truthy', [l]) ? this.eval(right, scope) : l;
      }
      case 'or': {
        const l = this.eval(left, scope);
        return operator('#truthy', [l]) ? l : this.eval(right, scope);
      }
      case '.':
        return this.#dot(this.eval(left, scope), right, scope);
      case '?.': {
        const receiver = this.eval(left, scope);
        return receiver === null || receiver === undefined ? null : this.#dot(receiver, right, scope);
      }
      case '->':
        return this.#send(left, right, scope);
      default:
        return operator(`#operator_${op}`, [this.eval(left, scope), this.eval(right, scope)]);
    }
  }

  /** `receiver.name`, `receiver.method(…)`, or `receiver.(expression)` with `$` = receiver. */
  #dot(receiver: unknown, right: Node, scope: Scope): unknown {
    if (right.kind === 'keyword') return attribute(receiver, right.name);
    if (right.kind === 'call') return this.#call(right.name, right.args, scope, () => receiver);
    return this.eval(right, new Scope(new Map([['$1', receiver]]), scope));
  }

  /**
   * `let(name => value, …) -> expression`: evaluates the right side with the new variables.
   * `x.let(…)` is yaql's plain `.`: the arguments see `x` as `$`.
   */
  #send(left: Node, right: Node, scope: Scope): unknown {
    let call: Node = left;
    let outer = scope;
    if (left.kind === 'binary' && left.op === '.' && left.right.kind === 'call') {
      outer = new Scope(new Map([['$1', this.eval(left.left, scope)]]), scope);
      call = left.right;
    }
    if (call.kind !== 'call' || call.name !== 'let') {
      throw new PyError('NoFunctionRegisteredException', 'Unknown function "#operator_->"');
    }
    const values = new Map<string, unknown>();
    let position = 1;
    for (const arg of call.args) {
      if (arg.key) values.set(`$${this.#argName(arg.key, outer)}`, this.eval(arg.value, outer));
      else values.set(`$${position++}`, this.eval(arg.value, outer));
    }
    return this.eval(right, new Scope(values, outer));
  }
}

/** yaql's `#operator_.` with a keyword: a dict's key, or that key of every item of a list. */
export function attribute(receiver: unknown, name: string): unknown {
  if (isDict(receiver)) {
    if (!Object.hasOwn(receiver, name)) throw new PyKeyError(name);
    return receiver[name];
  }
  if (isList(receiver)) return receiver.map((item) => attribute(item, name));
  throw unknownFunction(`#property#${name}`);
}

/** A caller's function: evaluated arguments, named ones in a trailing keywords object. */
function external(fn: (...args: unknown[]) => unknown): YaqlFunction {
  return (call) => {
    const args = call.positional.map((arg) => arg());
    if (call.named.size > 0) {
      const keywords: Record<string, unknown> = { __keywords: true };
      for (const [k, v] of call.named) setKey(keywords, k, v());
      args.push(keywords);
    }
    return fn(...args);
  };
}
