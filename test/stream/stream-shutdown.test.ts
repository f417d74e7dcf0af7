/**
 * Event-stream connections never hold up a shutdown. Before stream responses carried
 * `Connection: close`, a stream whose client had gone (or whose response shutdown had just ended)
 * left a kept-alive socket behind the server's sweep of idle connections, and `close()` waited for
 * the keep-alive timeout (72 s) — longer than this test's timeout.
 */
import { expect, it } from 'vitest';
import { startTestSquall } from '../helpers/squall.ts';

it('closes promptly after a stream client hung up and an execution was created', async () => {
  const squall = await startTestSquall();
  const abort = new AbortController();
  const stream = await squall.api('/stream/v1/stream', { signal: abort.signal });
  expect(stream.status).toBe(200);
  expect(stream.headers.get('connection')).toBe('close');
  abort.abort();
  const res = await squall.api('/api/v1/executions', { method: 'POST', json: { action: 'core.noop' } });
  expect(res.status).toBe(201);
  await squall.close();
}, 30_000);

it('closes promptly while a stream client is still connected and reading', async () => {
  const squall = await startTestSquall();
  const stream = await squall.api('/stream/v1/stream');
  const reader = stream.body?.getReader();
  const drained = (async () => {
    while (reader && !(await reader.read()).done);
  })();
  await (await squall.api('/api/v1/executions', { method: 'POST', json: { action: 'core.noop' } })).text();
  await squall.close();
  await drained;
}, 30_000);
