/**
 * Secrets are masked in every response — also in `/result` and `/attribute/result`, where
 * StackStorm leaks them — and `show_secrets=true` unmasks.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let squall: TestSquall;
let upstream: Server;
let id: string;

beforeAll(async () => {
  upstream = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ token: 'upstream-secret', public: 'ok' }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const address = upstream.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  squall = await startTestSquall();
  const created = await squall.api('/api/v1/actions', {
    method: 'POST',
    json: {
      name: 'fetch_token',
      pack: 'tests',
      runner_type: 'http-request',
      parameters: {
        url: { default: `http://127.0.0.1:${port}/token` },
        password: { default: 'pw' },
        api_key: { type: 'string', secret: true },
      },
      output_schema: { token: { type: 'string', secret: true }, public: { type: 'string' } },
    },
  });
  expect(created.status).toBe(201);
  const res = await squall.api('/api/v1/executions', {
    method: 'POST',
    json: { action: 'tests.fetch_token', parameters: { api_key: 'k-123' } },
  });
  id = ((await res.json()) as { id: string }).id;
  const done = (await squall.waitFor(id)) as Record<string, any>;
  expect(done.status).toBe('succeeded');
});

afterAll(async () => {
  await squall.close();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('secret masking', () => {
  it('masks parameters and the result in GET one and the list', async () => {
    const doc = (await (await squall.api(`/api/v1/executions/${id}`)).json()) as Record<string, any>;
    expect(doc.parameters.api_key).toBe('********');
    expect(doc.liveaction.parameters.api_key).toBe('********');
    expect(doc.result.body).toEqual({ token: '********', public: 'ok' });
    const list = (await (await squall.api(`/api/v1/executions?action=tests.fetch_token`)).json()) as Record<
      string,
      any
    >[];
    expect(list[0]?.result.body.token).toBe('********');
    const children = (await (await squall.api(`/api/v1/executions?id=${id}`)).json()) as Record<
      string,
      any
    >[];
    expect(children[0]?.parameters.api_key).toBe('********');
  });

  it('masks /result and /attribute/result too', async () => {
    const result = (await (await squall.api(`/api/v1/executions/${id}/result`)).json()) as Record<
      string,
      any
    >;
    expect(result.body).toEqual({ token: '********', public: 'ok' });
    const pretty = await (await squall.api(`/api/v1/executions/${id}/result?pretty_format=true`)).text();
    expect(pretty).not.toContain('upstream-secret');
    const attr = (await (await squall.api(`/api/v1/executions/${id}/attribute/result`)).json()) as Record<
      string,
      any
    >;
    expect(attr.body.token).toBe('********');
  });

  it('unmasks with show_secrets=true', async () => {
    const doc = (await (await squall.api(`/api/v1/executions/${id}?show_secrets=true`)).json()) as Record<
      string,
      any
    >;
    expect(doc.parameters.api_key).toBe('k-123');
    expect(doc.result.body.token).toBe('upstream-secret');
    const result = (await (
      await squall.api(`/api/v1/executions/${id}/result?show_secrets=true`)
    ).json()) as Record<string, any>;
    expect(result.body.token).toBe('upstream-secret');
    const attr = (await (
      await squall.api(`/api/v1/executions/${id}/attribute/result?show_secrets=1`)
    ).json()) as Record<string, any>;
    expect(attr.body.token).toBe('upstream-secret');
  });
});
