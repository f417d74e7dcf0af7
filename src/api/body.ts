/**
 * Request bodies, parsed with StackStorm's rules (spec §1.4): JSON by default, an empty body is
 * `{}`, anything unparseable or of another content type is a 400 with StackStorm's wording.
 */
import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../domain/errors.ts';
import type { Json } from '../domain/types.ts';

export function parseBody(request: FastifyRequest): Json {
  const contentType =
    (request.headers['content-type'] ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  const raw = typeof request.body === 'string' ? request.body : '';
  if (contentType !== 'application/json' && contentType !== '') {
    throw new ValidationError(`Failed to parse request body: Unsupported Content-Type: "${contentType}"`);
  }
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as Json;
  } catch (error) {
    throw new ValidationError(`Failed to parse request body: ${(error as Error).message}`);
  }
}
