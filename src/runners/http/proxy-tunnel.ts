/** HTTPS through an HTTP proxy: a CONNECT tunnel, over which the caller speaks TLS. */
import { request as httpRequest } from 'node:http';
import type { Socket } from 'node:net';

export interface ProxyTarget {
  /** The proxy as a URL, e.g. `http://user:pass@10.10.1.10:3128`. */
  proxy: URL;
  host: string;
  port: number;
}

export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const credentials = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}

export function checkProxyUrl(proxy: URL): void {
  if (proxy.protocol !== 'http:')
    throw new Error(`Unsupported proxy scheme "${proxy.protocol}" (use http://)`);
}

export function openTunnel(target: ProxyTarget, timeoutMs: number, signal: AbortSignal): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const authority = `${target.host}:${target.port}`;
    const auth = proxyAuthorization(target.proxy);
    const req = httpRequest({
      host: target.proxy.hostname.replace(/^\[|\]$/g, ''),
      port: target.proxy.port || 80,
      method: 'CONNECT',
      path: authority,
      headers: { Host: authority, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
      timeout: timeoutMs,
      signal,
    });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new Error(`Tunnel connection failed: ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
        return;
      }
      resolve(socket);
    });
    req.on('timeout', () => req.destroy(new Error(`Connection to proxy ${target.proxy.host} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
