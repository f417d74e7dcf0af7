/**
 * From the http-request runner and action parameters (spec §7.4) to the first request to send,
 * with the header, auth, cookie and body rules of StackStorm's http runner.
 */
import type { Json, JsonObject } from '../../domain/types.ts';
import { pyStr, pyTruthy } from '../shared/python-str.ts';
import { checkHostAllowed } from './host-filter.ts';
import { encodeBody, formEncode, type FileUpload } from './request-body.ts';
import type { OutgoingRequest } from './send-request.ts';

export interface HttpCall {
  request: OutgoingRequest;
  allowRedirects: boolean;
  timeoutSeconds: number;
  verifySsl: boolean;
  httpProxy: string | undefined;
  httpsProxy: string | undefined;
  blacklist: string[];
  whitelist: string[];
}

const DEFAULT_TIMEOUT_SECONDS = 60;

export function buildCall(
  runnerParameters: JsonObject,
  actionParameters: JsonObject,
  actionName: string,
  userAgent: string,
): HttpCall {
  const rp = runnerParameters;
  const ap = actionParameters;
  const blacklist = stringList(rp.url_hosts_blacklist);
  const whitelist = stringList(rp.url_hosts_whitelist);
  if (blacklist.length > 0 && whitelist.length > 0) {
    throw new Error(
      '"url_hosts_blacklist" and "url_hosts_whitelist" parameters are mutually exclusive. Only one should be provided.',
    );
  }
  if (typeof rp.url !== 'string' || rp.url === '') throw new Error('URL must be specified.');
  const url = new URL(rp.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`No connection adapters were found for '${rp.url}'`);
  }
  checkHostAllowed(url, rp.url, blacklist, whitelist);
  if (isObject(ap.params)) {
    const query = formEncode(ap.params);
    if (query !== '') url.search = url.search === '' ? `?${query}` : `${url.search}&${query}`;
  }

  const headers = new HeaderList(isObject(rp.headers) ? rp.headers : {});
  // Always identify ourselves, so requests can be traced back to the action that made them.
  headers.set('User-Agent', userAgent);
  headers.set('X-Stanley-Action', actionName);
  if (isObject(rp.cookies) && !headers.has('cookie')) {
    const pairs = Object.entries(rp.cookies).filter(([, v]) => v !== null);
    if (pairs.length > 0) headers.set('Cookie', pairs.map(([k, v]) => `${k}=${pyStr(v)}`).join('; '));
  }
  const basic = basicCredentials(rp, ap.auth);
  if (basic) headers.set('Authorization', `Basic ${Buffer.from(basic).toString('base64')}`);

  const file = fileUpload(ap);
  const body = ap.body ?? undefined;
  const encoded = encodeBody(body, headers.get('content-type') === 'application/json', file);
  if (encoded.contentType && !headers.has('content-type')) headers.set('Content-Type', encoded.contentType);
  if (encoded.bytes) headers.set('Content-Length', String(encoded.bytes.length));

  const method = typeof ap.method === 'string' && ap.method !== '' ? ap.method.toUpperCase() : undefined;
  return {
    request: {
      method: method ?? (pyTruthy(body) || file ? 'POST' : 'GET'),
      url,
      headers: headers.toObject(),
      body: encoded.bytes,
    },
    allowRedirects: rp.allow_redirects === true,
    timeoutSeconds: typeof ap.timeout === 'number' ? ap.timeout : DEFAULT_TIMEOUT_SECONDS,
    verifySsl: rp.verify_ssl_cert !== false,
    httpProxy: nonEmptyString(rp.http_proxy),
    httpsProxy: nonEmptyString(rp.https_proxy),
    blacklist,
    whitelist,
  };
}

/** Runner `username`/`password` win over the action's `auth`, as in StackStorm. */
function basicCredentials(rp: JsonObject, auth: Json | undefined): string | undefined {
  const { username, password } = rp;
  if ((username !== undefined && username !== null) || (password !== undefined && password !== null)) {
    // requests str()s a missing half, hence "None".
    return `${pyStr(username ?? null)}:${pyStr(password ?? null)}`;
  }
  if (auth === undefined || !pyTruthy(auth)) return undefined;
  if (Array.isArray(auth) && auth.length === 2) return `${pyStr(auth[0] ?? null)}:${pyStr(auth[1] ?? null)}`;
  throw new Error('The "auth" parameter must be a [username, password] pair');
}

function fileUpload(ap: JsonObject): FileUpload | undefined {
  const { file_name: name, file_content: content, file_content_type: contentType } = ap;
  if (typeof name !== 'string' || name === '' || typeof content !== 'string' || content === '')
    return undefined;
  return {
    name,
    content,
    contentType: typeof contentType === 'string' && contentType !== '' ? contentType : undefined,
  };
}

/** Header names keep the user's spelling, but setting one replaces any case variant of it. */
class HeaderList {
  private readonly entries = new Map<string, [string, string]>();

  constructor(initial: { [key: string]: Json }) {
    for (const [name, value] of Object.entries(initial)) {
      if (value !== null) this.set(name, pyStr(value));
    }
  }

  set(name: string, value: string): void {
    this.entries.set(name.toLowerCase(), [name, value]);
  }

  has(lowerName: string): boolean {
    return this.entries.has(lowerName);
  }

  get(lowerName: string): string | undefined {
    return this.entries.get(lowerName)?.[1];
  }

  toObject(): Record<string, string> {
    return Object.fromEntries(this.entries.values());
  }
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}

function stringList(value: Json | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function nonEmptyString(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
