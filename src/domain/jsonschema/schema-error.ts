/** One schema violation, shaped like Python jsonschema's `ValidationError` where it matters. */
export interface SchemaError {
  /** jsonschema's message text, e.g. `'action' is a required property`. */
  message: string;
  /** Where in the instance, relative to the schema that reported it (`error.path` in Python). */
  path: (string | number)[];
  /** The keyword that failed (`error.validator`); `best_match` ranks `anyOf`/`oneOf` lower. */
  keyword: string;
  /** The sub-errors of an `anyOf`/`oneOf` failure (`error.context`). */
  context: SchemaError[];
}

export function schemaError(keyword: string, message: string, context: SchemaError[] = []): SchemaError {
  return { message, path: [], keyword, context };
}
