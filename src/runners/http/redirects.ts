/** Following redirects the way Python requests does, when `allow_redirects` is on. */
import { checkHostAllowed } from './host-filter.ts';
import type { IncomingResponse, OutgoingRequest } from './send-request.ts';

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 30;

export interface RedirectPolicy {
  allowRedirects: boolean;
  blacklist: readonly string[];
  whitelist: readonly string[];
}

export async function sendFollowingRedirects(
  first: OutgoingRequest,
  policy: RedirectPolicy,
  send: (req: OutgoingRequest) => Promise<IncomingResponse>,
): Promise<IncomingResponse> {
  let req = first;
  for (let hops = 0; ; hops++) {
    const res = await send(req);
    const location = headerValue(res.headers, 'location');
    if (!policy.allowRedirects || !REDIRECT_STATUSES.has(res.statusCode) || location === undefined)
      return res;
    if (hops >= MAX_REDIRECTS) throw new Error(`Exceeded ${MAX_REDIRECTS} redirects.`);
    req = redirected(req, res.statusCode, new URL(location, req.url));
    checkHostAllowed(req.url, req.url.href, policy.blacklist, policy.whitelist);
  }
}

function redirected(prev: OutgoingRequest, status: number, url: URL): OutgoingRequest {
  let method = prev.method;
  // Browsers' (and requests') behaviour, not the RFC's: 301/302/303 turn a POST into a GET.
  if ((status === 303 || status === 302) && method !== 'HEAD') method = 'GET';
  if (status === 301 && method === 'POST') method = 'GET';
  const headers = { ...prev.headers };
  let body = prev.body;
  if (status !== 307 && status !== 308) {
    body = undefined;
    dropHeaders(headers, ['content-length', 'content-type', 'transfer-encoding']);
  }
  // Credentials stay with the host they were meant for (an http→https upgrade keeps them).
  const sameHost =
    url.hostname === prev.url.hostname &&
    (url.port === prev.url.port || (prev.url.protocol === 'http:' && url.protocol === 'https:'));
  if (!sameHost) dropHeaders(headers, ['authorization']);
  return { method, url, headers, body };
}

function dropHeaders(headers: Record<string, string>, lowerNames: readonly string[]): void {
  for (const name of Object.keys(headers)) {
    if (lowerNames.includes(name.toLowerCase())) delete headers[name];
  }
}

export function headerValue(headers: Record<string, string>, lowerName: string): string | undefined {
  for (const name of Object.keys(headers)) {
    if (name.toLowerCase() === lowerName) return headers[name];
  }
  return undefined;
}
