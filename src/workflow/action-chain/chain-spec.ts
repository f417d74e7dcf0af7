/**
 * StackStorm's ActionChain definition: a list of nodes, each running an action (`ref`) with
 * `parameters` (or the older `params`), publishing variables, and naming the node to run next
 * `on-success` / `on-failure`; `default` names the first node, `vars` are rendered at the start.
 */
import { parse as parseYaml } from 'yaml';

export interface ChainNode {
  readonly name: string;
  readonly ref: string;
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly onSuccess: string | undefined;
  readonly onFailure: string | undefined;
  readonly publish: Readonly<Record<string, unknown>> | undefined;
  /** The node as written (StackStorm puts it in the child execution's `context.chain`). */
  readonly definition: Readonly<Record<string, unknown>>;
}

export interface ChainSpec {
  readonly chain: readonly ChainNode[];
  readonly default: string | undefined;
  readonly vars: Readonly<Record<string, unknown>>;
}

/** The definition cannot run; `message` is StackStorm's (the runner's pre-run error). */
export class ChainDefinitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChainDefinitionError';
  }
}

const NODE_KEYS = new Set([
  'name',
  'ref',
  'params',
  'parameters',
  'on-success',
  'on-failure',
  'publish',
  'notify',
  'description',
]);

/** Loads and validates a chain (YAML text or parsed); throws `ChainDefinitionError`. */
export function loadChain(definition: unknown, chainName = 'chain'): ChainSpec {
  const raw = typeof definition === 'string' ? (parseYaml(definition) as unknown) : definition;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ChainDefinitionError('The action chain definition is not a mapping.');
  }
  const spec = raw as Record<string, unknown>;
  for (const key of Object.keys(spec)) {
    if (!['chain', 'default', 'vars'].includes(key)) {
      throw new ChainDefinitionError(`Additional properties are not allowed ('${key}' was unexpected)`);
    }
  }
  if (!Array.isArray(spec['chain'])) throw new ChainDefinitionError("'chain' is a required property");
  const chain = spec['chain'].map((n, i) => loadNode(n, i));
  const vars = spec['vars'];
  const chainSpec: ChainSpec = {
    chain,
    default: typeof spec['default'] === 'string' ? spec['default'] : defaultNode(chain),
    vars:
      vars !== null && typeof vars === 'object' && !Array.isArray(vars)
        ? (vars as Record<string, unknown>)
        : {},
  };
  if (!chainSpec.default && chain.length > 0)
    throw new ChainDefinitionError(`Failed to find default node in ${chainName}.`);
  validate(chainSpec);
  return chainSpec;
}

function loadNode(raw: unknown, index: number): ChainNode {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ChainDefinitionError(`The chain node at index ${index} is not a mapping.`);
  }
  const node = raw as Record<string, unknown>;
  for (const key of Object.keys(node)) {
    if (!NODE_KEYS.has(key))
      throw new ChainDefinitionError(`Additional properties are not allowed ('${key}' was unexpected)`);
  }
  for (const key of ['name', 'ref']) {
    if (typeof node[key] !== 'string') throw new ChainDefinitionError(`'${key}' is a required property`);
  }
  const params = asMapping(node['params']);
  const parameters = asMapping(node['parameters']);
  if (Object.keys(params).length > 0 && Object.keys(parameters).length > 0) {
    throw new ChainDefinitionError(
      'Either "params" or "parameters" attribute needs to be provided, but not both',
    );
  }
  const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    name: node['name'] as string,
    ref: node['ref'] as string,
    parameters: Object.keys(parameters).length > 0 ? parameters : params,
    onSuccess: text(node['on-success']),
    onFailure: text(node['on-failure']),
    publish:
      node['publish'] === undefined || node['publish'] === null ? undefined : asMapping(node['publish']),
    definition: node,
  };
}

/** The first node no other node leads to (else the first node), as StackStorm picks it. */
function defaultNode(chain: readonly ChainNode[]): string | undefined {
  const referenced = new Set(chain.flatMap((n) => [n.onSuccess, n.onFailure]));
  return chain.find((n) => !referenced.has(n.name))?.name ?? chain[0]?.name;
}

const isTemplate = (name: string): boolean => /\{\{.*?\}\}|\{%.*?%\}/s.test(name);

function validate(spec: ChainSpec): void {
  const names = new Set(spec.chain.map((n) => n.name));
  const valid = (name: string | undefined): boolean => !name || isTemplate(name) || names.has(name);
  for (const node of spec.chain) {
    if (!valid(node.onSuccess)) {
      throw new ChainDefinitionError(
        `Unable to find node with name "${node.onSuccess}" referenced in "on-success" in task "${node.name}".`,
      );
    }
    if (!valid(node.onFailure)) {
      throw new ChainDefinitionError(
        `Unable to find node with name "${node.onFailure}" referenced in "on-failure" in task "${node.name}".`,
      );
    }
  }
  if (!valid(spec.default))
    throw new ChainDefinitionError(
      `Unable to find node with name "${spec.default}" referenced in "default".`,
    );
}

function asMapping(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}
