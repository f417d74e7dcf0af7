/**
 * The dependency graph StackStorm resolves parameters with: every parameter is a node holding a
 * literal or a template; a template depends on the root variables it reads; context roots
 * (`st2kv`, `action_context`, `config_context`) are pre-resolved nodes. Resolution checks that
 * every dependency exists and that there are no cycles, then renders templates in dependency order,
 * each seeing the already-rendered values of the parameters it reads.
 */
import type { Json, JsonObject } from '../../domain/types.ts';
import { ParameterRenderError } from './errors.ts';
import {
  compileTemplate,
  containsTemplate,
  isTemplateString,
  singleVariable,
  TemplateFailure,
} from './template.ts';

interface ParameterNode {
  value: Json;
  /** Whether `value` holds templates to render (false for literals). */
  template: boolean;
  deps: readonly string[];
}

export class ParameterGraph {
  readonly #roots = new Map<string, unknown>();
  readonly #nodes = new Map<string, ParameterNode>();

  /** A pre-resolved context root such as `st2kv` (a parameter of the same name shadows it). */
  setRoot(name: string, value: unknown): void {
    this.#roots.set(name, value);
  }

  /** A value rendered earlier (or a plain value), never treated as a template. */
  setLiteral(name: string, value: Json): void {
    this.#nodes.set(name, { value, template: false, deps: [] });
  }

  /** A value that is a template when it (or, for arrays/objects, a leaf or key) contains one. */
  setValue(name: string, value: Json): void {
    if (!containsTemplate(value)) {
      this.setLiteral(name, value);
      return;
    }
    const deps = new Set<string>();
    forEachTemplate(value, (source) => {
      const variable = singleVariable(source);
      if (variable !== undefined) deps.add(variable);
      else for (const dep of compiled(name, source).variables) deps.add(dep);
    });
    this.#nodes.set(name, { value, template: true, deps: [...deps] });
  }

  has(name: string): boolean {
    return this.#nodes.has(name);
  }

  /** The node's value when it is a literal null: StackStorm then falls back to the default. */
  isNullLiteral(name: string): boolean {
    const node = this.#nodes.get(name);
    return node !== undefined && !node.template && node.value === null;
  }

  /** Renders every node; returns each parameter's value. Throws `ParameterRenderError`. */
  resolve(): Map<string, Json> {
    this.#checkDependencies();
    this.#checkCycles();
    const context: Record<string, unknown> = Object.fromEntries(this.#roots);
    const resolved = new Map<string, Json>();
    const visit = (name: string): void => {
      const node = this.#nodes.get(name);
      if (!node || resolved.has(name)) return;
      // Mark first: cycles were ruled out, this only guards re-entry through shared dependencies.
      resolved.set(name, null);
      for (const dep of node.deps) visit(dep);
      const value = node.template ? renderValue(name, node.value, context) : node.value;
      resolved.set(name, value);
      context[name] = value;
    };
    for (const name of this.#nodes.keys()) visit(name);
    return resolved;
  }

  #checkDependencies(): void {
    for (const node of this.#nodes.values()) {
      for (const dep of node.deps) {
        if (!this.#nodes.has(dep) && !this.#roots.has(dep)) {
          throw new ParameterRenderError(`Dependency unsatisfied in variable "${dep}"`);
        }
      }
    }
  }

  /** Tarjan's strongly connected components; every node on a cycle is named, sorted. */
  #checkCycles(): void {
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cyclic: string[] = [];
    let counter = 0;
    const connect = (name: string): void => {
      index.set(name, counter);
      low.set(name, counter);
      counter++;
      stack.push(name);
      onStack.add(name);
      const deps = this.#nodes.get(name)?.deps ?? [];
      for (const dep of deps) {
        if (!this.#nodes.has(dep)) continue;
        if (!index.has(dep)) {
          connect(dep);
          low.set(name, Math.min(low.get(name) ?? 0, low.get(dep) ?? 0));
        } else if (onStack.has(dep)) {
          low.set(name, Math.min(low.get(name) ?? 0, index.get(dep) ?? 0));
        }
      }
      if (low.get(name) !== index.get(name)) return;
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== name);
      if (component.length > 1 || deps.includes(name)) cyclic.push(...component);
    };
    for (const name of this.#nodes.keys()) if (!index.has(name)) connect(name);
    if (cyclic.length > 0) {
      throw new ParameterRenderError(
        `Cyclic dependency found in the following variables: ${cyclic.sort().join(', ')}. ` +
          'Likely the variable is referencing itself',
      );
    }
  }
}

function compiled(name: string, source: string): ReturnType<typeof compileTemplate> {
  try {
    return compileTemplate(source);
  } catch (err) {
    throw renderError(name, err);
  }
}

function renderError(name: string, err: unknown): unknown {
  if (err instanceof TemplateFailure) {
    return new ParameterRenderError(`Failed to render parameter "${name}": ${err.message}`, { cause: err });
  }
  return err;
}

/** Calls `fn` with every template string in `value`: itself, or its leaves and keys. */
function forEachTemplate(value: Json, fn: (source: string) => void): void {
  if (typeof value === 'string') {
    if (isTemplateString(value)) fn(value);
  } else if (Array.isArray(value)) {
    for (const item of value) forEachTemplate(item, fn);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (isTemplateString(key)) fn(key);
      forEachTemplate(item, fn);
    }
  }
}

/**
 * A template string renders to text. Inside arrays and objects each template leaf is rendered on
 * its own, and a leaf that is exactly `{{ name }}` takes the variable's value with its type (what
 * StackStorm's `to_complex` rewrite achieves), so `["{{ hosts }}"]` can carry a list.
 */
function renderValue(name: string, value: Json, context: Readonly<Record<string, unknown>>): Json {
  try {
    if (typeof value === 'string') return compileTemplate(value).render(context);
    return renderStructure(value, context);
  } catch (err) {
    throw renderError(name, err);
  }
}

function renderStructure(value: Json, context: Readonly<Record<string, unknown>>): Json {
  if (typeof value === 'string') {
    if (!isTemplateString(value)) return value;
    const variable = singleVariable(value);
    if (variable !== undefined) {
      const native = plainJson(context[variable]);
      if (native !== undefined) return native;
    }
    return compileTemplate(value).render(context);
  }
  if (Array.isArray(value)) return value.map((item) => renderStructure(item, context));
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const renderedKey = isTemplateString(key) ? compileTemplate(key).render(context) : key;
      out[renderedKey] = renderStructure(item, context);
    }
    return out;
  }
  return value;
}

/** `value` when it is plain JSON data (context roots such as `st2kv` may be lookup objects). */
function plainJson(value: unknown): Json | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (Array.isArray(value)) {
    const items = value.map(plainJson);
    return items.every((item) => item !== undefined) ? (items as Json[]) : undefined;
  }
  if (typeof value === 'object' && value !== undefined) {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return undefined;
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const json = plainJson(item);
      if (json === undefined) return undefined;
      out[key] = json;
    }
    return out;
  }
  return undefined;
}
