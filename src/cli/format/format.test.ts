import { describe, expect, it } from 'vitest';
import { palette, statusPaint } from './colour.ts';
import { renderTable } from './table.ts';
import { duration, elapsed, relativeTime } from './time.ts';

const plain = (s: string): string => s;

describe('renderTable', () => {
  const columns = [{ header: 'ID' }, { header: 'DESCRIPTION', flex: true }];
  const rows = [['a1', 'a rather long description of the thing']];

  it('pads columns to their natural width when there is room', () => {
    expect(renderTable(columns, rows, { maxWidth: 200, header: plain })).toBe(
      'ID  DESCRIPTION\na1  a rather long description of the thing\n',
    );
  });

  it('shortens flexible columns with … to fit, never the fixed ones', () => {
    const out = renderTable(columns, rows, { maxWidth: 20, header: plain });
    expect(out).toBe('ID  DESCRIPTION\na1  a rather long d…\n');
    for (const line of out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(20);
  });

  it('colours a cell after shortening, and keeps the padding outside the colour', () => {
    const red = palette(true).red;
    const out = renderTable([{ header: 'S' }, { header: 'X' }], [[{ text: 'failed', paint: red }, 'x']], {
      maxWidth: 80,
      header: plain,
    });
    expect(out).toBe('S       X\n\u001b[31mfailed\u001b[39m  x\n');
  });
});

describe('colours', () => {
  it('are empty strings when disabled and follow the status', () => {
    expect(palette(false).red('x')).toBe('x');
    const on = palette(true);
    expect(statusPaint(on, 'succeeded')('ok')).toBe('\u001b[32mok\u001b[39m');
    expect(statusPaint(on, 'timeout')('t')).toBe('\u001b[31mt\u001b[39m');
  });
});

describe('times', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it('relative to now', () => {
    expect(relativeTime('2026-11-29T11:59:58Z', now)).toBe('just now');
    expect(relativeTime('2026-11-29T11:59:30Z', now)).toBe('30s ago');
    expect(relativeTime('2026-11-29T11:15:00Z', now)).toBe('45m ago');
    expect(relativeTime('2026-11-29T02:00:00Z', now)).toBe('10h ago');
    expect(relativeTime('2026-11-26T12:00:00Z', now)).toBe('3d ago');
    expect(relativeTime('2026-10-01T12:00:00Z', now)).toBe('Thu, 01 Oct 2026 12:00:00 UTC');
    expect(relativeTime(undefined, now)).toBe('');
  });
  it('durations and elapsed (running: up to now)', () => {
    expect(duration(45)).toBe('45ms');
    expect(duration(1234)).toBe('1.2s');
    expect(duration(125_000)).toBe('2m 05s');
    expect(duration(3 * 3600_000 + 7 * 60_000)).toBe('3h 07m');
    expect(elapsed('2026-11-29T11:59:00Z', undefined, now)).toBe('1m 00s');
    expect(elapsed('2026-11-29T11:59:00.000000Z', '2026-11-29T11:59:00.500000Z', now)).toBe('500ms');
  });
});
