import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../domain/types.ts';
import { testAction, testContext } from '../testing/run-context.ts';
import { createHttpRequestRunner } from './http-request-runner.ts';

const runner = createHttpRequestRunner();
let server: Server;
let base: string;
let port: number;

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  const body = await readAll(req);
  const [, first, arg] = url.pathname.split('/');
  switch (first) {
    case 'echo':
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('X-Custom', 'yes');
      res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.headers, body }));
      return;
    case 'status':
      res.statusCode = Number(arg);
      res.end(`status ${arg}`);
      return;
    case 'bad-json':
      res.setHeader('Content-Type', 'application/json');
      res.end('{not json');
      return;
    case 'redirect':
      res.statusCode = Number(arg);
      res.setHeader('Location', '/echo?from=redirect');
      res.end();
      return;
    case 'loop':
      res.statusCode = 302;
      res.setHeader('Location', '/loop');
      res.end();
      return;
    case 'slow-headers':
      setTimeout(() => res.end('late'), 3000).unref();
      return;
    case 'slow-body':
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.write('start');
      setTimeout(() => res.end('end'), 3000).unref();
      return;
    case 'big':
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('a'.repeat(5 * 1024 * 1024));
      return;
    case 'repeat':
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.end('ok');
      return;
    case 'latin1':
      res.setHeader('Content-Type', 'text/plain');
      res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
      return;
    default:
      res.statusCode = 404;
      res.end();
  }
}

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const ctx = (signal?: AbortSignal) =>
  testContext({
    action: testAction({ name: 'http', runner_type: 'http-request' }),
    ...(signal ? { signal } : {}),
  });
const call = (runnerParams: JsonObject, actionParams: JsonObject = {}, signal?: AbortSignal) =>
  runner.run(runnerParams, actionParams, ctx(signal));

describe('http-request', () => {
  it('GETs and parses a JSON response, with st2 headers', async () => {
    const { status, result } = await call({ url: `${base}/echo`, headers: { 'X-Extra': 'v' } });
    expect(status).toBe('succeeded');
    expect(result.status_code).toBe(200);
    expect(result.parsed).toBe(true);
    expect(result.headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'X-Custom': 'yes',
    });
    expect(result.body).toMatchObject({
      method: 'GET',
      body: '',
      headers: { 'user-agent': 'st2/v3.9.0', 'x-stanley-action': 'http', 'x-extra': 'v' },
    });
  });

  it('keeps a non-JSON body as text, and a body that claims JSON but is not', async () => {
    expect((await call({ url: `${base}/status/200` })).result).toMatchObject({
      body: 'status 200',
      parsed: false,
    });
    expect((await call({ url: `${base}/bad-json` })).result).toMatchObject({
      body: '{not json',
      parsed: false,
    });
  });

  it('defaults to POST with a body and JSON-encodes it for application/json', async () => {
    const { result } = await call(
      { url: `${base}/echo`, headers: { 'Content-Type': 'application/json' } },
      { body: '{"a": [1, 2]}' },
    );
    expect(result.body).toMatchObject({ method: 'POST', body: '{"a":[1,2]}' });
    expect((result.body as JsonObject).headers).toMatchObject({ 'content-length': '11' });
  });

  it('sends the method, query params, cookies and a plain body as given', async () => {
    const { result } = await call(
      { url: `${base}/echo?x=0`, cookies: { session: 'abc', other: 'x y' } },
      { method: 'put', body: 'raw text', params: { a: 1, b: ['x', 'y z'] } },
    );
    expect(result.body).toMatchObject({
      method: 'PUT',
      url: '/echo?x=0&a=1&b=x&b=y+z',
      body: 'raw text',
      headers: { cookie: 'session=abc; other=x y' },
    });
  });

  it('uploads a file as multipart form data', async () => {
    const { result } = await call(
      { url: `${base}/echo` },
      { file_name: 'notes.txt', file_content: 'hello file', file_content_type: 'text/plain' },
    );
    const echoed = result.body as JsonObject;
    expect(echoed.method).toBe('POST');
    expect((echoed.headers as JsonObject)['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(echoed.body).toContain('Content-Disposition: form-data; name="notes.txt"; filename="notes.txt"');
    expect(echoed.body).toContain('Content-Type: text/plain\r\n\r\nhello file\r\n');
  });

  it('sends basic auth from username/password', async () => {
    const { result } = await call({ url: `${base}/echo`, username: 'bob', password: 'pw' });
    expect(((result.body as JsonObject).headers as JsonObject).authorization).toBe(
      `Basic ${Buffer.from('bob:pw').toString('base64')}`,
    );
  });

  it('maps 200–206 to succeeded and anything else to failed', async () => {
    expect((await call({ url: `${base}/status/206` })).status).toBe('succeeded');
    expect(await call({ url: `${base}/status/404` })).toMatchObject({
      status: 'failed',
      result: { status_code: 404 },
    });
    expect(await call({ url: `${base}/status/500` })).toMatchObject({
      status: 'failed',
      result: { status_code: 500 },
    });
  });

  it('does not follow redirects unless allowed', async () => {
    const off = await call({ url: `${base}/redirect/302` });
    expect(off).toMatchObject({
      status: 'failed',
      result: { status_code: 302, headers: { Location: '/echo?from=redirect' } },
    });
    const on = await call(
      { url: `${base}/redirect/302`, allow_redirects: true },
      { method: 'POST', body: 'b' },
    );
    expect(on.status).toBe('succeeded');
    expect(on.result.body).toMatchObject({ method: 'GET', url: '/echo?from=redirect', body: '' });
    const keep = await call(
      { url: `${base}/redirect/307`, allow_redirects: true },
      { method: 'POST', body: 'b' },
    );
    expect(keep.result.body).toMatchObject({ method: 'POST', body: 'b' });
  });

  it('gives up on a redirect loop', async () => {
    const { status, result } = await call({ url: `${base}/loop`, allow_redirects: true });
    expect(status).toBe('failed');
    expect(result.error).toBe('Exceeded 30 redirects.');
  });

  it('times out waiting for the response or for more of the body', async () => {
    const slow = await call({ url: `${base}/slow-headers` }, { timeout: 0.5 });
    expect(slow).toEqual({
      status: 'timeout',
      result: {
        error: `HTTPConnectionPool(host='127.0.0.1', port=${port}): Read timed out. (read timeout=0.5)`,
      },
    });
    expect((await call({ url: `${base}/slow-body` }, { timeout: 0.5 })).status).toBe('timeout');
  });

  it('fails with error and traceback when it cannot connect', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { status, result } = await call({ url: `http://127.0.0.1:${closedPort}/` });
    expect(status).toBe('failed');
    expect(result.error).toMatch(/ECONNREFUSED/);
    expect(typeof result.traceback).toBe('string');
  });

  it('refuses blacklisted and non-whitelisted hosts', async () => {
    const black = await call({ url: `${base}/echo`, url_hosts_blacklist: ['127.0.0.1'] });
    expect(black).toMatchObject({ status: 'failed', result: { error: `URL "${base}/echo" is blacklisted` } });
    const white = await call({ url: `${base}/echo`, url_hosts_whitelist: ['example.com'] });
    expect(white.result.error).toBe(`URL "${base}/echo" is not whitelisted`);
    expect((await call({ url: `${base}/echo`, url_hosts_whitelist: ['127.0.0.1'] })).status).toBe(
      'succeeded',
    );
    const both = await call({ url: `${base}/echo`, url_hosts_blacklist: ['a'], url_hosts_whitelist: ['b'] });
    expect(both.result.error).toMatch(/mutually exclusive/);
  });

  it('checks redirect targets against the lists too', async () => {
    const { result } = await call({
      url: `${base}/redirect/302`,
      allow_redirects: true,
      url_hosts_whitelist: ['127.0.0.1'],
    });
    expect(result.status_code).toBe(200);
  });

  it('cancels on abort', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('cancel'), 200);
    expect((await call({ url: `${base}/slow-headers` }, {}, controller.signal)).status).toBe('canceled');
    const shutdown = new AbortController();
    setTimeout(() => shutdown.abort('shutdown'), 200);
    expect((await call({ url: `${base}/slow-body` }, {}, shutdown.signal)).status).toBe('abandoned');
  });

  it('caps the body kept in memory', async () => {
    const small = createHttpRequestRunner({ maxResponseBytes: 1024 * 1024 });
    const { status, result } = await small.run({ url: `${base}/big` }, {}, ctx());
    expect(status).toBe('succeeded');
    expect((result.body as string).length).toBe(1024 * 1024);
  });

  it('joins repeated response headers and decodes text/* as Latin-1 by default', async () => {
    expect((await call({ url: `${base}/repeat` })).result.headers).toMatchObject({
      'Set-Cookie': 'a=1, b=2',
    });
    expect((await call({ url: `${base}/latin1` })).result.body).toBe('café');
  });

  it('goes through an HTTP proxy with the absolute URL', async () => {
    const seen: string[] = [];
    const proxy = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers['proxy-authorization'] ?? ''}`);
      const upstream = httpRequest(req.url ?? '', { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyPort = (proxy.address() as AddressInfo).port;
    try {
      const { status, result } = await call({
        url: `${base}/echo`,
        http_proxy: `http://u:p@127.0.0.1:${proxyPort}`,
      });
      expect(status).toBe('succeeded');
      expect(result.body).toMatchObject({ url: '/echo' });
      expect(seen).toEqual([`GET ${base}/echo Basic ${Buffer.from('u:p').toString('base64')}`]);
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
