/** `GET /api/v1/user`: who the caller is, how they authenticated, their roles (StackStorm's shape). */
import type { FastifyInstance } from 'fastify';
import { formatTimestamp } from '../../domain/time.ts';
import type { JsonObject } from '../../domain/types.ts';
import type { RouteContext } from '../app.ts';
import { requesterOf } from '../auth/authenticate.ts';

export function registerUserRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  app.get(base, async (request) => {
    const requester = requesterOf(request, ctx.auth);
    const authentication: JsonObject = { method: requester.method, location: requester.location };
    if (requester.tokenExpiry !== undefined) {
      // StackStorm formats this one without fractions.
      authentication['token_expire'] = `${formatTimestamp(requester.tokenExpiry).slice(0, 19)}Z`;
    }
    return {
      username: requester.user,
      authentication,
      rbac: {
        enabled: ctx.auth.enabled,
        roles: ctx.auth.enabled ? ctx.auth.rolesOf(requester.user) : [],
        is_admin: ctx.auth.isAdmin(requester.user),
      },
    };
  });
}
