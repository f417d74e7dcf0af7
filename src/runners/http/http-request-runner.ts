/** `http-request`: one HTTP call per execution (spec §7.4). */
import type { Json, JsonObject } from '../../domain/types.ts';
import { abortStatus, errorResult } from '../shared/runner-results.ts';
import type { RunContext, Runner, RunnerResult } from '../runner.ts';
import { buildCall } from './build-request.ts';
import { HttpAbortError, HttpTimeoutError } from './errors.ts';
import { headerValue, sendFollowingRedirects } from './redirects.ts';
import { sendRequest, type IncomingResponse } from './send-request.ts';

export interface HttpRequestOptions {
  /** The StackStorm version advertised in `User-Agent: st2/v<version>`. */
  st2Version?: string;
  /** How much of a response body the result keeps; the rest is not downloaded. */
  maxResponseBytes?: number;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

export function createHttpRequestRunner(options: HttpRequestOptions = {}): Runner {
  const userAgent = `st2/v${options.st2Version ?? '3.9.0'}`;
  const maxBodyBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return {
    async run(
      runnerParameters: JsonObject,
      actionParameters: JsonObject,
      ctx: RunContext,
    ): Promise<RunnerResult> {
      try {
        const call = buildCall(runnerParameters, actionParameters, ctx.action.name, userAgent);
        const transport = { ...call, signal: ctx.signal, maxBodyBytes };
        const res = await sendFollowingRedirects(call.request, call, (req) => sendRequest(req, transport));
        return {
          status: res.statusCode >= 200 && res.statusCode <= 206 ? 'succeeded' : 'failed',
          result: responseResult(res),
        };
      } catch (err) {
        if (err instanceof HttpTimeoutError) return { status: 'timeout', result: { error: err.message } };
        if (err instanceof HttpAbortError) {
          return { status: abortStatus(ctx.signal.reason), result: { error: err.message } };
        }
        return errorResult(err instanceof Error ? err : new Error(String(err)));
      }
    },
  };
}

function responseResult(res: IncomingResponse): JsonObject {
  const contentType = headerValue(res.headers, 'content-type');
  const text = decodeText(res.body, contentType);
  let body: Json = text;
  let parsed = false;
  // Exactly StackStorm's test: the media type before any ";", compared as is.
  if (contentType !== undefined && contentType.split(';')[0] === 'application/json') {
    try {
      body = JSON.parse(text) as Json;
      parsed = true;
    } catch {
      // Not JSON after all: the text stays, `parsed` says so.
    }
  }
  return { status_code: res.statusCode, body, parsed, headers: res.headers };
}

/** requests' `resp.text`: the declared charset, else Latin-1 for text/*, else UTF-8. */
function decodeText(body: Buffer, contentType: string | undefined): string {
  const charset = contentType ? /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1] : undefined;
  if (charset) {
    try {
      return new TextDecoder(charset).decode(body);
    } catch {
      // An unknown charset: fall through to the defaults.
    }
  }
  if (!charset && contentType?.trim().toLowerCase().startsWith('text/')) return body.toString('latin1');
  return body.toString('utf8');
}
