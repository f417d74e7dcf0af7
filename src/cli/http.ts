/**
 * The HTTP client of Squall's API (StackStorm's REST API): JSON requests with the credentials
 * headers, errors turned into one readable line, and the SSE streams read as events.
 */
import { ApiError } from './errors.ts';

export interface Credentials {
  apiKey?: string | undefined;
  token?: string | undefined;
}

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface SseEvent {
  event: string;
  data: string;
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export class ApiClient {
  readonly baseUrl: string;
  readonly #credentials: Credentials;
  readonly #fetch: FetchLike;

  constructor(baseUrl: string, credentials: Credentials, fetchImpl: FetchLike = fetch) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#credentials = credentials;
    this.#fetch = fetchImpl;
  }

  url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  /** A JSON request; any non-2xx answer becomes an ApiError with the server's faultstring. */
  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<JsonResponse<T>> {
    const response = await this.#send(method, path, options);
    const text = await response.text();
    const body = parseJson(text);
    if (!response.ok) throw new ApiError(faultOf(response, body, text), response.status);
    return { status: response.status, headers: response.headers, body: body as T };
  }

  async get<T = unknown>(path: string, query?: Query): Promise<T> {
    return (await this.request<T>('GET', path, query ? { query } : {})).body;
  }

  /** A plain-text read (execution output). */
  async text(path: string, query?: Query): Promise<string> {
    const response = await this.#send('GET', path, query ? { query } : {});
    const text = await response.text();
    if (!response.ok) throw new ApiError(faultOf(response, parseJson(text), text), response.status);
    return text;
  }

  /**
   * An SSE stream as events, until the server ends it or `signal` aborts. StackStorm's stream
   * takes credentials only in the query string; headers are sent as well for other proxies.
   */
  async *events(path: string, query: Query = {}, signal?: AbortSignal): AsyncGenerator<SseEvent> {
    const auth: Query = {
      'st2-api-key': this.#credentials.apiKey,
      'x-auth-token': this.#credentials.apiKey ? undefined : this.#credentials.token,
    };
    const response = await this.#send('GET', path, {
      query: { ...query, ...auth },
      headers: { accept: 'text/event-stream' },
      ...(signal ? { signal } : {}),
    });
    if (!response.ok || !response.body) {
      const text = await response.text();
      throw new ApiError(faultOf(response, parseJson(text), text), response.status);
    }
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true }).replace(/\r\n?/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = parseBlock(block);
          if (event) yield event;
        }
      }
    } catch (error) {
      if (signal?.aborted) return;
      throw new ApiError(`the stream from ${this.baseUrl} broke off: ${(error as Error).message}`);
    }
  }

  async #send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const url = this.url(path, options.query);
    const headers: Record<string, string> = { ...options.headers };
    if (this.#credentials.apiKey) headers['st2-api-key'] = this.#credentials.apiKey;
    else if (this.#credentials.token) headers['x-auth-token'] = this.#credentials.token;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.#fetch(url, {
        method,
        headers,
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw new ApiError(connectionMessage(this.baseUrl, error));
    }
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function faultOf(response: Response, body: unknown, text: string): string {
  if (typeof body === 'object' && body !== null && 'faultstring' in body)
    return String((body as { faultstring: unknown }).faultstring);
  const snippet = text.trim().split('\n')[0]?.slice(0, 200) ?? '';
  return `${response.status} ${response.statusText}${snippet ? `: ${snippet}` : ''}`;
}

/** "connection refused" with the URL tried, rather than undici's bare "fetch failed". */
export function connectionMessage(baseUrl: string, error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const reasons: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    ECONNRESET: 'connection reset',
    ETIMEDOUT: 'timed out',
    EHOSTUNREACH: 'host unreachable',
  };
  const reason =
    (code && reasons[code]) ??
    (typeof cause?.message === 'string'
      ? cause.message
      : error instanceof Error
        ? error.message
        : String(error));
  return `cannot reach Squall at ${baseUrl}: ${reason}`;
}

function parseBlock(block: string): SseEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  return { event, data: data.join('\n') };
}
