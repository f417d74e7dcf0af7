/**
 * `/inquiries` (StackStorm's inquiries controller): the pending inquiries, one inquiry, and
 * answering one. The work is in src/engine/inquiries; this maps StackStorm's shapes and limits.
 */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../domain/errors.ts';
import { validate } from '../../domain/jsonschema/index.ts';
import type { JsonObject } from '../../domain/types.ts';
import type { RouteContext } from '../app.ts';
import { parseBody } from '../body.ts';
import { parseParams } from '../query-params.ts';

type Query = Record<string, string>;

/** StackStorm's InquiryResponseResult. */
const INQUIRY_RESPONSE: JsonObject = {
  type: 'object',
  required: ['id', 'response'],
  properties: { id: { type: 'string' }, response: { type: 'object' } },
};

export function registerInquiryRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  const { engine, auth } = ctx;

  app.get(base, async (request, reply) => {
    const q = parseParams({ limit: { type: 'integer', default: 20 } } as const, request.query as Query);
    if (q.limit === 0 || q.limit <= -2) {
      throw new ValidationError(`Limit, "${q.limit}" specified, must be a positive number.`);
    }
    const limit = q.limit === -1 ? null : q.limit;
    const page = await engine.inquiries.list(limit);
    void reply.header('x-total-count', String(page.total));
    if (limit !== null) void reply.header('x-limit', String(limit));
    return page.items;
  });

  app.get(`${base}/:id`, async (request) => {
    const { id } = request.params as { id: string };
    return engine.inquiries.get(id);
  });

  app.put(`${base}/:id`, async (request) => {
    const { id } = request.params as { id: string };
    const body = parseBody(request);
    validate(INQUIRY_RESPONSE, body);
    const user = ctx.requester(request);
    return engine.inquiries.respond(id, (body as { response: JsonObject }).response, {
      user,
      roles: auth.enabled ? auth.rolesOf(user) : undefined,
    });
  });
}
