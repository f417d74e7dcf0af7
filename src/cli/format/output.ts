/**
 * Where and how a command prints: the format (human, JSON or YAML), colours, the terminal's width
 * and the clock. Commands print through this so tests and scripts get the same words.
 */
import { stringify } from 'yaml';
import { palette, type Palette } from './colour.ts';

export type Format = 'human' | 'json' | 'yaml';

export interface TextSink {
  write(text: string): unknown;
}

export interface OutputOptions {
  format: Format;
  colour: boolean;
  /** Columns of the terminal; tables are fitted to it. */
  width: number;
  /** Whether stderr is a terminal (the spinner is drawn there, only then). */
  interactive: boolean;
  stdout: TextSink;
  stderr: TextSink;
  now: () => number;
}

export class Output {
  readonly format: Format;
  readonly colours: Palette;
  readonly width: number;
  readonly interactive: boolean;
  readonly now: () => number;
  readonly #stdout: TextSink;
  readonly #stderr: TextSink;

  constructor(options: OutputOptions) {
    this.format = options.format;
    this.colours = palette(options.colour);
    this.width = options.width;
    this.interactive = options.interactive;
    this.now = options.now;
    this.#stdout = options.stdout;
    this.#stderr = options.stderr;
  }

  get human(): boolean {
    return this.format === 'human';
  }

  out(text: string): void {
    this.#stdout.write(text);
  }

  err(text: string): void {
    this.#stderr.write(text);
  }

  /** Prints a document for scripts: indented JSON or YAML. */
  data(value: unknown): void {
    this.out(this.format === 'yaml' ? yaml(value) : `${JSON.stringify(value, null, 2)}\n`);
  }
}

export function yaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Indents every line of a block (nested YAML under a label). */
export function indent(text: string, by = 2): string {
  const pad = ' '.repeat(by);
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l === '' ? l : pad + l))
    .join('\n');
}
