/**
 * One `onRequest` hook reads the caller's credentials on every route, in StackStorm's order
 * (header `X-Auth-Token`, header `St2-Api-Key`, query `x-auth-token`, query `st2-api-key`, cookie
 * `auth-token`; first found wins), and answers 401 with StackStorm's messages. Routes that must
 * work without credentials (logging in, CORS preflight, unknown routes' 404) are exempt.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../../domain/errors.ts';
import { nowMicros } from '../../domain/time.ts';
import { AuthMethod, type AuthService, type Requester } from '../../auth/auth-service.ts';

const requesters = new WeakMap<FastifyRequest, Requester>();

/** Paths (route patterns) that need no credentials: obtaining and checking a token. */
const PUBLIC_ROUTES: ReadonlySet<string> = new Set(
  ['/auth/v1/tokens', '/v1/tokens', '/tokens'].flatMap((p) => [p, `${p}/validate`]),
);

/** The authenticated caller (the system user while authentication is off). */
export function requesterOf(request: FastifyRequest, auth: AuthService): Requester {
  return requesters.get(request) ?? auth.anonymous;
}

function single(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[value.length - 1] : value;
  return v === undefined || v === '' ? undefined : v;
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value) || undefined;
      } catch {
        return value || undefined;
      }
    }
  }
  return undefined;
}

type Found = { kind: 'token' | 'apiKey'; value: string; location: string };

function findCredential(request: FastifyRequest): Found | undefined {
  const query = (request.query ?? {}) as Record<string, string | undefined>;
  const candidates: [Found['kind'], string | undefined, string][] = [
    ['token', single(request.headers['x-auth-token']), 'header'],
    ['apiKey', single(request.headers['st2-api-key']), 'header'],
    ['token', single(query['x-auth-token']), 'query'],
    ['apiKey', single(query['st2-api-key']), 'query'],
    ['token', cookie(single(request.headers.cookie), 'auth-token'), 'cookie'],
  ];
  for (const [kind, value, location] of candidates) if (value !== undefined) return { kind, value, location };
  return undefined;
}

function setAuthCookie(reply: FastifyReply, token: string, expiry: number): void {
  const maxAge = Math.max(0, Math.floor((expiry - nowMicros()) / 1_000_000));
  void reply.header(
    'set-cookie',
    `auth-token=${encodeURIComponent(token)}; Max-Age=${maxAge}; HttpOnly; Path=/`,
  );
}

const routeLists = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every route registered after `registerAuthentication` (tests walk them all without credentials). */
export function registeredRoutes(app: FastifyInstance): readonly { method: string; url: string }[] {
  return routeLists.get(app) ?? [];
}

export function registerAuthentication(app: FastifyInstance, auth: AuthService): void {
  const routes: { method: string; url: string }[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  if (!auth.enabled) return;
  app.addHook('onRequest', async (request, reply) => {
    if (request.method === 'OPTIONS' || request.is404) return;
    if (PUBLIC_ROUTES.has(request.routeOptions.url ?? '')) return;
    const found = findCredential(request);
    if (!found) throw new UnauthorizedError('Unauthorized - One of Token or API key required.');
    if (found.kind === 'token') {
      const token = await auth.validateToken(found.value);
      requesters.set(request, {
        user: token.user,
        method: AuthMethod.token,
        location: found.location,
        tokenExpiry: token.expiry,
      });
      setAuthCookie(reply, found.value, token.expiry);
    } else {
      const key = await auth.validateApiKey(found.value);
      requesters.set(request, { user: key.user, method: AuthMethod.apiKey, location: found.location });
    }
  });
}
