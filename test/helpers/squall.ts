/**
 * Starts a real Squall (SQLite file in a temp dir, real runners, HTTP on 127.0.0.1) for a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { startServer, type RunningServer } from '../../src/server.ts';

export interface TestSquall extends RunningServer {
  dataDir: string;
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>;
  /** Polls an execution until it reaches a completed status (as the first-start admin, with auth on). */
  waitFor(id: string, statuses?: readonly string[], timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startTestSquall(overrides: Partial<Config> = {}): Promise<TestSquall> {
  const dataDir = mkdtempSync(join(tmpdir(), 'squall-test-'));
  // Defaults as `squall serve` has them, then what a test needs: a temp dir, a free port, quiet logs.
  const config: Config = {
    ...loadConfig([], {}),
    port: 0,
    // The port the system picks: the server puts it in the URL actions call back once it listens.
    apiUrl: 'http://127.0.0.1:0/api/v1',
    dataDir,
    runnerPoolSize: 16,
    shutdownGraceSeconds: 2,
    webUiBaseUrl: 'https://squall.test',
    logLevel: 'silent',
    // Off unless a test opts in: it then gets the first-start admin key as `adminApiKey`.
    auth: false,
    ...overrides,
  };
  const server = await startServer(config, { actionEnv: process.env });
  const api: TestSquall['api'] = (path, init = {}) => {
    const { json, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (json !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json');
    return fetch(`${server.url}${path}`, {
      ...rest,
      headers,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
  };
  const waitFor: TestSquall['waitFor'] = async (
    id,
    statuses = ['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'],
    timeoutMs = 20_000,
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const res = await api(
        `/api/v1/executions/${id}`,
        server.adminApiKey ? { headers: { 'st2-api-key': server.adminApiKey } } : {},
      );
      const doc = (await res.json()) as Record<string, unknown>;
      if (statuses.includes(String(doc['status']))) return doc;
      if (Date.now() > deadline)
        throw new Error(`execution ${id} still ${String(doc['status'])} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return {
    ...server,
    dataDir,
    api,
    waitFor,
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
