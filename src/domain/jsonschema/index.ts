/**
 * A JSON-Schema Draft-4 validator that speaks Python jsonschema's error messages, because
 * StackStorm answers schema violations with those messages as faultstrings and clients compare
 * them. See `keywords.ts` for the supported keywords.
 */
import { ValidationError } from '../errors.ts';
import type { Json } from '../types.ts';
import type { SchemaError } from './schema-error.ts';
import { bestMatch, firstError, iterErrors, type IterOptions } from './validator.ts';

export interface ValidateOptions extends IterOptions {
  /**
   * Report jsonschema 3.2's `best_match` instead of the first error. StackStorm's parameter
   * validation goes through `jsonschema.validate()`, which does this; its API router calls
   * `validator.validate()`, which raises the first error.
   */
  bestMatch?: boolean;
}

/** The error StackStorm would raise for `instance`, or undefined when it is valid. */
export function schemaViolation(
  schema: Json,
  instance: Json,
  options: ValidateOptions = {},
): SchemaError | undefined {
  const errors = iterErrors(schema, instance, options);
  return options.bestMatch ? bestMatch(errors) : firstError(errors);
}

/** The message of the error StackStorm would raise, or undefined when `instance` is valid. */
export function validationMessage(
  schema: Json,
  instance: Json,
  options: ValidateOptions = {},
): string | undefined {
  return schemaViolation(schema, instance, options)?.message;
}

/**
 * Throws `ValidationError` with jsonschema's message when `instance` violates `schema`. With
 * `fillDefaults`, absent properties that have a `default` are set on `instance` (mutated).
 */
export function validate(schema: Json, instance: Json, options: ValidateOptions = {}): void {
  const message = validationMessage(schema, instance, options);
  if (message !== undefined) throw new ValidationError(message);
}

export { iterErrors, bestMatch, resolveRef } from './validator.ts';
export { pySearch } from './regex.ts';
export { isType } from './keywords.ts';
export { jsonEqual } from './json.ts';
export type { SchemaError } from './schema-error.ts';
export type { IterOptions } from './validator.ts';
