/**
 * Request failures, with messages shaped like the Python `requests` ones StackStorm users see in
 * results (and sometimes match in workflows). Kinds are classes, never recognised by text.
 */

/** The connect or a read took longer than the action's `timeout`: status `timeout`. */
export class HttpTimeoutError extends Error {
  override readonly name = 'HttpTimeoutError';
}

/** The execution's abort signal fired: status `canceled` or `abandoned`. */
export class HttpAbortError extends Error {
  override readonly name = 'HttpAbortError';
}

/** Python's float() repr of the timeout, as requests prints it: 60 → "60.0". */
function pyFloat(seconds: number): string {
  return Number.isInteger(seconds) ? seconds.toFixed(1) : String(seconds);
}

function pool(url: URL): string {
  const kind = url.protocol === 'https:' ? 'HTTPSConnectionPool' : 'HTTPConnectionPool';
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${kind}(host='${url.hostname.replace(/^\[|\]$/g, '')}', port=${port})`;
}

export function readTimeout(url: URL, seconds: number): HttpTimeoutError {
  return new HttpTimeoutError(`${pool(url)}: Read timed out. (read timeout=${pyFloat(seconds)})`);
}

export function connectTimeout(url: URL, seconds: number): HttpTimeoutError {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new HttpTimeoutError(
    `${pool(url)}: Max retries exceeded with url: ${url.pathname}${url.search} (Caused by ConnectTimeoutError('Connection to ${host} timed out. (connect timeout=${pyFloat(seconds)})'))`,
  );
}

export function connectionError(url: URL, cause: Error): Error {
  return new Error(
    `${pool(url)}: Max retries exceeded with url: ${url.pathname}${url.search} (Caused by NewConnectionError('Failed to establish a new connection: ${cause.message}'))`,
    { cause },
  );
}
