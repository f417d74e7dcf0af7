/**
 * Times are kept as integer microseconds since the epoch and shown as StackStorm shows them:
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ`, always six fractional digits and `Z`.
 */
let lastMicros = 0;

/** Now, in microseconds, strictly increasing within the process so that orderings are stable. */
export function nowMicros(): number {
  const wall = Math.floor((performance.timeOrigin + performance.now()) * 1000);
  lastMicros = wall > lastMicros ? wall : lastMicros + 1;
  return lastMicros;
}

export function formatTimestamp(micros: number): string {
  const ms = Math.floor(micros / 1000);
  const iso = new Date(ms).toISOString(); // 2024-01-12T22:10:26.123Z
  const frac = String(micros % 1_000_000).padStart(6, '0');
  return `${iso.slice(0, 19)}.${frac}Z`;
}

const ISO_UTC =
  /^(\d{4})-(\d{2})-(\d{2})(?:\s|T)(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3,6}))?(?:Z|\+00|\+0000|\+00:00)$/;

/** Parses StackStorm's accepted ISO-8601 UTC forms; undefined when the text does not match. */
export function parseTimestamp(text: string): number | undefined {
  const m = ISO_UTC.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return undefined;
  const micros = frac ? Number(frac.padEnd(6, '0')) : 0;
  return ms * 1000 + micros;
}
