/** Times as a person reads them: "3m ago", "1.2s", "Sun, 29 Nov 2026 03:31:06 UTC". */

export function parseIso(text: unknown): number | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** How long ago `iso` was, relative to `nowMs`; the absolute UTC date past a week. */
export function relativeTime(iso: unknown, nowMs: number): string {
  const ms = parseIso(iso);
  if (ms === undefined) return '';
  const seconds = Math.round((nowMs - ms) / 1000);
  if (seconds < 0) return `in ${duration(-seconds * 1000)}`;
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  if (seconds < 7 * 86_400) return `${Math.floor(seconds / 86_400)}d ago`;
  return absoluteTime(iso);
}

export function absoluteTime(iso: unknown): string {
  const ms = parseIso(iso);
  return ms === undefined ? '' : new Date(ms).toUTCString().replace('GMT', 'UTC');
}

/** A duration in milliseconds: "45ms", "1.2s", "2m 05s", "3h 07m". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

/** Elapsed time of an execution: end (or now, while it runs) minus start. */
export function elapsed(start: unknown, end: unknown, nowMs: number): string {
  const from = parseIso(start);
  if (from === undefined) return '';
  return duration((parseIso(end) ?? nowMs) - from);
}
