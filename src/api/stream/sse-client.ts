/**
 * One Server-Sent Events connection. Writing never waits for the client: frames go to the socket's
 * buffer, and a client whose unread backlog passes `maxBufferedBytes` is told why and disconnected,
 * so a stalled client costs a bounded amount of memory and never slows the engine or anyone else.
 */
import type { FastifyReply } from 'fastify';

export interface SseOptions {
  /** Unread bytes a client may fall behind by before it is disconnected. */
  maxBufferedBytes: number;
  /** Keep-alive newline after this long without a frame; 0 disables. */
  heartbeatMs: number;
  /** Called once when the connection ends, for whatever reason. */
  onClose: () => void;
  /** Told why a client is being dropped (for the log: the client may never read it). */
  onDrop: (reason: string) => void;
}

/** How long a disconnected slow client gets to read its last words before the socket is destroyed. */
const GOODBYE_MS = 2000;

export class SseClient {
  readonly #reply: FastifyReply;
  readonly #options: SseOptions;
  #heartbeat: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(reply: FastifyReply, options: SseOptions) {
    this.#reply = reply;
    this.#options = options;
    const raw = reply.raw;
    // Headers set by hooks (CORS, X-Request-ID) are on the reply; the raw response needs them too.
    reply.hijack();
    // An event stream is never followed by another request on its connection: ending the stream
    // (completion, a dropped slow client, shutdown) must close the connection, not park it as
    // keep-alive, where it would also hold the server's close for keepAliveTimeout.
    raw.shouldKeepAlive = false;
    raw.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string | string[] | number>),
      'content-type': 'text/event-stream; charset=UTF-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
      // A stream's end is the connection's end. Kept alive, a connection whose client never read
      // to the end would linger idle until the server's keep-alive timeout, long after
      // close() gave up on it: once its last bytes are in the kernel, the response lets go of the
      // socket and destroying the response no longer reaches it.
      connection: 'close',
    });
    raw.on('close', () => this.#finish());
    this.#armHeartbeat();
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Writes raw text (a frame, or the keep-alive newline). */
  write(text: string): void {
    if (this.#closed) return;
    const raw = this.#reply.raw;
    // Judged on what is still unread from earlier frames, so one big frame (a large result) goes
    // through; memory per client stays under the bound plus one frame.
    if (raw.writableLength > this.#options.maxBufferedBytes) {
      this.drop(
        `Client is too slow: more than ${this.#options.maxBufferedBytes} bytes unread; disconnected.`,
      );
      return;
    }
    raw.write(text);
    this.#armHeartbeat();
  }

  /**
   * Writes at the client's pace, for replays of stored data: waits for the socket to drain rather
   * than counting the replay against the slow-client bound.
   */
  async writePaced(text: string): Promise<void> {
    if (this.#closed) return;
    const raw = this.#reply.raw;
    if (!raw.write(text)) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          raw.off('drain', done);
          raw.off('close', done);
          resolve();
        };
        raw.on('drain', done);
        raw.on('close', done);
      });
    }
  }

  /** Disconnects with a reason: logged, and sent as a last `error` event for a client that reads it. */
  drop(reason: string): void {
    if (this.#closed) return;
    this.#options.onDrop(reason);
    this.close(frame('error', JSON.stringify({ faultstring: reason })));
  }

  /** Ends the stream, optionally with last words; a client that does not read them is cut off. */
  close(last?: string): void {
    if (this.#closed) return;
    const raw = this.#reply.raw;
    // The socket, not the response: a response detaches from its socket once it has finished.
    const socket = raw.socket;
    this.#finish();
    raw.end(last);
    setTimeout(() => socket?.destroy(), GOODBYE_MS).unref();
  }

  #armHeartbeat(): void {
    if (this.#options.heartbeatMs <= 0) return;
    clearTimeout(this.#heartbeat);
    this.#heartbeat = setTimeout(() => this.write('\n'), this.#options.heartbeatMs);
    this.#heartbeat.unref();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#heartbeat);
    this.#options.onClose();
  }
}

/** One SSE frame: the event name and one line of data. */
export function frame(event: string, data: string): string {
  return `event: ${event}\ndata: ${data}\n\n`;
}
