/**
 * Several real `squall serve` processes (API and workers) sharing one PostgreSQL schema, for the
 * scale-out tests. Every process of a cluster connects with the same application_name, so a test
 * can cut exactly its own connections (pg_terminate_backend) without disturbing anybody else's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { dropSchema, freshSchemaName, TEST_DATABASE_URL } from '../../src/store/postgres/test-database.ts';
import { freePort, ROOT } from '../helpers/processes.ts';

export const TERMINAL = ['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'];

export interface SquallProcess {
  role: 'api' | 'worker' | 'all';
  child: ChildProcess;
  /** `http://127.0.0.1:port` for an API process; '' for a worker. */
  url: string;
  logs(): string;
  exited: Promise<number | null>;
}

export interface Cluster {
  schema: string;
  applicationName: string;
  databaseUrl: string;
  /** A scratch folder the test may use (removed at the end). */
  dir: string;
  processes: SquallProcess[];
  start(role: 'api' | 'worker' | 'all', extraArgs?: string[]): Promise<SquallProcess>;
  /** Terminates every database connection of this cluster's processes; how many were cut. */
  terminateConnections(): Promise<number>;
  close(): Promise<void>;
}

export interface ClusterOptions {
  leaseTimeoutSeconds?: number;
}

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const schema = freshSchemaName();
  const applicationName = `${schema}_app`.slice(0, 63);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('application_name', applicationName);
  const databaseUrl = url.toString();
  const dir = mkdtempSync(join(tmpdir(), 'squall-cluster-'));
  const processes: SquallProcess[] = [];

  const start = async (role: 'api' | 'worker' | 'all', extraArgs: string[] = []): Promise<SquallProcess> => {
    const port = role === 'worker' ? 0 : await freePort();
    const args = [
      'serve',
      '--role',
      role,
      '--database',
      databaseUrl,
      '--database-schema',
      schema,
      '--port',
      String(port),
      '--data-dir',
      join(dir, `data-${processes.length}`),
      '--lease-timeout',
      String(options.leaseTimeoutSeconds ?? 30),
      '--runner-pool-size',
      '8',
      '--shutdown-grace',
      '1',
      '--log-level',
      'info',
      ...extraArgs,
    ];
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), ...args], {
      // These tests are about processes and the database, not credentials.
      env: { ...process.env, SQUALL_AUTH: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const proc: SquallProcess = {
      role,
      child,
      url: role === 'worker' ? '' : `http://127.0.0.1:${port}`,
      logs: () => logs,
      exited,
    };
    processes.push(proc);
    const deadline = Date.now() + 30_000;
    while (!logs.includes('"squall started"')) {
      if (child.exitCode !== null) throw new Error(`squall --role ${role} exited early:\n${logs}`);
      if (Date.now() > deadline) throw new Error(`squall --role ${role} did not start:\n${logs}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return proc;
  };

  return {
    schema,
    applicationName,
    databaseUrl,
    dir,
    processes,
    start,
    async terminateConnections() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        const result = await client.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [applicationName],
        );
        return result.rowCount ?? 0;
      } finally {
        await client.end();
      }
    },
    async close() {
      for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGTERM');
      await Promise.all(
        processes.map((p) =>
          Promise.race([
            p.exited,
            new Promise((r) => setTimeout(r, 5000)).then(() => p.child.kill('SIGKILL')),
          ]),
        ),
      );
      await dropSchema(schema);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Doc = Record<string, any>;

export async function api(
  base: string,
  path: string,
  init: RequestInit & { json?: unknown } = {},
): Promise<Response> {
  const { json, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (json !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${base}${path}`, {
    ...rest,
    headers,
    ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
  });
}

export async function run(base: string, cmd: string, extra: Doc = {}): Promise<Doc> {
  const res = await api(base, '/api/v1/executions', {
    method: 'POST',
    json: { action: 'core.local', parameters: { cmd }, ...extra },
  });
  if (res.status !== 201) throw new Error(`POST /executions answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as Doc;
}

/**
 * Polls until the execution reaches one of `statuses`. Tolerates failed requests: the tests cut
 * the database connections under the API process on purpose.
 */
export async function waitFor(
  base: string,
  id: string,
  statuses: readonly string[] = TERMINAL,
  timeoutMs = 60_000,
): Promise<Doc> {
  const deadline = Date.now() + timeoutMs;
  let last = 'unknown';
  for (;;) {
    try {
      const res = await api(base, `/api/v1/executions/${id}`);
      if (res.ok) {
        const doc = (await res.json()) as Doc;
        last = String(doc['status']);
        if (statuses.includes(last)) return doc;
      }
    } catch {
      // the API process is briefly without a database: ask again
    }
    if (Date.now() > deadline) throw new Error(`execution ${id} still ${last} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Lines of a file, or [] when it does not exist yet. */
export function linesOf(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  } catch {
    return [];
  }
}
