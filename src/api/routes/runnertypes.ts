/**
 * `/runnertypes`: every StackStorm runner type, including those Squall cannot run yet (their
 * executions fail with a clear message), so existing clients see what they expect.
 */
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../domain/errors.ts';
import type { RouteContext } from '../app.ts';
import { parseParams, type ParamDecls } from '../query-params.ts';
import { pickFields } from '../resource-fields.ts';

const LIST_PARAMS = {
  exclude_attributes: { type: 'array' },
  include_attributes: { type: 'array' },
  limit: { type: 'integer', default: 100 },
  offset: { type: 'integer', default: 0 },
  sort: { type: 'string' },
  id: { type: 'array' },
  name: { type: 'array' },
} as const satisfies ParamDecls;

export function registerRunnerTypeRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  app.get(base, async (request, reply) => {
    const q = parseParams(LIST_PARAMS, request.query as Record<string, string>);
    let all = [...ctx.engine.runnerTypes.all];
    if (q.name) all = all.filter((r) => q.name?.includes(r.name));
    if (q.id) all = all.filter((r) => q.id?.includes(r.id));
    const limit = q.limit < 0 ? all.length : q.limit;
    const page = all.slice(Math.max(0, q.offset), Math.max(0, q.offset) + limit);
    void reply.header('x-total-count', String(all.length)).header('x-limit', String(limit));
    return page.map((r) => pickFields(r, q.include_attributes, q.exclude_attributes));
  });

  app.get(`${base}/:nameOrId`, async (request) => {
    const { nameOrId } = request.params as { nameOrId: string };
    const runner = ctx.engine.runnerTypes.byNameOrId(nameOrId);
    if (!runner) throw new NotFoundError(`Resource with a name or id "${nameOrId}" not found`);
    return runner;
  });
}
