/**
 * A one-line spinner on stderr while a command waits with nothing to show. Drawn only on a
 * terminal; cleared before any other output so it never mixes with it.
 */
import type { TextSink } from './output.ts';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export class Spinner {
  readonly #sink: TextSink;
  readonly #enabled: boolean;
  #timer: ReturnType<typeof setInterval> | undefined;
  #frame = 0;
  #label = '';

  constructor(sink: TextSink, enabled: boolean) {
    this.#sink = sink;
    this.#enabled = enabled;
  }

  start(label: string): void {
    this.#label = label;
    if (!this.#enabled || this.#timer) return;
    this.#draw();
    this.#timer = setInterval(() => this.#draw(), 100);
    this.#timer.unref();
  }

  stop(): void {
    if (!this.#timer) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#sink.write('\r\u001b[2K');
  }

  #draw(): void {
    const frame = FRAMES[this.#frame++ % FRAMES.length] ?? '';
    this.#sink.write(`\r\u001b[2K${frame} ${this.#label}`);
  }
}
