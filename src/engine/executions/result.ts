import type { Json } from '../../domain/types.ts';

/**
 * Results are stored as compact JSON text (what StackStorm's orjson produces) and their size is
 * its UTF-8 byte length, which is what `result_size` reports.
 */
export function serializeResult(result: Json): { json: string; size: number } {
  const json = JSON.stringify(result);
  return { json, size: Buffer.byteLength(json, 'utf8') };
}
