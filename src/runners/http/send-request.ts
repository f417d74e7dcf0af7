/**
 * One HTTP exchange over node:http/https, optionally through a proxy, with requests' timeout
 * semantics (the limit applies to connecting and to each wait for data, not to the whole
 * download), the execution's abort signal, and a cap on the body kept in memory.
 */
import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { connectionError, connectTimeout, HttpAbortError, HttpTimeoutError, readTimeout } from './errors.ts';
import { checkProxyUrl, openTunnel, proxyAuthorization } from './proxy-tunnel.ts';

export interface OutgoingRequest {
  method: string;
  url: URL;
  /** Names as the user spelled them; Node sends them so. */
  headers: Record<string, string>;
  body: Buffer | undefined;
}

export interface Transport {
  timeoutSeconds: number;
  verifySsl: boolean;
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  signal: AbortSignal;
  maxBodyBytes: number;
}

export interface IncomingResponse {
  statusCode: number;
  /** As requests' `dict(resp.headers)`: the server's spelling, repeated headers joined by ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The body was cut at `maxBodyBytes` (the rest was not downloaded). */
  truncated: boolean;
}

export async function sendRequest(req: OutgoingRequest, transport: Transport): Promise<IncomingResponse> {
  if (transport.signal.aborted) throw new HttpAbortError('The request was aborted');
  const timeoutMs = transport.timeoutSeconds * 1000;
  const https = req.url.protocol === 'https:';
  const proxyText = https ? transport.httpsProxy : transport.httpProxy;
  const proxy = proxyText ? new URL(proxyText) : undefined;
  if (proxy) checkProxyUrl(proxy);
  const options: RequestOptions & { rejectUnauthorized?: boolean; servername?: string } = {
    method: req.method,
    headers: req.headers,
    timeout: timeoutMs,
  };
  if (https) options.rejectUnauthorized = transport.verifySsl;

  let clientRequest: ClientRequest;
  if (proxy && https) {
    const socket = await openTunnel(
      { proxy, host: req.url.hostname.replace(/^\[|\]$/g, ''), port: Number(req.url.port || 443) },
      timeoutMs,
      transport.signal,
    ).catch((err: unknown) => {
      throw transport.signal.aborted ? new HttpAbortError('The request was aborted') : err;
    });
    const servername = req.url.hostname.replace(/^\[|\]$/g, '');
    clientRequest = httpsRequest(req.url, {
      ...options,
      agent: false,
      createConnection: () => tlsConnect({ socket, servername, rejectUnauthorized: transport.verifySsl }),
    });
  } else if (proxy) {
    // Plain HTTP through a proxy: the request line carries the absolute URL.
    const auth = proxyAuthorization(proxy);
    clientRequest = httpRequest({
      ...options,
      host: proxy.hostname.replace(/^\[|\]$/g, ''),
      port: proxy.port || 80,
      path: req.url.href,
      headers: { Host: req.url.host, ...req.headers, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
    });
  } else {
    clientRequest = (https ? httpsRequest : httpRequest)(req.url, options);
  }
  return exchange(clientRequest, req, transport);
}

function exchange(
  clientRequest: ClientRequest,
  req: OutgoingRequest,
  transport: Transport,
): Promise<IncomingResponse> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (err: Error | undefined, res?: IncomingResponse): void => {
      if (settled) return;
      settled = true;
      transport.signal.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve(res as IncomingResponse);
    };
    const onAbort = (): void => {
      clientRequest.destroy(new HttpAbortError('The request was aborted'));
    };
    if (transport.signal.aborted) onAbort();
    else transport.signal.addEventListener('abort', onAbort, { once: true });

    let responded = false;
    clientRequest.on('timeout', () => {
      const connecting = !responded && (clientRequest.socket?.connecting ?? true);
      clientRequest.destroy(
        connecting
          ? connectTimeout(req.url, transport.timeoutSeconds)
          : readTimeout(req.url, transport.timeoutSeconds),
      );
    });
    clientRequest.on('error', (err) => {
      const known = err instanceof HttpTimeoutError || err instanceof HttpAbortError;
      finish(known || responded ? err : connectionError(req.url, err));
    });
    clientRequest.on('response', (res) => {
      responded = true;
      readBody(res, transport.maxBodyBytes, finish);
    });
    clientRequest.end(req.body);
  });
}

function readBody(
  res: IncomingMessage,
  maxBytes: number,
  finish: (err: Error | undefined, res?: IncomingResponse) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  const done = (): void =>
    finish(undefined, {
      statusCode: res.statusCode ?? 0,
      headers: joinHeaders(res.rawHeaders),
      body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
      truncated,
    });
  res.on('data', (chunk: Buffer) => {
    if (truncated) return;
    if (size + chunk.length > maxBytes) {
      chunks.push(chunk.subarray(0, maxBytes - size));
      size = maxBytes;
      truncated = true;
      // Stop downloading what we would throw away anyway.
      res.destroy();
      done();
      return;
    }
    chunks.push(chunk);
    size += chunk.length;
  });
  res.on('end', done);
  // A timeout or abort while the body is arriving surfaces here (and on the request).
  res.on('error', (err) => finish(err));
}

function joinHeaders(raw: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const spelling = new Map<string, string>();
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const key = spelling.get(name.toLowerCase());
    if (key === undefined) {
      spelling.set(name.toLowerCase(), name);
      out[name] = value;
    } else {
      out[key] = `${out[key]}, ${value}`;
    }
  }
  return out;
}
