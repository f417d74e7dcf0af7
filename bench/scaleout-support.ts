/**
 * Plumbing for `npm run bench:scaleout`: Squall processes by role on a PostgreSQL schema (built,
 * started as `npm start` runs them), a load generator that learns about completions with one list
 * request per round, and the bulk seeding of a million executions with SQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { quotedSchema } from '../src/store/postgres/connection-pool.ts';
import { TEST_DATABASE_URL } from '../src/store/postgres/test-database.ts';
import { freePort, npmStartArgs, ROOT } from '../test/helpers/processes.ts';
import { request } from './http-client.ts';
import { percentile, timestampMillis } from './support.ts';

export interface Proc {
  child: ChildProcess;
  url: string;
}

/** Starts a built Squall; resolves when an API process answers, or when a worker logged its start. */
export async function startProcess(args: string[], role: 'api' | 'worker' | 'all'): Promise<Proc> {
  const port = role === 'worker' ? 0 : await freePort();
  const child = spawn(
    process.execPath,
    [...npmStartArgs(), '--role', role, '--port', String(port), ...args],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      // Request logs would cost the API process more than the work measured; workers log little.
      env: { ...process.env, SQUALL_LOG_LEVEL: role === 'worker' ? 'info' : 'warn', SQUALL_AUTH: 'false' },
    },
  );
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    if (out.length < 100_000) out += d.toString();
  });
  const url = role === 'worker' ? '' : `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (role === 'worker' ? out.includes('"squall started"') : await answers(url)) break;
    if (child.exitCode !== null)
      throw new Error(`squall --role ${role} exited with ${child.exitCode}: ${out}`);
    if (Date.now() > deadline) throw new Error(`squall --role ${role} did not start within 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url };
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/v1/executions?limit=1`)).ok;
  } catch {
    return false;
  }
}

export function stopProcess(proc: Proc): Promise<void> {
  return new Promise((resolve) => {
    if (proc.child.exitCode !== null) return resolve();
    proc.child.once('exit', () => resolve());
    proc.child.kill('SIGTERM');
  });
}

export interface RunFigures {
  perSecond: number;
  p50: number;
  p99: number;
}

interface Finished {
  id: string;
  status: string;
  start_timestamp: string;
  end_timestamp?: string;
}

const TERMINAL = new Set(['succeeded', 'failed', 'timeout', 'abandoned', 'canceled']);

/**
 * `concurrency` clients each POST an execution and wait until it succeeded, `total` in all; the
 * completions are learnt by one `?id=a,b,…` list request per round for everything in flight.
 */
export async function runExecutions(
  url: string,
  body: object,
  total: number,
  concurrency: number,
): Promise<RunFigures> {
  const pending = new Map<string, (doc: Finished) => void>();
  let watching = false;
  const watch = async (): Promise<void> => {
    watching = true;
    while (pending.size > 0) {
      const ids = [...pending.keys()];
      const res = await request(
        url,
        'GET',
        `/api/v1/executions?limit=-1&include_attributes=status,start_timestamp,end_timestamp&id=${ids.join(',')}`,
      );
      for (const doc of JSON.parse(res.body) as Finished[]) {
        if (!TERMINAL.has(doc.status)) continue;
        pending.get(doc.id)?.(doc);
        pending.delete(doc.id);
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    watching = false;
  };
  const latencies: number[] = [];
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < total) {
      next++;
      const res = await request(url, 'POST', '/api/v1/executions', body);
      if (res.status !== 201) throw new Error(`POST failed: ${res.status} ${res.body}`);
      const { id } = JSON.parse(res.body) as { id: string };
      const doc = await new Promise<Finished>((resolve) => {
        pending.set(id, resolve);
        if (!watching) void watch();
      });
      if (doc.status !== 'succeeded') throw new Error(`execution ${id} ${doc.status}`);
      latencies.push(timestampMillis(doc.end_timestamp ?? '') - timestampMillis(doc.start_timestamp));
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export async function listLatency(
  url: string,
  query: string,
  rounds: number,
): Promise<{ p50: number; p99: number }> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    const res = await request(url, 'GET', `/api/v1/executions?${query}`);
    if (res.status !== 200) throw new Error(`list failed: ${res.status}`);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/**
 * Clones the executions already in `schema` (real ones, so their snapshots exist) into `count`
 * completed ones spread over the last 30 days, with mixed statuses, in one INSERT … SELECT from
 * generate_series, results included; then ANALYZE. Ids keep ObjectId's shape: 8 hex digits of
 * seconds, then a counter.
 */
export async function bulkSeed(schema: string, count: number): Promise<{ seconds: number; total: number }> {
  const client = new pg.Client({
    connectionString: TEST_DATABASE_URL,
    options: `-c search_path=${quotedSchema(schema)}`,
  });
  await client.connect();
  const started = performance.now();
  try {
    await client.query('BEGIN');
    await client.query(`CREATE TEMP TABLE templates ON COMMIT DROP AS
      SELECT row_number() OVER (ORDER BY id) - 1 AS n, * FROM executions`);
    const templates = Number((await client.query('SELECT count(*) FROM templates')).rows[0]?.count ?? 0);
    if (templates === 0) throw new Error('no template executions to clone');
    await client.query(
      `INSERT INTO executions (id, liveaction_id, action_ref, action_snapshot, runner_snapshot, runner_name,
         status, start_ts, end_ts, parent_id, "user", parameters, context, liveaction, log, delay, result_size,
         trigger_refs, rule_name, trigger_name, trigger_type_name, trigger_instance_id, workflow_execution,
         task_execution, run_at, owner)
       SELECT lpad(to_hex(s.ts / 1000000), 8, '0') || lpad(to_hex(g), 16, '0'),
         lpad(to_hex(s.ts / 1000000), 8, '0') || lpad(to_hex(g + $1::bigint), 16, '0'),
         t.action_ref, t.action_snapshot, t.runner_snapshot, t.runner_name,
         (ARRAY['succeeded','succeeded','succeeded','failed','timeout'])[g % 5 + 1],
         s.ts, s.ts + 150000, NULL, t."user", t.parameters, t.context, t.liveaction,
         json_build_array(json_build_object('timestamp', s.ts, 'status', 'requested'),
           json_build_object('timestamp', s.ts + 150000, 'status',
             (ARRAY['succeeded','succeeded','succeeded','failed','timeout'])[g % 5 + 1])),
         0, 79, t.trigger_refs, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
       FROM generate_series(1, $1::bigint) AS g
       CROSS JOIN LATERAL (SELECT (extract(epoch FROM now()) * 1000000)::bigint - 2592000000000
         + (g * 2592000000000 / $1::bigint) AS ts) AS s
       JOIN templates AS t ON t.n = g % $2::bigint`,
      [count, templates],
    );
    await client.query(`INSERT INTO execution_results (execution_id, result)
      SELECT id, '{"failed":false,"succeeded":true,"return_code":0,"stdout":"seeded","stderr":""}'
      FROM executions WHERE result_size = 79 AND id NOT IN (SELECT execution_id FROM execution_results)`);
    await client.query('COMMIT');
    // As autovacuum would have by now: statistics, and a visibility map for index-only scans.
    await client.query('VACUUM ANALYZE');
    const total = Number((await client.query('SELECT count(*) FROM executions')).rows[0]?.count ?? 0);
    return { seconds: (performance.now() - started) / 1000, total };
  } finally {
    await client.end();
  }
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`  ${line(header)}`);
  for (const row of rows) console.log(`  ${line(row)}`);
}
