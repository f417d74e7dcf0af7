/**
 * `npm run bench`: starts a real `squall serve` on a temporary data directory and measures, beside
 * the floors it is compared against in the same run:
 *   - noop and `core.local cmd=true` executions/s and POST→succeeded latency, concurrency 1 and 32
 *     (floors: a bare SQLite insert + three updates per execution; a bare spawn of /bin/true);
 *   - p50/p99 of `GET /executions?limit=50`, plain and filtered, with 100,000 executions in history
 *     (seeded through the store, not the API).
 * Options: BENCH_QUICK=1 for a short run; BENCH_HISTORY=<n> to change the history size.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareSpawnRate, bareSqliteRate } from './floors.ts';
import { request } from './http-client.ts';
import {
  backlogDrain,
  cancelLatency,
  captureProducers,
  outputCapture,
  peakRssForGigabyte,
  persistLargeResult,
  sseLatency,
} from './streaming.ts';
import {
  buildSquall,
  percentile,
  seedHistory,
  startSquall,
  timestampMillis,
  type Squall,
} from './support.ts';

const QUICK = process.env['BENCH_QUICK'] === '1';
const HISTORY = Number(process.env['BENCH_HISTORY'] ?? 100_000);

interface RunFigures {
  perSecond: number;
  p50: number;
  p99: number;
}

/**
 * Learns when executions finish with one list request per round for everything in flight
 * (`?id=a,b,…`), so finding out costs the server one query, not one per execution.
 */
class CompletionWatcher {
  readonly #pending = new Map<string, (doc: Finished) => void>();
  #running = false;

  constructor(readonly url: string) {}

  wait(id: string): Promise<Finished> {
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      if (!this.#running) void this.#loop();
    });
  }

  async #loop(): Promise<void> {
    this.#running = true;
    while (this.#pending.size > 0) {
      const ids = [...this.#pending.keys()];
      const res = await request(
        this.url,
        'GET',
        `/api/v1/executions?limit=-1&include_attributes=status,start_timestamp,end_timestamp&id=${ids.join(',')}`,
      );
      for (const doc of JSON.parse(res.body) as Finished[]) {
        if (!['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'].includes(doc.status)) continue;
        this.#pending.get(doc.id)?.(doc);
        this.#pending.delete(doc.id);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    this.#running = false;
  }
}

interface Finished {
  id: string;
  status: string;
  start_timestamp: string;
  end_timestamp?: string;
}

/** Each worker POSTs an execution and waits until it succeeded; `concurrency` are in flight. */
async function runExecutions(
  squall: Squall,
  body: object,
  total: number,
  concurrency: number,
): Promise<RunFigures> {
  const latencies: number[] = [];
  const watcher = new CompletionWatcher(squall.url);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      const res = await request(squall.url, 'POST', '/api/v1/executions', body);
      if (res.status !== 201) throw new Error(`POST failed: ${res.status} ${res.body}`);
      const { id } = JSON.parse(res.body) as { id: string };
      const doc = await watcher.wait(id);
      if (doc.status !== 'succeeded') throw new Error(`execution ${id} ${doc.status}`);
      // Latency from the server's own clock: when the POST created it to when it succeeded.
      latencies.push(timestampMillis(doc.end_timestamp ?? '') - timestampMillis(doc.start_timestamp));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function listLatency(
  squall: Squall,
  query: string,
  rounds: number,
): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const res = await request(squall.url, 'GET', `/api/v1/executions?${query}`);
    if (res.status !== 200) throw new Error(`list failed: ${res.status}`);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'squall-bench-'));
  console.log(`Squall benchmark — ${QUICK ? 'quick' : 'full'} run, data in ${dataDir}\n`);

  const sqliteFloor = bareSqliteRate(join(dataDir, 'floor.db'), QUICK ? 5_000 : 20_000);
  const spawnFloor1 = await bareSpawnRate(QUICK ? 100 : 400, 1);
  const spawnFloor32 = await bareSpawnRate(QUICK ? 200 : 1000, 32);
  console.log('Floors measured in this run:');
  console.log(`  bare SQLite insert + 3 updates        ${fmt(sqliteFloor, 0)} executions/s`);
  console.log(`  bare spawn of /bin/true, 1 at a time   ${fmt(spawnFloor1, 0)} spawns/s`);
  console.log(`  bare spawn of /bin/true, 32 at a time  ${fmt(spawnFloor32, 0)} spawns/s\n`);

  buildSquall();
  const squall = await startSquall(dataDir);
  try {
    const table: string[][] = [];
    let steadyNoop = 0;
    const cases = [
      { name: 'core.noop', body: { action: 'core.noop' }, floor: sqliteFloor, floorName: 'sqlite' },
      {
        name: 'core.local cmd=true',
        body: { action: 'core.local', parameters: { cmd: 'true' } },
        floor: 0,
        floorName: 'spawn',
      },
    ];
    for (const c of cases) {
      for (const concurrency of [1, 32]) {
        const total = QUICK
          ? concurrency === 1
            ? 100
            : 500
          : concurrency === 1
            ? 500
            : c.name === 'core.noop'
              ? 10_000
              : 3_000;
        await runExecutions(squall, c.body, Math.min(50, total), concurrency); // warm-up
        const figures = await runExecutions(squall, c.body, total, concurrency);
        if (c.name === 'core.noop' && concurrency === 32) steadyNoop = figures.perSecond;
        const floor = c.floorName === 'sqlite' ? c.floor : concurrency === 1 ? spawnFloor1 : spawnFloor32;
        table.push([
          c.name,
          String(concurrency),
          fmt(figures.perSecond, 0),
          fmt(figures.p50, 2),
          fmt(figures.p99, 2),
          `${fmt(floor, 0)} (${c.floorName})`,
          `${fmt((figures.perSecond / floor) * 100, 1)}%`,
        ]);
      }
    }
    console.log(
      "Executions, POST → succeeded (latency from the execution's own timestamps; completion seen by one list query per round):",
    );
    printTable(['action', 'conc.', 'exec/s', 'p50 ms', 'p99 ms', 'floor/s', 'ratio'], table);

    console.log(`\nSeeding ${HISTORY.toLocaleString('en')} executions through the store…`);
    const seeded = await seedHistory(dataDir, squall, QUICK ? Math.min(HISTORY, 20_000) : HISTORY);
    console.log(`  seeded ${seeded.count.toLocaleString('en')} rows in ${fmt(seeded.seconds, 1)} s`);
    const rounds = QUICK ? 50 : 300;
    const lists = [
      ['plain', 'limit=50'],
      ['status+action', 'limit=50&status=succeeded&action=core.local'],
      ['st2web history', 'limit=50&parent=null&exclude_attributes=result%2Ctrigger_instance&offset=0'],
    ] as const;
    const rows: string[][] = [];
    for (const [name, query] of lists) {
      await listLatency(squall, query, 10);
      const { p50, p99 } = await listLatency(squall, query, rounds);
      rows.push([name, query, fmt(p50, 2), fmt(p99, 2), p99 < 25 ? 'yes' : 'NO']);
    }
    console.log(`\nGET /api/v1/executions with ${seeded.total.toLocaleString('en')} executions in history:`);
    printTable(['query', 'parameters', 'p50 ms', 'p99 ms', 'p99 < 25 ms'], rows);

    const backlog = QUICK ? 2_000 : 20_000;
    const drain = await backlogDrain(squall, backlog);
    console.log(
      `\nBacklog: ${backlog.toLocaleString('en')} noop executions queued at once (enqueued in ${fmt(drain.enqueueSeconds, 1)} s): ` +
        `${fmt(drain.perSecond, 0)} executions/s overall, ${fmt((drain.perSecond / steadyNoop) * 100, 0)}% of the steady-state ${fmt(steadyNoop, 0)}/s`,
    );

    const cancel = await cancelLatency(squall, QUICK ? 10 : 50);
    console.log(
      `Cancel: DELETE → the action's process gone: p50 ${fmt(cancel.p50, 1)} ms, p99 ${fmt(cancel.p99, 1)} ms (target p99 < 1000 ms)`,
    );

    const captureMb = QUICK ? 64 : 256;
    const pct = (x: number, of: number): string => `${fmt((x / of) * 100, 0)}%`;
    const captureRows: string[][] = [];
    for (const producer of captureProducers(captureMb)) {
      const c = await outputCapture(squall, producer, captureMb);
      captureRows.push([
        c.producer,
        fmt(c.devNull, 0),
        `${fmt(c.catReader, 0)} (${pct(c.catReader, c.devNull)})`,
        `${fmt(c.bareReader, 0)} (${pct(c.bareReader, c.devNull)})`,
        `${fmt(c.squall, 0)} (${pct(c.squall, c.devNull)})`,
        pct(c.squall, c.bareReader),
        fmt(c.squallEndToEnd, 0),
      ]);
    }
    console.log(
      `\nOutput capture, ${captureMb} MB of 1 KiB lines: the action's own MB/s (best of 3) with its output into …`,
    );
    printTable(
      ['producer', '/dev/null', 'cat', 'bare Node reader', 'Squall → store', 'Squall / bare', 'end to end'],
      captureRows,
    );
    const sse = await sseLatency(squall, 100, QUICK ? 20 : 100);
    console.log(
      `SSE delivery, 100 subscribers (completion → client): p50 ${fmt(sse.p50, 2)} ms, p99 ${fmt(sse.p99, 2)} ms`,
    );
    const persist = await persistLargeResult(5);
    console.log(
      `Persisting a ${fmt(persist.bytes / 1e6, 1)} MB result (serialize + store write): ${fmt(persist.ms, 1)} ms (median of 5)`,
    );
    const gb = await peakRssForGigabyte();
    console.log(
      `1 GB printed by one action: done in ${fmt(gb.seconds, 1)} s; peak resident memory of Squall ${fmt(gb.peakMb, 0)} MB (limit 256 MB)`,
    );
  } finally {
    await squall.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`  ${line(header)}`);
  for (const row of rows) console.log(`  ${line(row)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
