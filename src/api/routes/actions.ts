/**
 * `/actions`: the action catalogue with StackStorm's shapes (spec: `Action`).
 */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../domain/errors.ts';
import { validate } from '../../domain/jsonschema/index.ts';
import type { JsonObject } from '../../domain/types.ts';
import type { RouteContext } from '../app.ts';
import { parseBody } from '../body.ts';
import { parseParams, type ParamDecls } from '../query-params.ts';
import { pickFields } from '../resource-fields.ts';
import { ACTION_REQUEST } from '../schemas.ts';

const LIST_PARAMS = {
  exclude_attributes: { type: 'array' },
  include_attributes: { type: 'array' },
  limit: { type: 'integer', default: 100 },
  offset: { type: 'integer', default: 0 },
  id: { type: 'array' },
  name: { type: 'string' },
  pack: { type: 'string' },
  tags: { type: 'string' },
} as const satisfies ParamDecls;

function objectBody(body: unknown): JsonObject {
  validate(ACTION_REQUEST, body as JsonObject, { fillDefaults: true });
  return body as JsonObject;
}

export function registerActionRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  const { actions } = ctx.engine;

  app.get(base, async (request, reply) => {
    const q = parseParams(LIST_PARAMS, request.query as Record<string, string>);
    if (q.offset < 0) throw new ValidationError(`Offset "${q.offset}" specified must be a positive number.`);
    if (q.offset >= 2 ** 31)
      throw new ValidationError(`Offset "${q.offset}" specified is more than 32-bit int`);
    if (q.limit === 0 || q.limit < -1) {
      throw new ValidationError(
        `Limit, "${q.limit}" specified, must be a positive number or -1 for full result set.`,
      );
    }
    const limit = q.limit === -1 ? null : Math.min(q.limit, 2 ** 31 - 1);
    const page = await actions.list(
      {
        ...(q.id ? { ids: q.id } : {}),
        ...(q.name ? { name: q.name } : {}),
        ...(q.pack ? { pack: q.pack } : {}),
        ...(q.tags ? { tag: q.tags } : {}),
      },
      { limit, offset: q.offset },
    );
    void reply.header('x-total-count', String(page.total));
    if (limit !== null) void reply.header('x-limit', String(limit));
    return page.items.map((a) => pickFields(a, q.include_attributes, q.exclude_attributes));
  });

  app.get(`${base}/:refOrId`, async (request) => {
    const { refOrId } = request.params as { refOrId: string };
    return actions.get(refOrId);
  });

  app.post(base, async (request, reply) => {
    const action = await actions.create(objectBody(parseBody(request)));
    return reply.code(201).send(action);
  });

  app.put(`${base}/:refOrId`, async (request) => {
    const { refOrId } = request.params as { refOrId: string };
    return actions.update(refOrId, objectBody(parseBody(request)));
  });

  app.delete(`${base}/:refOrId`, async (request, reply) => {
    const { refOrId } = request.params as { refOrId: string };
    await actions.delete(refOrId);
    return reply.code(204).send();
  });
}
