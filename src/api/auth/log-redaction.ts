/**
 * What request logs may show: the URL with credentials in its query string replaced by the mask.
 * Clients put tokens and API keys in the query for the event stream (`?x-auth-token=…`), and
 * Fastify logs every request's URL.
 */
import type { FastifyRequest } from 'fastify';
import { MASKED_VALUE } from '../../domain/masking.ts';

const CREDENTIAL_PARAMS = /([?&](?:x-auth-token|st2-api-key|token|api_key|apikey)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(CREDENTIAL_PARAMS, `$1${MASKED_VALUE}`);
}

/** Fastify's request serializer, with the URL redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
