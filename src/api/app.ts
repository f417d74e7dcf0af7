/**
 * The HTTP API: a Fastify app serving StackStorm's routes under `/api/v1`, and StackStorm's own
 * aliases (`/v1`, bare paths, `actionexecutions`), with its CORS headers, request ids, query and
 * body parsing rules and `{"faultstring": …}` errors. Building the app opens no socket; the entry
 * point listens, and tests use `inject()` or listen on 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AuthService } from '../auth/auth-service.ts';
import { SquallError } from '../domain/errors.ts';
import type { Engine } from '../engine/engine.ts';
import { registerAuthentication, requesterOf } from './auth/authenticate.ts';
import { registerAuthorization } from './auth/authorize.ts';
import { serializeRequest } from './auth/log-redaction.ts';
import { mapError } from './error-mapper.ts';
import { parseQueryString } from './query-params.ts';
import { registerActionRoutes } from './routes/actions.ts';
import { registerApiKeyRoutes } from './routes/apikeys.ts';
import { registerTokenRoutes } from './routes/auth-tokens.ts';
import { registerInquiryRoutes } from './routes/inquiries.ts';
import { registerKeyRoutes } from './routes/keys.ts';
import { registerExecutionReadRoutes } from './routes/executions-read.ts';
import { registerExecutionControlRoutes, registerExecutionWriteRoutes } from './routes/executions-write.ts';
import { registerRunnerTypeRoutes } from './routes/runnertypes.ts';
import { registerWorkflowRoutes } from './routes/workflows.ts';
import { registerUserRoutes } from './routes/user.ts';
import type { SseClient } from './stream/sse-client.ts';
import { StreamHub } from './stream/stream-hub.ts';
import { registerStreamRoutes } from './stream/stream-routes.ts';

export interface ApiOptions {
  engine: Engine;
  /** Credentials and permissions; while it is disabled, requests act as the system user. */
  auth: AuthService;
  webUiBaseUrl: string;
  bodyLimit: number;
  logLevel: string;
  allowOrigins: readonly string[];
  /** Seconds without events before the event stream sends a keep-alive newline. */
  streamHeartbeatSeconds: number;
  /** Unread bytes a stream client may fall behind by before it is disconnected. */
  streamMaxBufferedBytes: number;
}

/** What every route handler gets. */
export interface RouteContext {
  engine: Engine;
  auth: AuthService;
  webUiBaseUrl: string;
  requester(request: FastifyRequest): string;
}

/** StackStorm serves `/api/v1/X` also as `/v1/X` and `/X` (nginx strips `/api`). */
export const API_PREFIXES = ['/api/v1', '/v1', ''] as const;

const CORS_HEADERS = {
  'access-control-allow-methods': 'GET,POST,PUT,DELETE,OPTIONS',
  'access-control-allow-headers': 'Content-Type,Authorization,X-Auth-Token,St2-Api-Key,X-Request-ID',
  'access-control-allow-credentials': 'true',
  'access-control-expose-headers': 'Content-Type,X-Limit,X-Total-Count,X-Request-ID',
};

export function buildApi(options: ApiOptions): FastifyInstance {
  const app = Fastify({
    // Request URLs are logged with credentials in the query string masked.
    logger: { level: options.logLevel, serializers: { req: serializeRequest } },
    bodyLimit: options.bodyLimit,
    routerOptions: { ignoreTrailingSlash: true, querystringParser: parseQueryString, maxParamLength: 8192 },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && given !== '' && given.length <= 200 ? given : randomUUID();
    },
    frameworkErrors: (error, request, rawReply) => {
      const reply = rawReply as unknown as FastifyReply;
      if (error.code === 'FST_ERR_BAD_URL') {
        void reply.code(400).send({
          faultstring: `Failed to parse request path "${request.url}". URL likely contains invalid or incorrectly URL encoded values.`,
        });
        return;
      }
      void reply.code(400).send({ faultstring: error.message });
    },
  });

  // Bodies are parsed by the routes themselves, with StackStorm's rules and messages (body.ts).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    const allowed = origin && (options.allowOrigins.includes('*') || options.allowOrigins.includes(origin));
    void reply.headers({
      ...CORS_HEADERS,
      'access-control-allow-origin': allowed ? origin : (options.allowOrigins[0] ?? '*'),
      'x-request-id': String(request.id),
    });
  });

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply));
  app.setNotFoundHandler((request, reply) => {
    if (request.method === 'OPTIONS') return reply.code(200).send('');
    return reply.code(404).send({ faultstring: 'The resource could not be found.' });
  });

  registerAuthentication(app, options.auth);
  registerAuthorization(app, options.auth, options.engine);
  const ctx: RouteContext = {
    engine: options.engine,
    auth: options.auth,
    webUiBaseUrl: options.webUiBaseUrl,
    requester: (request) => requesterOf(request, options.auth).user,
  };
  registerTokenRoutes(app, options.auth);
  for (const prefix of API_PREFIXES) {
    for (const resource of ['executions', 'actionexecutions']) {
      registerExecutionReadRoutes(app, `${prefix}/${resource}`, ctx);
      registerExecutionWriteRoutes(app, `${prefix}/${resource}`, ctx);
      registerExecutionControlRoutes(app, `${prefix}/${resource}`, ctx);
    }
    registerActionRoutes(app, `${prefix}/actions`, ctx);
    registerRunnerTypeRoutes(app, `${prefix}/runnertypes`, ctx);
    registerWorkflowRoutes(app, `${prefix}/workflows`, ctx);
    registerApiKeyRoutes(app, `${prefix}/apikeys`, ctx);
    registerUserRoutes(app, `${prefix}/user`, ctx);
    registerKeyRoutes(app, `${prefix}/keys`, ctx);
    registerInquiryRoutes(app, `${prefix}/inquiries`, ctx);
  }

  const hub = new StreamHub(options.engine, { webUiBaseUrl: options.webUiBaseUrl, maxQueuedEvents: 100_000 });
  const connections = new Set<SseClient>();
  registerStreamRoutes(app, ctx, {
    hub,
    connections,
    heartbeatMs: options.streamHeartbeatSeconds * 1000,
    maxBufferedBytes: options.streamMaxBufferedBytes,
  });
  // Streams never end on their own: shutting down ends them rather than waiting for clients.
  app.addHook('preClose', async () => {
    for (const client of [...connections]) client.close();
    hub.close();
  });
  return app;
}

function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const fastifyStatus = (error as { statusCode?: unknown }).statusCode;
  if (
    typeof fastifyStatus === 'number' &&
    fastifyStatus >= 400 &&
    fastifyStatus < 500 &&
    !(error instanceof SquallError)
  ) {
    // Framework-level refusals (body too large, bad media type…) keep their status.
    return reply.code(fastifyStatus).send({ faultstring: (error as Error).message });
  }
  const mapped = mapError(error);
  if (mapped.unexpected) request.log.error({ err: error }, 'request failed');
  return reply.code(mapped.status).send(mapped.body);
}
