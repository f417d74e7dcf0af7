import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFifoPool, type FifoPool, type OpenedFifo } from './fifo-pool.ts';

const pools: FifoPool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.close();
});

async function readyPool(batch?: number, parentDir?: string): Promise<FifoPool> {
  const pool = createFifoPool({ batch, parentDir });
  pools.push(pool);
  expect(await pool.ready()).toBe(true);
  return pool;
}

/** Runs `script` with its stdout on the FIFO and resolves with everything read and whether it ended. */
function runInto(fifo: OpenedFifo, script: string): Promise<string> {
  const child = spawn('sh', ['-c', script], { stdio: ['ignore', fifo.writeFd, 'inherit'] });
  fifo.spawned();
  let text = '';
  fifo.onData((chunk) => (text += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    fifo.reader.on('end', () => resolve(text));
  });
}

describe('FIFO pool', () => {
  it('gives a child a pipe whose reader ends when the child is done', async () => {
    const pool = await readyPool();
    const fifo = pool.open();
    if (!fifo) throw new Error('no FIFO');
    expect(await runInto(fifo, '[ -p /dev/stdout ] && echo "a pipe"; echo more')).toBe('a pipe\nmore\n');
    fifo.release(true);
  });

  it('reuses FIFOs whose reader saw the end, so steady use makes no new ones', async () => {
    const pool = await readyPool(4);
    for (let i = 0; i < 20; i++) {
      const fifo = pool.open();
      if (!fifo) throw new Error('no FIFO');
      expect(await runInto(fifo, `echo run ${i}`)).toBe(`run ${i}\n`);
      fifo.release(true);
    }
    // One batch at start, and at most one refill: nothing grows with the number of runs.
    expect(pool.stats().made).toBeLessThanOrEqual(8);
  });

  it('grows with the number in use, so a burst waits for few refills', async () => {
    const pool = await readyPool(4);
    const open: OpenedFifo[] = [];
    let misses = 0;
    while (open.length < 32) {
      const fifo = pool.open();
      if (fifo) open.push(fifo);
      else {
        misses++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    expect(pool.stats().inUse).toBe(32);
    // Refills of 4, 4, 8, 16: the pool doubles rather than adding a batch at a time.
    expect(misses).toBeLessThanOrEqual(4);
    expect(pool.stats().made).toBeLessThanOrEqual(64);
    for (const fifo of open) fifo.release(false);
    expect(pool.stats().inUse).toBe(0);
  });

  it('deletes a FIFO whose reader was cut off: a stray writer never reaches a later run', async () => {
    const pool = await readyPool(2);
    const cut = pool.open();
    if (!cut) throw new Error('no FIFO');
    // A descendant that outlives its run and keeps writing.
    const stray = spawn('sh', ['-c', 'for i in 1 2 3 4 5 6; do echo stray; sleep 0.1; done'], {
      stdio: ['ignore', cut.writeFd, 'ignore'],
    });
    const strayExit = new Promise((resolve) => stray.on('exit', resolve));
    cut.spawned();
    cut.release(false);
    const texts: string[] = [];
    for (let i = 0; i < 4; i++) {
      const fifo = pool.open();
      if (!fifo) throw new Error('no FIFO');
      texts.push(await runInto(fifo, `sleep 0.1; echo fresh ${i}`));
      fifo.release(true);
    }
    expect(texts).toEqual(['fresh 0\n', 'fresh 1\n', 'fresh 2\n', 'fresh 3\n']);
    // With no reader left, its next write got EPIPE: it is not blocked forever either.
    await strayExit;
  });

  it('opens nothing, and says so, where FIFOs cannot be made', async () => {
    const pool = createFifoPool({ parentDir: join(tmpdir(), 'squall-no-such-dir', 'deeper') });
    pools.push(pool);
    expect(await pool.ready()).toBe(false);
    expect(pool.open()).toBeUndefined();
  });

  it('deletes the folders of pools whose process is gone', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'squall-fifo-parent-'));
    try {
      // A pid that no process has: the kernel's pid_max is at most 2^22.
      mkdirSync(join(parent, 'squall-fifos-99999999-abc'));
      mkdirSync(join(parent, `squall-fifos-${process.ppid}-def`));
      mkdirSync(join(parent, 'unrelated'));
      await readyPool(2, parent);
      const left = readdirSync(parent).sort();
      expect(left).toContain(`squall-fifos-${process.ppid}-def`);
      expect(left).toContain('unrelated');
      expect(left).not.toContain('squall-fifos-99999999-abc');
      expect(left.filter((n) => n.startsWith(`squall-fifos-${process.pid}-`))).toHaveLength(1);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it('removes its folder on close while a FIFO in use keeps working', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'squall-fifo-parent-'));
    try {
      const pool = await readyPool(2, parent);
      expect(readdirSync(parent)).toHaveLength(1);
      const fifo = pool.open();
      if (!fifo) throw new Error('no FIFO');
      const text = runInto(fifo, 'sleep 0.2; echo after close');
      pool.close();
      expect(readdirSync(parent)).toHaveLength(0);
      expect(await text).toBe('after close\n');
      fifo.release(true);
      expect(pool.open()).toBeUndefined();
    } finally {
      rmSync(parent, { recursive: true, force: true });
      expect(existsSync(parent)).toBe(false);
    }
  });
});
