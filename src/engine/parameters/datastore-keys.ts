/**
 * Which datastore items rendering will read: every template among the provided values and the
 * declared defaults, scanned for `st2kv.system.<name>` / `st2kv.user.<name>`. The caller reads
 * those items (asynchronously) and passes them in as `TemplateLookups.st2kv`.
 */
import type { Json, JsonObject } from '../../domain/types.ts';
import type { ParameterSources } from './specs.ts';
import type { DatastoreKeyRef } from './template-ast.ts';
import { compileTemplate, isTemplateString, TemplateFailure } from './template.ts';

export type { DatastoreKeyRef } from './template-ast.ts';

function collect(value: Json | undefined, into: Map<string, DatastoreKeyRef>): void {
  if (typeof value === 'string') {
    if (!isTemplateString(value)) return;
    try {
      for (const ref of compileTemplate(value).datastoreKeys) into.set(`${ref.scope}:${ref.name}`, ref);
    } catch (error) {
      if (!(error instanceof TemplateFailure)) throw error; // rendering reports it
    }
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, into);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      collect(key, into);
      collect(item, into);
    }
  }
}

export function datastoreKeysOf(sources: ParameterSources, provided: JsonObject): DatastoreKeyRef[] {
  const refs = new Map<string, DatastoreKeyRef>();
  collect(provided, refs);
  for (const specs of [sources.action.parameters, sources.runner.runner_parameters]) {
    for (const spec of Object.values(specs)) collect(spec.default, refs);
  }
  return [...refs.values()];
}

function mentions(value: Json | undefined, word: string): boolean {
  if (typeof value === 'string') return isTemplateString(value) && value.includes(word);
  if (Array.isArray(value)) return value.some((item) => mentions(item, word));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => mentions(key, word) || mentions(item, word));
  }
  return false;
}

/** Whether a template among the provided values and declared defaults reads `config_context`. */
export function readsConfigContext(sources: ParameterSources, provided: JsonObject): boolean {
  return (
    mentions(provided, 'config_context') ||
    [sources.action.parameters, sources.runner.runner_parameters].some((specs) =>
      Object.values(specs).some((spec) => mentions(spec.default, 'config_context')),
    )
  );
}
