/**
 * `GET /stream/v1/stream`: StackStorm's event names, payloads, filters, keep-alives, and the end
 * condition `st2 execution tail` relies on, with real HTTP SSE clients.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSse, type SseFrame } from '../helpers/sse.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startTestSquall({ streamHeartbeatSeconds: 1 });
});
afterAll(async () => {
  await squall.close();
});

async function post(body: unknown): Promise<Record<string, any>> {
  const res = await squall.api('/api/v1/executions', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, any>;
}

const parsed = (frames: SseFrame[]) =>
  frames.map((f) => ({ event: f.event, body: JSON.parse(f.data) as Record<string, any> }));

describe('GET /stream/v1/stream', () => {
  it('streams an execution with its output in order, and ends on end_event (st2 execution tail)', async () => {
    const exec = await post({
      action: 'core.local',
      delay: 300,
      parameters: { cmd: 'for i in 1 2 3 4 5; do echo line $i; sleep 0.05; done; echo oops >&2' },
    });
    const sse = await connectSse(
      `${squall.url}/stream/v1/stream?end_event=st2.execution__update&end_execution_id=${exec.id}` +
        '&events=st2.execution__update,st2.execution.output__create',
    );
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toBe('text/event-stream; charset=UTF-8');
    expect(sse.headers['cache-control']).toBe('no-cache');
    await sse.closed;
    expect(sse.raw().startsWith('\n')).toBe(true);
    const events = parsed(sse.frames).filter((e) => e.body.id === exec.id || e.body.execution_id === exec.id);
    const updates = events.filter((e) => e.event === 'st2.execution__update');
    // `delayed` happens as the POST returns, before this client connects.
    expect(updates.map((e) => e.body.status).filter((s) => s !== 'delayed')).toEqual([
      'scheduled',
      'running',
      'succeeded',
    ]);
    const last = updates[updates.length - 1]?.body;
    expect(last?.result.stdout).toBe('line 1\nline 2\nline 3\nline 4\nline 5');
    const outputs = events.filter((e) => e.event === 'st2.execution.output__create');
    expect(outputs.every((e) => !('status' in e.body))).toBe(true);
    expect(outputs[0]?.body).toMatchObject({
      execution_id: exec.id,
      action_ref: 'core.local',
      runner_ref: 'local-shell-cmd',
    });
    const stdout = outputs
      .filter((e) => e.body.output_type === 'stdout')
      .map((e) => e.body.data)
      .join('');
    expect(stdout).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
    const stderr = outputs
      .filter((e) => e.body.output_type === 'stderr')
      .map((e) => e.body.data)
      .join('');
    expect(stderr).toBe('oops\n');
    // The completion arrives after every output line.
    const lastOutput = events.findLastIndex((e) => e.event === 'st2.execution.output__create');
    expect(events.findIndex((e) => e.body.status === 'succeeded')).toBeGreaterThan(lastOutput);
  });

  it('sends the default event set, masked documents and liveaction events', async () => {
    const sse = await connectSse(`${squall.url}/stream/v1/stream`);
    const exec = await post({ action: 'core.noop' });
    await sse.until((f) =>
      f.some((x) => x.event === 'st2.execution__update' && JSON.parse(x.data).status === 'succeeded'),
    );
    sse.close();
    const events = parsed(sse.frames);
    const names = new Set(events.map((e) => e.event));
    expect([...names].sort()).toEqual([
      'st2.execution__create',
      'st2.execution__update',
      'st2.liveaction__create',
      'st2.liveaction__update',
    ]);
    const created = events.find((e) => e.event === 'st2.execution__create')?.body;
    expect(created).toMatchObject({ id: exec.id, status: 'requested', action: { ref: 'core.noop' } });
    expect(created).not.toHaveProperty('result');
    const live = events.find((e) => e.event === 'st2.liveaction__create')?.body;
    expect(live).toMatchObject({
      id: exec.liveaction.id,
      status: 'requested',
      action: 'core.noop',
      result: {},
      callback: {},
      delay: 0,
    });
  });

  it('filters by action_refs and execution_ids, and matches event globs', async () => {
    const byRef = await connectSse(
      `${squall.url}/stream/v1/stream?action_refs=core.echo&events=st2.execution__*`,
    );
    const byId = await connectSse(`${squall.url}/v1/stream?execution_ids=none&events=*`);
    await post({ action: 'core.noop' });
    await post({ action: 'core.echo', parameters: { message: 'hi' } });
    await byRef.until((f) => f.some((x) => JSON.parse(x.data).status === 'succeeded'));
    byRef.close();
    byId.close();
    const refs = parsed(byRef.frames).map((e) => e.body.action.ref);
    expect(new Set(refs)).toEqual(new Set(['core.echo']));
    expect(parsed(byRef.frames).every((e) => e.event.startsWith('st2.execution__'))).toBe(true);
    expect(byId.frames).toEqual([]);
  });

  it('streams announcements on st2.announcement__<route>, by default, but not to filtered clients', async () => {
    const all = await connectSse(`${squall.url}/stream/v1/stream`);
    const byRef = await connectSse(`${squall.url}/stream/v1/stream?action_refs=core.announcement`);
    const exec = await post({
      action: 'core.announcement',
      parameters: { message: { text: 'deploy done', build: 42 }, route: 'chatops' },
    });
    const done = await squall.waitFor(exec.id);
    expect(done['status']).toBe('succeeded');
    expect(done['result']).toEqual({
      output: { message: { text: 'deploy done', build: 42 } },
      message: { text: 'deploy done', build: 42 },
    });
    const frames = await all.until((f) => f.some((x) => x.event === 'st2.announcement__chatops'));
    const announcement = frames.find((x) => x.event === 'st2.announcement__chatops');
    expect(JSON.parse(announcement?.data ?? '')).toEqual({ message: { text: 'deploy done', build: 42 } });
    await byRef.until((f) => f.some((x) => JSON.parse(x.data).status === 'succeeded'));
    all.close();
    byRef.close();
    expect(byRef.frames.some((x) => x.event.startsWith('st2.announcement'))).toBe(false);
  });

  it('tells a client that connects after the end at once (the race st2 has)', async () => {
    const exec = await post({ action: 'core.noop' });
    await squall.waitFor(exec.id);
    const sse = await connectSse(
      `${squall.url}/stream/v1/stream?end_event=st2.execution__update&end_execution_id=${exec.id}`,
    );
    await sse.closed;
    const events = parsed(sse.frames);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'st2.execution__update',
      body: { id: exec.id, status: 'succeeded' },
    });
  });

  it('sends keep-alive newlines when idle', async () => {
    const sse = await connectSse(`${squall.url}/stream?events=st2.nothing`);
    await new Promise((r) => setTimeout(r, 2300));
    sse.close();
    expect(sse.raw()).toMatch(/^\n\n\n/);
    expect(sse.frames).toEqual([]);
  });

  it('serves hundreds of subscribers at once', async () => {
    const clients = await Promise.all(
      Array.from({ length: 200 }, () =>
        connectSse(`${squall.url}/stream/v1/stream?events=st2.execution__update`),
      ),
    );
    const exec = await post({ action: 'core.noop' });
    const done = (f: SseFrame[]) =>
      f.some((x) => {
        const b = JSON.parse(x.data) as Record<string, unknown>;
        return b['id'] === exec.id && b['status'] === 'succeeded';
      });
    await Promise.all(clients.map((c) => c.until(done)));
    for (const c of clients) c.close();
  });
});
