/**
 * `include_attributes` / `exclude_attributes` for simple resources (actions, runner types): top-level
 * fields only, `id` always kept, unknown names ignored.
 */
import type { Json } from '../domain/types.ts';

export function pickFields<T extends object>(
  doc: T,
  include: readonly string[] | undefined,
  exclude: readonly string[] | undefined,
): Record<string, Json> {
  const source = doc as unknown as Record<string, Json>;
  const inc = (include ?? []).map((f) => f.split('.')[0] ?? '').filter((f) => f !== '');
  const exc = new Set((exclude ?? []).filter((f) => f !== ''));
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(source)) {
    if (inc.length > 0 && key !== 'id' && !inc.includes(key)) continue;
    if (exc.has(key)) continue;
    out[key] = value;
  }
  return out;
}
