/**
 * A real Server-Sent Events client over node:http, parsing frames the way StackStorm's clients do.
 */
import http from 'node:http';

export interface SseFrame {
  event: string;
  data: string;
}

export interface SseConnection {
  status: number;
  headers: http.IncomingHttpHeaders;
  frames: SseFrame[];
  /** Everything received, raw (keep-alive newlines included). */
  raw(): string;
  /** Resolves when the server ends the stream. */
  closed: Promise<void>;
  /** Resolves once `predicate` holds for the frames received so far. */
  until(predicate: (frames: SseFrame[]) => boolean, timeoutMs?: number): Promise<SseFrame[]>;
  close(): void;
}

export function connectSse(url: string): Promise<SseConnection> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let buffer = '';
      let raw = '';
      const frames: SseFrame[] = [];
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) frames.push({ event, data: data.join('\n') });
        }
        for (const wake of waiters) wake();
      });
      const closed = new Promise<void>((done) => {
        res.on('end', () => done());
        res.on('close', () => done());
        res.on('error', () => done());
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        frames,
        raw: () => raw,
        closed,
        until(predicate, timeoutMs = 15_000) {
          return new Promise((ok, fail) => {
            const check = (): void => {
              if (predicate(frames)) {
                waiters.delete(check);
                clearTimeout(timer);
                ok(frames);
              }
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`SSE condition not met; frames: ${JSON.stringify(frames).slice(0, 2000)}`));
            }, timeoutMs);
            waiters.add(check);
            void closed.then(check);
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
