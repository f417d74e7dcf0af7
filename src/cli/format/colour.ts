/**
 * ANSI colours for the human output. Enabled only when the stream is a terminal and neither
 * NO_COLOR nor TERM=dumb says otherwise (decided once by the entry, passed in as a boolean).
 */
export type Paint = (text: string) => string;

export interface Palette {
  readonly enabled: boolean;
  readonly red: Paint;
  readonly green: Paint;
  readonly yellow: Paint;
  readonly blue: Paint;
  readonly magenta: Paint;
  readonly cyan: Paint;
  readonly dim: Paint;
  readonly bold: Paint;
}

const sgr =
  (enabled: boolean, open: number, close: number): Paint =>
  (text) =>
    enabled && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export function palette(enabled: boolean): Palette {
  return {
    enabled,
    red: sgr(enabled, 31, 39),
    green: sgr(enabled, 32, 39),
    yellow: sgr(enabled, 33, 39),
    blue: sgr(enabled, 34, 39),
    magenta: sgr(enabled, 35, 39),
    cyan: sgr(enabled, 36, 39),
    dim: sgr(enabled, 2, 22),
    bold: sgr(enabled, 1, 22),
  };
}

/** The colour an execution status is shown in: green done, red broken, yellow/cyan in flight. */
export function statusPaint(colours: Palette, status: string): Paint {
  switch (status) {
    case 'succeeded':
      return colours.green;
    case 'failed':
    case 'timeout':
    case 'abandoned':
      return colours.red;
    case 'canceled':
    case 'canceling':
      return colours.magenta;
    case 'paused':
    case 'pausing':
    case 'pending':
      return colours.blue;
    case 'running':
    case 'resuming':
      return colours.cyan;
    default:
      return colours.yellow;
  }
}
