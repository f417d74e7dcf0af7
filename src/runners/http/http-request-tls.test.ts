import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testAction, testContext } from '../testing/run-context.ts';
import { createHttpRequestRunner } from './http-request-runner.ts';

/** A throwaway self-signed certificate, made with the openssl CLI when the machine has one. */
function selfSigned(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'squall-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tls = selfSigned();
const runner = createHttpRequestRunner();
const ctx = () => testContext({ action: testAction({ name: 'http', runner_type: 'http-request' }) });
let https: Server;
let proxy: Server;
let httpsPort: number;
let proxyPort: number;
const tunnels: string[] = [];
const sockets = new Set<Socket>();

describe.skipIf(!tls)('http-request over TLS', () => {
  beforeAll(async () => {
    https = createHttpsServer({ key: tls?.key, cert: tls?.cert }, (req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ secure: true, path: req.url }));
    });
    // A CONNECT-only proxy: it pipes the tunnel through to the target.
    proxy = createHttpServer();
    proxy.on('connect', (req, client: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
      }
    });
    for (const s of [https, proxy]) await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    httpsPort = (https.address() as AddressInfo).port;
    proxyPort = (proxy.address() as AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    for (const s of [https, proxy]) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('refuses a self-signed certificate unless verify_ssl_cert is false', async () => {
    const url = `https://127.0.0.1:${httpsPort}/x`;
    const strict = await runner.run({ url }, {}, ctx());
    expect(strict.status).toBe('failed');
    expect(strict.result.error).toMatch(/self.signed/i);
    const lax = await runner.run({ url, verify_ssl_cert: false }, {}, ctx());
    expect(lax).toMatchObject({ status: 'succeeded', result: { body: { secure: true, path: '/x' } } });
  });

  it('tunnels HTTPS through https_proxy with CONNECT', async () => {
    const { status, result } = await runner.run(
      {
        url: `https://127.0.0.1:${httpsPort}/tunnel`,
        https_proxy: `http://127.0.0.1:${proxyPort}`,
        verify_ssl_cert: false,
      },
      {},
      ctx(),
    );
    expect(status).toBe('succeeded');
    expect(result.body).toEqual({ secure: true, path: '/tunnel' });
    expect(tunnels).toEqual([`127.0.0.1:${httpsPort}`]);
  });
});
