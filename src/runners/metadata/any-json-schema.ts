import type { JsonObject } from '../../domain/types.ts';

/** The "any JSON value" schema StackStorm's runner.yaml files spell out for result fields. */
export function anyJsonSchema(): JsonObject {
  return {
    anyOf: [
      { type: 'object' },
      { type: 'string' },
      { type: 'integer' },
      { type: 'number' },
      { type: 'boolean' },
      { type: 'array' },
      { type: 'null' },
    ],
  };
}
