/**
 * StackStorm's auth service on the API port: `POST /auth/v1/tokens` (HTTP Basic, optional
 * `{"ttl": …}`; also `/tokens` and `/v1/tokens`) and token validation (`/tokens/validate`, POST
 * with `{"token": …}` as StackStorm, and GET with the token in the usual places).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnauthorizedError, ValidationError } from '../../domain/errors.ts';
import { validate } from '../../domain/jsonschema/index.ts';
import { formatTimestamp } from '../../domain/time.ts';
import type { JsonObject } from '../../domain/types.ts';
import type { AuthService } from '../../auth/auth-service.ts';
import { parseBody } from '../body.ts';

export const TOKEN_PREFIXES = ['/auth/v1', '/v1', ''] as const;

const TOKEN_REQUEST: JsonObject = {
  type: 'object',
  properties: { ttl: { type: ['integer', 'null'], minimum: 1 } },
};

const INVALID_CREDENTIALS = 'Invalid or missing credentials';

function basicCredentials(request: FastifyRequest): { user: string; password: string } | undefined {
  const header = request.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function registerTokenRoutes(app: FastifyInstance, auth: AuthService): void {
  for (const prefix of TOKEN_PREFIXES) {
    app.post(`${prefix}/tokens`, async (request, reply) => {
      const body = parseBody(request);
      validate(TOKEN_REQUEST, body);
      const ttl = (body as { ttl?: number | null }).ttl ?? undefined;
      const credentials = basicCredentials(request);
      if (!credentials) throw new UnauthorizedError(INVALID_CREDENTIALS);
      const issued = await auth.login(credentials.user, credentials.password, ttl);
      if (!issued) throw new UnauthorizedError(INVALID_CREDENTIALS);
      return reply.code(201).send({
        user: issued.record.user,
        token: issued.token,
        expiry: formatTimestamp(issued.record.expiry),
        id: issued.record.id,
        metadata: issued.record.metadata,
      });
    });

    const validation = async (token: string | undefined): Promise<{ valid: boolean }> => {
      if (!token) return { valid: false };
      try {
        await auth.validateToken(token);
        return { valid: true };
      } catch {
        return { valid: false };
      }
    };
    app.post(`${prefix}/tokens/validate`, async (request) => {
      const body = parseBody(request);
      validate({ type: 'object', properties: { token: { type: ['string', 'null'] } } }, body);
      const token = (body as { token?: string | null }).token;
      return validation(token ?? undefined);
    });
    app.get(`${prefix}/tokens/validate`, async (request) => {
      const query = (request.query ?? {}) as Record<string, string | undefined>;
      const header = request.headers['x-auth-token'];
      const token = (Array.isArray(header) ? header[0] : header) ?? query['x-auth-token'] ?? query['token'];
      if (token === '') throw new ValidationError('Token is empty');
      return validation(token);
    });
  }
}
