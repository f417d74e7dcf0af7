/**
 * StackStorm's `render_values`: each value of a mapping is rendered as one Jinja template (lists
 * and mappings through their JSON text, other scalars through Python's `str()`); a value the
 * template left unchanged keeps its original type, a list or mapping is decoded back from JSON.
 */
import { pyJsonDumps, pyStr } from '../../domain/pyrepr.ts';
import type { Json } from '../../domain/types.ts';

/** Renders one Jinja template to text; throws with the reason when it cannot. */
export type RenderTemplate = (source: string, context: Readonly<Record<string, unknown>>) => string;

/** A value failed to render: StackStorm names the key and the template. */
export class RenderFailure extends Error {
  constructor(
    readonly key: string,
    readonly template: string,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RenderFailure';
  }
}

export function renderValues(
  mapping: Readonly<Record<string, unknown>>,
  context: Readonly<Record<string, unknown>>,
  render: RenderTemplate,
): Record<string, unknown> {
  if (Object.keys(mapping).length === 0 || Object.keys(context).length === 0) return { ...mapping };
  const superContext = { __context: context, ...context };
  const rendered: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(mapping)) {
    const structured = value !== null && typeof value === 'object';
    const source = structured
      ? pyJsonDumps(value as Json)
      : typeof value === 'string'
        ? value
        : pyStr(value as Json);
    let text: string;
    try {
      text = render(source, superContext);
    } catch (e) {
      throw new RenderFailure(key, source, e instanceof Error ? e.message : String(e));
    }
    if (text === source) rendered[key] = value;
    else rendered[key] = structured ? (JSON.parse(text) as unknown) : text;
  }
  return rendered;
}
