/** ActionChain workflows as pure functions: load a chain, then `stepChain(state, event)`. */
export { ChainDefinitionError, loadChain, type ChainNode, type ChainSpec } from './chain-spec.ts';
export { initialChainState, stepChain, type ChainOptions, type ChainStart } from './chain-runner.ts';
export { renderValues, RenderFailure, type RenderTemplate } from './render-values.ts';
export type * from './chain-state.ts';
