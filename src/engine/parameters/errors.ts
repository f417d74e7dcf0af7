import { ValidationError } from '../../domain/errors.ts';

/**
 * A parameter could not be rendered: a template references an unknown variable, templates depend
 * on each other in a cycle, or the template engine failed. Unlike a cast or schema error, StackStorm
 * still records the execution (as `failed`, with the message as `result.error`) before answering
 * 400, so callers must be able to tell this case apart.
 */
export class ParameterRenderError extends ValidationError {}
