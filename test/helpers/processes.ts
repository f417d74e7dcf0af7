/**
 * Helpers for tests and benchmarks that run Squall as a real process: a free port, the exact
 * command line `npm start` uses, and the peak resident memory the kernel reports.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The node arguments `npm start` runs the built server with, read from package.json. */
export function npmStartArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const command = pkg.scripts['start']?.split('&&').pop()?.trim() ?? '';
  const [node, ...args] = command.split(/\s+/);
  if (node !== 'node') throw new Error(`npm start no longer ends with a node command: "${command}"`);
  return args;
}

/** Peak resident memory of a live process, in bytes (VmHWM). */
export function peakRssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmHWM:'));
  return Number(line?.replace(/\D/g, '') ?? 0) * 1024;
}
