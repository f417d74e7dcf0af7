/**
 * Rendering parameters (spec §6.3 and §6.8), in StackStorm's two passes:
 *
 * - at creation, the *live* parameters stored with the execution: what the caller provided, plus
 *   parameters whose default is a template (rendered now, so the stored record shows the value);
 * - at run time, the *final* parameters: every declared parameter with its default applied and
 *   templates rendered (live values are taken as they are), split into runner and action parameters.
 */
import { jsonEqual } from '../../domain/jsonschema/index.ts';
import type { Json, JsonObject } from '../../domain/types.ts';
import { castParameter } from './cast.ts';
import { ParameterGraph } from './graph.ts';
import {
  declaredNames,
  effectiveDefault,
  isImmutable,
  mergeSpecs,
  specOf,
  type ParameterSources,
} from './specs.ts';
import { isTemplateString } from './template.ts';

/** What templates may read besides the parameters themselves. */
export interface TemplateLookups {
  /**
   * The datastore as `st2kv.system.<key>` / `st2kv.user.<key>`; any object (a lookup proxy will
   * do). Defaults to empty scopes, so references render as an empty string.
   */
  st2kv?: object;
  /** The pack configuration, as `config_context.<key>`. */
  configContext?: JsonObject;
}

export interface RenderLiveInput extends ParameterSources {
  /** The parameters in the request, as sent. */
  provided: JsonObject;
  /** The execution context (`action_context` in templates). */
  context: JsonObject;
  lookups?: TemplateLookups;
}

export interface RenderFinalInput extends ParameterSources {
  /** The live parameters stored with the execution. */
  live: JsonObject;
  context: JsonObject;
  lookups?: TemplateLookups;
}

export interface FinalParameters {
  /** Parameters the runner type declares. */
  runnerParameters: JsonObject;
  /** Every other declared parameter (passed on to the action itself). */
  actionParameters: JsonObject;
}

function newGraph(context: JsonObject, lookups: TemplateLookups = {}): ParameterGraph {
  const graph = new ParameterGraph();
  graph.setRoot('st2kv', lookups.st2kv ?? { system: {}, user: {} });
  graph.setRoot('action_context', context);
  graph.setRoot('config_context', lookups.configContext ?? {});
  return graph;
}

/**
 * Gives every declared parameter that has no value yet — absent, null, or immutable (a provided
 * value never overrides an immutable one) — its default, or null when there is none. Declared
 * parameters are therefore all visible to templates.
 */
function addDefaults(graph: ParameterGraph, sources: ParameterSources): void {
  for (const name of declaredNames(sources)) {
    if (!graph.has(name) || graph.isNullLiteral(name) || isImmutable(sources, name)) {
      graph.setValue(name, effectiveDefault(sources, name));
    }
  }
}

/**
 * The live parameters: provided values (rendered when they are templates) and templated,
 * non-immutable defaults, cast to their declared types. Provided keys come first, in request
 * order. Throws `ParameterRenderError` for render problems and `ValidationError` for casts.
 */
export function renderLiveParameters(input: RenderLiveInput): JsonObject {
  const { provided } = input;
  const graph = newGraph(input.context, input.lookups);
  for (const [name, value] of Object.entries(provided)) graph.setValue(name, value);
  addDefaults(graph, input);
  const rendered = graph.resolve();
  const specs = mergeSpecs(input);

  const live: JsonObject = {};
  for (const name of Object.keys(provided)) {
    live[name] = castParameter(rendered.get(name) ?? null, specOf(specs, name));
  }
  // Templated defaults are rendered now so that the stored parameters show their values.
  for (const declared of [input.action.parameters, input.runner.runner_parameters]) {
    for (const [name, spec] of Object.entries(declared)) {
      if (
        spec.immutable ||
        spec.default === undefined ||
        Object.prototype.hasOwnProperty.call(provided, name)
      ) {
        continue;
      }
      const value = rendered.get(name) ?? null;
      // StackStorm's `is_jinja_expression` only looks at strings: a templated list/dict default is
      // rendered at run time instead.
      if (
        typeof spec.default !== 'string' ||
        !isTemplateString(spec.default) ||
        jsonEqual(spec.default, value)
      ) {
        continue;
      }
      live[name] = castParameter(value, specOf(specs, name));
    }
  }
  return live;
}

/**
 * The parameters a runner receives: all declared parameters, defaults applied (templated ones
 * rendered, immutable ones always from metadata), cast, then split between the runner type's
 * parameters and the action's. Parameters without value or default are present as null. Live
 * values are not rendered again.
 */
export function renderFinalParameters(input: RenderFinalInput): FinalParameters {
  const graph = newGraph(input.context, input.lookups);
  for (const [name, value] of Object.entries(input.live)) graph.setLiteral(name, value);
  addDefaults(graph, input);
  const rendered = graph.resolve();
  const specs = mergeSpecs(input);
  const cast = (name: string): Json => castParameter(rendered.get(name) ?? null, specOf(specs, name));

  const runnerParameters: JsonObject = {};
  for (const name of Object.keys(input.runner.runner_parameters)) runnerParameters[name] = cast(name);
  const actionParameters: JsonObject = {};
  for (const name of Object.keys(input.action.parameters)) {
    if (!Object.prototype.hasOwnProperty.call(input.runner.runner_parameters, name)) {
      actionParameters[name] = cast(name);
    }
  }
  return { runnerParameters, actionParameters };
}
