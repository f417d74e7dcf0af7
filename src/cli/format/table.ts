/**
 * Plain column tables that fit the terminal: columns take their natural width, and when the row
 * is too wide the flexible columns (descriptions, refs) are shortened with "…", widest first.
 */
import type { Paint } from './colour.ts';

export interface Column {
  header: string;
  /** May be shortened to fit; fixed columns (ids, statuses) never are. */
  flex?: boolean;
}

/** A cell: plain text, or text with a colour applied after any shortening. */
export type Cell = string | { text: string; paint: Paint };

const GAP = 2;
const MIN_FLEX = 8;

const textOf = (cell: Cell): string => (typeof cell === 'string' ? cell : cell.text);
const width = (text: string): number => [...text].length;

function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return max <= 1 ? '…'.slice(0, max) : `${chars.slice(0, max - 1).join('')}…`;
}

/** Column widths: natural, then the widest flexible column loses a column at a time until it fits. */
export function fitWidths(columns: readonly Column[], rows: readonly Cell[][], maxWidth: number): number[] {
  const widths = columns.map((c, i) =>
    Math.max(width(c.header), ...rows.map((r) => width(textOf(r[i] ?? '').replace(/\n/g, ' ')))),
  );
  const total = (): number => widths.reduce((a, b) => a + b, 0) + GAP * (widths.length - 1);
  while (total() > maxWidth) {
    let widest = -1;
    columns.forEach((c, i) => {
      if (c.flex && (widths[i] ?? 0) > MIN_FLEX && (widest < 0 || (widths[i] ?? 0) > (widths[widest] ?? 0)))
        widest = i;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
}

export function renderTable(
  columns: readonly Column[],
  rows: readonly Cell[][],
  options: { maxWidth: number; header: Paint },
): string {
  const widths = fitWidths(columns, rows, options.maxWidth);
  const line = (cells: readonly Cell[], isHeader: boolean): string =>
    cells
      .map((cell, i) => {
        const w = widths[i] ?? 0;
        const text = shorten(textOf(cell).replace(/\n/g, ' '), w);
        const padded = i === cells.length - 1 ? text : text + ' '.repeat(Math.max(0, w - width(text)));
        if (isHeader) return options.header(padded);
        return typeof cell === 'string' ? padded : cell.paint(text) + padded.slice(text.length);
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const headers = columns.map((c) => c.header);
  return [line(headers, true), ...rows.map((r) => line(r, false))].join('\n') + '\n';
}
