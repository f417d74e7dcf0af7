/**
 * Snapshots are content-addressed: the id of a document is a hash of its canonical JSON, so saving
 * the same action twice stores one snapshot, and an id always names the same content. Every backend
 * (and the engine, for runner types) computes ids here so that they agree.
 */
import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level: equal documents give equal text. Takes `unknown`
 * because typed documents (Action, RunnerType) are JSON without being declared as `Json`.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    // Mirrors JSON.stringify, which drops undefined members (possible in optional fields).
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** 24 hex characters, shaped like the other ids clients see. */
export function snapshotIdOf(doc: object): string {
  return createHash('sha1').update(canonicalJson(doc)).digest('hex').slice(0, 24);
}
