/**
 * One `preHandler` hook decides, before any route runs, whether the authenticated caller may do
 * what the request asks: StackStorm's endpoint permissions (`execution_list`, `stream_view`…),
 * resource permissions (`execution_view` on `execution:<id>`, `action_execute` on
 * `action:<pack>:<name>`…) and the admin-only inputs, with StackStorm's 403 messages. Beyond
 * StackStorm (spec §12) it also checks `/result` and `/attribute/result` like GET one, and refuses
 * an `St2-Context` header naming another user from a non-admin.
 *
 * Routes it does not know are admin-only: a route added later is closed until it is mapped here.
 * Routes that check for themselves (keys, API keys, user, tokens) are listed as such.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService } from '../../auth/auth-service.ts';
import { ForbiddenError } from '../../domain/errors.ts';
import { PermissionType, type ResourceRef } from '../../domain/rbac.ts';
import type { Json, JsonObject } from '../../domain/types.ts';
import type { Engine } from '../../engine/engine.ts';
import { requesterOf } from './authenticate.ts';

/** StackStorm's `api.max_page_size`: larger pages are for admins. */
export const MAX_PAGE_SIZE = 100;

/** Route pattern without its prefix (`/api/v1`, `/v1`, `/stream/v1`) and with one name per resource. */
export function canonicalRoute(url: string): string {
  let path = url;
  for (const prefix of ['/stream/v1', '/api/v1', '/auth/v1', '/v1']) {
    if (path.startsWith(`${prefix}/`)) {
      path = path.slice(prefix.length);
      break;
    }
  }
  return path.replace(/^\/actionexecutions(?=\/|$)/, '/executions').replace(/\/$/, '');
}

/** Routes whose handlers make their own, finer checks. */
const SELF_CHECKED = /^\/(keys|apikeys|user|tokens)(\/|$)/;

function parseJson(text: unknown): Json | undefined {
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined; // the route reports the parse error with StackStorm's message
  }
}

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function actionResource(ref: string): ResourceRef | undefined {
  const dot = ref.indexOf('.');
  if (dot <= 0) return undefined;
  const pack = ref.slice(0, dot);
  return { uid: `action:${pack}:${ref.slice(dot + 1)}`, pack };
}

export function registerAuthorization(app: FastifyInstance, auth: AuthService, engine: Engine): void {
  if (!auth.enabled) return;

  const executionResource = async (
    id: string,
    user: string,
    admin: boolean,
  ): Promise<ResourceRef | undefined> => {
    // `last` and unknown ids: the route answers (400 or 404) with StackStorm's message.
    const record = await engine.getExecution(id, { allowLast: true }).catch(() => undefined);
    if (!record) return undefined; // the route answers 404
    if (auth.permissionIsolation && !admin && record.user !== user) {
      throw new ForbiddenError(
        `User "${user}" doesn't have access to resource "execution:${record.id}" due to resource permission isolation.`,
      );
    }
    const action = actionResource(record.actionRef);
    return { uid: `execution:${record.id}`, ...(action ? { actionUid: action.uid, pack: action.pack } : {}) };
  };

  const actionByRefOrId = async (refOrId: string): Promise<ResourceRef | undefined> => {
    if (refOrId.includes('.')) return actionResource(refOrId);
    try {
      const action = await engine.actions.get(refOrId);
      return actionResource(action.ref);
    } catch {
      return undefined; // the route answers 404
    }
  };

  /**
   * Admin-only inputs of execution requests: `user`, and any context naming another user — the
   * `St2-Context` header (`user`, `api_user`, `parent.user`) or the body's `context` (`api_user`,
   * `parent.user`): each can make an execution run as, or read the datastore of, someone else.
   */
  const checkImpersonation = (request: FastifyRequest, user: string, body: Json | undefined): void => {
    const bodyUser = isObject(body) ? body['user'] : undefined;
    if (typeof bodyUser === 'string' && bodyUser !== '' && bodyUser !== user) {
      throw new ForbiddenError('"user" attribute can only be provided by admins');
    }
    const raw = request.headers['st2-context'];
    const header = parseJson(Array.isArray(raw) ? raw[raw.length - 1] : raw);
    const bodyContext = isObject(body) ? body['context'] : undefined;
    const named = [
      ...(isObject(header) && 'user' in header ? [header['user']] : []),
      ...namedInContext(header),
      ...namedInContext(bodyContext),
    ];
    if (named.some((u) => u !== user)) {
      throw new ForbiddenError('A context naming another user can only be provided by admins');
    }
  };

  app.addHook('preHandler', async (request) => {
    if (request.method === 'OPTIONS' || request.is404) return;
    const route = canonicalRoute(request.routeOptions.url ?? '');
    if (SELF_CHECKED.test(route)) return;
    const { user } = requesterOf(request, auth);
    const admin = auth.isAdmin(user);
    if (admin) return;
    const query = (request.query ?? {}) as Record<string, string | undefined>;
    const params = (request.params ?? {}) as Record<string, string | undefined>;
    // StackStorm ignores show_secrets from non-admins (spec §5.1): they get masked data.
    delete query['show_secrets'];
    checkLimit(request.method, query);
    const assert = (permission: PermissionType, resource?: ResourceRef): void =>
      auth.assert(user, permission, resource);
    const execution = async (permission: PermissionType): Promise<void> => {
      const resource = await executionResource(params['id'] ?? '', user, admin);
      if (resource) assert(permission, resource);
    };

    switch (`${request.method} ${route}`) {
      case 'GET /executions':
        assert(PermissionType.executionList);
        if (auth.permissionIsolation) query['user'] = user;
        return;
      case 'GET /executions/views/filters':
        return assert(PermissionType.executionViewsFiltersList);
      case 'GET /executions/:id':
      case 'GET /executions/:id/output':
      case 'GET /executions/:id/result':
      case 'GET /executions/:id/attribute/:attribute':
      case 'GET /executions/:id/children':
        return execution(PermissionType.executionView);
      case 'PUT /executions/:id':
      case 'DELETE /executions/:id':
        return execution(PermissionType.executionStop);
      case 'POST /executions': {
        const body = parseJson(request.body);
        checkImpersonation(request, user, body);
        const ref = isObject(body) ? body['action'] : undefined;
        const resource = typeof ref === 'string' ? actionResource(ref) : undefined;
        if (resource) assert(PermissionType.actionExecute, resource);
        return;
      }
      case 'POST /executions/:id/re_run': {
        checkImpersonation(request, user, parseJson(request.body));
        const resource = await executionResource(params['id'] ?? '', user, admin);
        if (!resource) return;
        assert(PermissionType.executionView, resource);
        if (resource.actionUid) {
          assert(PermissionType.actionExecute, {
            uid: resource.actionUid,
            ...(resource.pack ? { pack: resource.pack } : {}),
          });
        }
        return;
      }
      case 'GET /actions':
        return assert(PermissionType.actionList);
      case 'POST /actions': {
        const body = parseJson(request.body);
        const pack = isObject(body) && typeof body['pack'] === 'string' ? body['pack'] : 'default';
        const name = isObject(body) && typeof body['name'] === 'string' ? body['name'] : '';
        return assert(PermissionType.actionCreate, { uid: `action:${pack}:${name}`, pack });
      }
      case 'GET /actions/:refOrId':
      case 'PUT /actions/:refOrId':
      case 'DELETE /actions/:refOrId': {
        const resource = await actionByRefOrId(params['refOrId'] ?? '');
        const permission = {
          GET: PermissionType.actionView,
          PUT: PermissionType.actionModify,
          DELETE: PermissionType.actionDelete,
        }[request.method as 'GET' | 'PUT' | 'DELETE'];
        return resource ? assert(permission, resource) : assert(permission);
      }
      case 'GET /runnertypes':
        return assert(PermissionType.runnerTypeList);
      case 'GET /runnertypes/:nameOrId':
        return assert(PermissionType.runnerTypeView, { uid: `runner_type:${params['nameOrId'] ?? ''}` });
      case 'GET /stream':
        return assert(PermissionType.streamView);
      case 'GET /inquiries':
        return assert(PermissionType.inquiryList);
      case 'GET /inquiries/:id':
        return assert(PermissionType.inquiryView, { uid: `inquiry:${params['id'] ?? ''}` });
      case 'PUT /inquiries/:id':
        return assert(PermissionType.inquiryRespond, { uid: `inquiry:${params['id'] ?? ''}` });
      default:
        throw new ForbiddenError(`Administrator access required for ${request.method} ${route}`);
    }
  });
}

/** Users a context names through `api_user` and `parent.user` (null and absent name no one). */
function namedInContext(context: Json | undefined): Json[] {
  if (!isObject(context)) return [];
  const parent = context['parent'];
  return [context['api_user'], isObject(parent) ? parent['user'] : undefined].filter(
    (u): u is Json => u !== undefined && u !== null,
  );
}

export function checkLimit(method: string, query: Record<string, string | undefined>): void {
  const raw = query['limit'];
  if (method !== 'GET' || raw === undefined || !/^-?\d+$/.test(raw)) return;
  const limit = Number(raw);
  if (limit === -1) {
    throw new ForbiddenError(
      'Administrator access required to be able to specify limit=-1 and retrieve all the records',
    );
  }
  if (limit > MAX_PAGE_SIZE) {
    throw new ForbiddenError(`Limit "${limit}" specified, maximum value is "${MAX_PAGE_SIZE}"`);
  }
}
