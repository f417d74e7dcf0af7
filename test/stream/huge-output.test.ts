/**
 * Huge output and large results, run the way users run Squall (`npm start`: the built server with
 * its start flags), in a real process whose peak resident memory the kernel reports.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, npmStartArgs, peakRssBytes, ROOT } from '../helpers/processes.ts';

let dataDir: string;
let server: ChildProcess;
let url: string;

async function run(body: unknown): Promise<Record<string, any>> {
  const res = await fetch(`${url}/api/v1/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const { id } = (await res.json()) as { id: string };
  const deadline = Date.now() + 120_000;
  for (;;) {
    const doc = (await (await fetch(`${url}/api/v1/executions/${id}?max_result_size=1024`)).json()) as Record<
      string,
      any
    >;
    if (['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'].includes(doc['status'])) return doc;
    if (Date.now() > deadline) throw new Error(`still ${doc['status']}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  dataDir = mkdtempSync(join(tmpdir(), 'squall-huge-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, [...npmStartArgs(), '--port', String(port), '--data-dir', dataDir], {
    cwd: ROOT,
    env: { ...process.env, SQUALL_LOG_LEVEL: 'warn', SQUALL_AUTH: 'false' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/v1/executions?limit=1`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('squall did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}, 180_000);

afterAll(async () => {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dataDir, { recursive: true, force: true });
});

describe('huge output', () => {
  it('runs an action printing 1 GB in bounded memory, storing up to the cap and recording the rest', async () => {
    const line = 'x'.repeat(1023);
    const doc = await run({
      action: 'core.local',
      parameters: { cmd: `yes ${line} | head -c 1073741824`, timeout: 600 },
    });
    expect(doc['status']).toBe('succeeded');
    const cap = 64 * 1024 * 1024;
    expect(doc['context'].output_truncated).toEqual({
      max_bytes_per_stream: cap,
      dropped_bytes: { stdout: 1024 * 1024 * 1024 - cap },
    });
    expect(peakRssBytes(server.pid ?? 0)).toBeLessThan(256 * 1024 * 1024);
    // What is stored is the head of the output, exactly the cap, and reading it back (plain and
    // as a stream, several times) is streamed, not assembled in memory: the peak stays bounded.
    for (let round = 0; round < 3; round++) {
      const stored = await (await fetch(`${url}/api/v1/executions/${doc['id']}/output`)).text();
      expect(stored.length).toBe(cap);
      expect(stored.slice(0, 1024)).toBe(`${line}\n`);
      const sse = await (await fetch(`${url}/stream/v1/executions/${doc['id']}/output`)).text();
      expect(sse.endsWith("event: EOF\ndata: ''\n\n")).toBe(true);
    }
    expect(peakRssBytes(server.pid ?? 0)).toBeLessThan(256 * 1024 * 1024);
  }, 180_000);
});

describe('large results', () => {
  it('persists an 8 MB JSON result and returns it byte for byte, never loading it where not asked', async () => {
    const items = Array.from({ length: 80_000 }, (_, i) => ({
      n: i,
      name: `item-${i}`,
      tags: ['a', 'b'],
      ok: i % 2 === 0,
      pad: 'p'.repeat(50),
    }));
    const file = join(dataDir, 'big.json');
    writeFileSync(file, JSON.stringify({ items }));
    const doc = await run({ action: 'core.local', parameters: { cmd: `cat ${file}` } });
    expect(doc['status']).toBe('succeeded');
    const expected = JSON.stringify({
      failed: false,
      succeeded: true,
      return_code: 0,
      stdout: { items },
      stderr: '',
    });
    expect(expected.length).toBeGreaterThan(8_000_000);
    // result_size is the byte size of the stored JSON; over max_result_size the result is left out.
    expect(doc['result_size']).toBe(Buffer.byteLength(expected));
    expect(doc).not.toHaveProperty('result');
    const raw = await (await fetch(`${url}/api/v1/executions/${doc['id']}/result`)).text();
    expect(raw).toBe(expected);
    const gz = await fetch(`${url}/api/v1/executions/${doc['id']}/result?compress=1&download=1`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(gz.headers.get('content-disposition')).toBe(
      `attachment; filename=execution_${doc['id']}_result.json.gz`,
    );
    expect(await gz.text()).toBe(expected);
    void gunzipSync;
    const list = await fetch(`${url}/api/v1/executions?limit=5&exclude_attributes=result`);
    const body = await list.text();
    expect(body.length).toBeLessThan(100_000);
  }, 120_000);
});
