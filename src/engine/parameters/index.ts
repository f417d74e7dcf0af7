/**
 * StackStorm's parameter pipeline: render live parameters at creation, validate them, render the
 * final parameters at run time, and build script arguments from them.
 */
export { ParameterRenderError } from './errors.ts';
export {
  renderLiveParameters,
  renderFinalParameters,
  type RenderLiveInput,
  type RenderFinalInput,
  type FinalParameters,
  type TemplateLookups,
} from './render.ts';
export { validateParameters, parametersSchema, type ValidateParametersInput } from './validate.ts';
export { castParameter, declaredType, MAGIC_NONE } from './cast.ts';
export { mergeSpecs, type ParameterSources } from './specs.ts';
export {
  compileTemplate,
  containsTemplate,
  isTemplateString,
  TemplateFailure,
  type CompiledTemplate,
} from './template.ts';
export { datastoreKeysOf, readsConfigContext, type DatastoreKeyRef } from './datastore-keys.ts';
export { st2kvRoot, type LoadedItem } from './datastore-lookup.ts';
