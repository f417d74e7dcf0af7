/**
 * `GET /stream/v1/executions/{id}/output` and `/executions/{id}/output` while an action runs, and
 * slow stream clients that must not hold anyone up.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSse } from '../helpers/sse.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

// Far below the 8 MiB default, so a stalled client is cut off early in a 24 MB run; far above
// what a reader that keeps up lags by, even in this process on a busy 2-core machine (with
// 256 KiB, the reader here was itself dropped in about one run in four under CPU load).
const STREAM_BUFFER_BYTES = 2 * 1024 * 1024;

let squall: TestSquall;
beforeAll(async () => {
  squall = await startTestSquall({ streamBufferBytes: STREAM_BUFFER_BYTES });
});
afterAll(async () => {
  await squall.close();
});

async function post(body: unknown): Promise<Record<string, any>> {
  const res = await squall.api('/api/v1/executions', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, any>;
}

describe('GET /stream/v1/executions/{id}/output', () => {
  it('replays what was printed, follows live output, and ends with EOF', async () => {
    const exec = await post({
      action: 'core.local',
      parameters: { cmd: 'echo first; sleep 0.5; echo second; echo err >&2; sleep 0.3; echo third' },
    });
    await squall.waitFor(exec.id, ['running']);
    // What a running execution printed so far is already readable.
    const deadline = Date.now() + 5000;
    while (!(await (await squall.api(`/api/v1/executions/${exec.id}/output`)).text()).includes('first')) {
      if (Date.now() > deadline) throw new Error('no output while running');
      await new Promise((r) => setTimeout(r, 25));
    }
    const all = await connectSse(`${squall.url}/stream/v1/executions/${exec.id}/output`);
    const stdout = await connectSse(
      `${squall.url}/stream/v1/executions/${exec.id}/output?output_type=stdout`,
    );
    await Promise.all([all.closed, stdout.closed]);
    const data = (frames: typeof all.frames) =>
      frames
        .filter((f) => f.event === 'st2.execution.output__create')
        .map((f) => (JSON.parse(f.data) as { data: string }).data)
        .join('');
    expect(data(all.frames)).toBe('first\nsecond\nerr\nthird\n');
    expect(data(stdout.frames)).toBe('first\nsecond\nthird\n');
    expect(all.frames[all.frames.length - 1]).toEqual({ event: 'EOF', data: "''" });
    expect(stdout.frames[stdout.frames.length - 1]).toEqual({ event: 'EOF', data: "''" });
  });

  it('replays a finished execution and ends at once; 404 for an unknown one', async () => {
    const exec = await post({ action: 'core.local', parameters: { cmd: 'echo done' } });
    await squall.waitFor(exec.id);
    const sse = await connectSse(`${squall.url}/stream/v1/executions/${exec.id}/output`);
    await sse.closed;
    expect(sse.frames.map((f) => f.event)).toEqual(['st2.execution.output__create', 'EOF']);
    expect(JSON.parse(sse.frames[0]?.data ?? '{}')).toMatchObject({
      execution_id: exec.id,
      output_type: 'stdout',
      data: 'done\n',
    });
    const last = await connectSse(`${squall.url}/stream/v1/executions/last/output`);
    await last.closed;
    expect(last.frames.map((f) => f.event)).toEqual(['st2.execution.output__create', 'EOF']);
    const missing = await squall.api('/stream/v1/executions/000000000000000000000000/output');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      faultstring: 'Unable to identify resource with id "000000000000000000000000".',
    });
  });

  it('closes the connection when the stream ends, instead of keeping it alive for another request', async () => {
    const exec = await post({ action: 'core.local', parameters: { cmd: 'echo bye' } });
    await squall.waitFor(exec.id);
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(squall.url).port) });
    socket.write(`GET /stream/v1/executions/${exec.id}/output HTTP/1.1\r\nHost: x\r\n\r\n`);
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    const closed = await new Promise<boolean>((resolve) => {
      socket.on('close', () => resolve(true));
      setTimeout(() => resolve(false), 10_000);
    });
    socket.destroy();
    expect(text).toContain('event: EOF');
    expect(text.toLowerCase()).toContain('connection: close');
    expect(closed).toBe(true);
  });
});

describe('slow clients', () => {
  it('disconnects a client that stops reading, while others get everything', async () => {
    // A client that subscribes and never reads.
    const stalled = connect({ host: '127.0.0.1', port: Number(new URL(squall.url).port) });
    stalled.write('GET /stream/v1/stream?events=st2.execution.output__create HTTP/1.1\r\nHost: x\r\n\r\n');
    stalled.pause();
    let stalledText = '';
    stalled.on('data', (d: Buffer) => (stalledText += d.toString('latin1')));
    const stalledClosed = new Promise<void>((resolve) => stalled.on('close', () => resolve()));
    const reader = await connectSse(
      `${squall.url}/stream/v1/stream?events=st2.execution.output__create,st2.execution__update`,
    );
    await new Promise((r) => setTimeout(r, 200));
    // 24 MB of output: far beyond what a stream client may fall behind by, and beyond what the
    // kernel socket buffers can hide.
    const exec = await post({
      action: 'core.local',
      parameters: { cmd: 'head -c 24000000 /dev/zero | tr "\\\\0" "x" | fold -w 99' },
    });
    const done = (await squall.waitFor(exec.id)) as Record<string, any>;
    expect(done.status).toBe('succeeded');
    await reader.until(
      (f) => f.some((x) => x.event === 'st2.execution__update' && JSON.parse(x.data).status === 'succeeded'),
      30_000,
    );
    reader.close();
    const received = reader.frames
      .filter((f) => f.event === 'st2.execution.output__create')
      .reduce((n, f) => n + (JSON.parse(f.data) as { data: string }).data.length, 0);
    // fold breaks every 99 characters; the last, partial line has no newline of its own.
    expect(received).toBe(24_000_000 + Math.floor(24_000_000 / 99));
    // Now the stalled client reads what it was sent: a bounded prefix, then the server's close.
    // (The reason is sent last, so a client this far behind is cut off before reading it.)
    stalled.resume();
    await stalledClosed;
    expect(stalledText.startsWith('HTTP/1.1 200 OK')).toBe(true);
    // The bound plus the kernel's socket buffers (about 4 MB in all here), not the 24 MB.
    expect(stalledText.length).toBeLessThan(STREAM_BUFFER_BYTES + 6_000_000);
  }, 60_000);
});
