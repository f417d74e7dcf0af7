/**
 * `/keys`: StackStorm's datastore. System items (`st2kv.system`) are shared; user items
 * (`st2kv.user`) belong to one user, who may always read and write them. Secret values are
 * encrypted at rest and returned encrypted unless `decrypt=true` is asked by someone allowed to
 * (an admin, or the owner of a user item). Naming another user (`user=`) is for admins.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors.ts';
import { validate } from '../../domain/jsonschema/index.ts';
import { KeyValueScope, type KeyValueRecord } from '../../domain/key-value.ts';
import { PermissionType } from '../../domain/rbac.ts';
import { formatTimestamp } from '../../domain/time.ts';
import type { JsonObject } from '../../domain/types.ts';
import { fullScope, keyReference } from '../../engine/datastore/datastore.ts';
import type { RouteContext } from '../app.ts';
import { requesterOf } from '../auth/authenticate.ts';
import { checkLimit } from '../auth/authorize.ts';
import { parseBody } from '../body.ts';
import { parseParams } from '../query-params.ts';

const ALLOWED_SCOPES = "['st2kv.system', 'st2kv.user']";

const KEY_VALUE_REQUEST: JsonObject = {
  type: 'object',
  required: ['name', 'value'],
  properties: {
    name: { type: 'string' },
    value: { type: 'string' },
    description: { type: 'string' },
    secret: { type: 'boolean' },
    encrypted: { type: 'boolean' },
    scope: { type: 'string' },
    ttl: { type: 'integer' },
    user: { type: ['string', 'null'] },
  },
};

function uidOf(item: Pick<KeyValueRecord, 'scope' | 'user' | 'name'>): string {
  return `key_value_pair:${item.scope}:${keyReference(item)}`;
}

/** StackStorm's KeyValuePair: secrets show their ciphertext and `encrypted: true` unless revealed. */
function view(item: KeyValueRecord, plain: string | undefined): JsonObject {
  const doc: JsonObject = {
    id: item.id,
    uid: uidOf(item),
    name: item.name,
    value: plain ?? item.value,
    secret: item.secret,
    encrypted: item.secret && plain === undefined,
    scope: item.scope,
  };
  if (item.scope === KeyValueScope.user) doc['user'] = item.user;
  if (item.expireAt !== null) doc['expire_timestamp'] = formatTimestamp(item.expireAt);
  if (item.description !== '') doc['description'] = item.description;
  return doc;
}

/** One item's scope: `user=` (or a user scope) means the user scope; default the system scope. */
function singleScope(raw: string | undefined, user: string | undefined): KeyValueScope {
  if (user) return KeyValueScope.user;
  const scope = fullScope(raw ?? 'system');
  if (scope === 'all') return KeyValueScope.system;
  if (!scope)
    throw new ValidationError(`Scope ${raw ?? ''} is not in allowed scopes list: ${ALLOWED_SCOPES}.`);
  return scope;
}

export function registerKeyRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  const { auth } = ctx;
  const datastore = ctx.engine.datastore;

  /** The caller, and the owner of user items the request is about (themselves unless admin). */
  const who = (
    request: FastifyRequest,
    named: string | null | undefined,
  ): { user: string; admin: boolean; owner: string } => {
    const { user } = requesterOf(request, auth);
    const admin = auth.isAdmin(user);
    const owner = named ? named : user;
    if (owner !== user && !admin) {
      throw new ForbiddenError('"user" attribute can only be provided by admins when RBAC is enabled');
    }
    return { user, admin, owner };
  };
  /** User items are their owner's; system items need the permission on `key_value_pair:…`. */
  const assertOn = (
    caller: { user: string; admin: boolean; owner: string },
    scope: KeyValueScope,
    name: string,
    permission: PermissionType,
  ): void => {
    if (caller.admin || (scope === KeyValueScope.user && caller.owner === caller.user)) return;
    auth.assert(caller.user, permission, { uid: uidOf({ scope, user: caller.owner, name }) });
  };
  const reveal = (item: KeyValueRecord, decrypt: boolean): string | undefined =>
    decrypt && item.secret ? datastore.reveal(item) : undefined;

  app.get(base, async (request, reply) => {
    const query = request.query as Record<string, string>;
    const q = parseParams(
      {
        prefix: { type: 'string' },
        scope: { type: 'string' },
        decrypt: { type: 'boolean', default: false },
        user: { type: 'string' },
        limit: { type: 'integer', default: 100 },
        offset: { type: 'integer', default: 0 },
        sort: { type: 'string' },
        id: { type: 'string' },
        name: { type: 'string' },
      } as const,
      query,
    );
    const caller = who(request, q.user);
    if (!caller.admin) checkLimit('GET', query);
    const scope = q.user ? KeyValueScope.user : fullScope(q.scope ?? 'system');
    if (!scope) throw new ValidationError(`Invalid scope: ${q.scope ?? ''}`);
    if (q.decrypt && scope !== KeyValueScope.user && !caller.admin) {
      throw new ForbiddenError('Decrypt option requires administrator access');
    }
    if (q.limit === 0 || q.limit < -1) {
      throw new ValidationError(
        `Limit, "${q.limit}" specified, must be a positive number or -1 for full result set.`,
      );
    }
    if (q.offset < 0) throw new ValidationError(`Offset "${q.offset}" specified must be a positive number.`);
    const limit = q.limit === -1 ? null : q.limit;
    // Without list permission, a non-admin lists only their own user items.
    const systemVisible = caller.admin || auth.can(caller.user, PermissionType.keyValuePairList);
    if (scope === KeyValueScope.system && !systemVisible)
      auth.assert(caller.user, PermissionType.keyValuePairList);
    const effectiveScope = scope === 'all' ? (systemVisible ? undefined : KeyValueScope.user) : scope;
    const page = await datastore.list(
      {
        ...(effectiveScope ? { scope: effectiveScope } : {}),
        user: caller.owner,
        ...(q.prefix ? { prefix: q.prefix } : {}),
      },
      { limit, offset: q.offset },
    );
    let items = page.items;
    if (q.name !== undefined) items = items.filter((i) => i.name === q.name);
    if (q.id !== undefined) items = items.filter((i) => i.id === q.id);
    void reply.header('x-total-count', String(page.total));
    if (limit !== null) void reply.header('x-limit', String(limit));
    // Decrypting is allowed for admins, and for a user's own items.
    return items.map((i) =>
      view(i, reveal(i, q.decrypt && (caller.admin || i.scope === KeyValueScope.user))),
    );
  });

  app.get(`${base}/:name`, async (request) => {
    const { name } = request.params as { name: string };
    const q = parseParams(
      {
        scope: { type: 'string' },
        decrypt: { type: 'boolean', default: false },
        user: { type: 'string' },
      } as const,
      request.query as Record<string, string>,
    );
    const caller = who(request, q.user);
    const scope = singleScope(q.scope, q.user);
    assertOn(caller, scope, name, PermissionType.keyValuePairView);
    if (q.decrypt && scope !== KeyValueScope.user && !caller.admin) {
      throw new ForbiddenError('Decrypt option requires administrator access');
    }
    const item = await datastore.get(scope, caller.owner, name);
    if (!item) {
      throw new NotFoundError(
        `KeyValuePair with name: ${keyReference({ scope, user: caller.owner, name })} and scope: ${scope} not found in db.`,
      );
    }
    return view(item, reveal(item, q.decrypt));
  });

  app.put(`${base}/:name`, async (request) => {
    const { name } = request.params as { name: string };
    const body = parseBody(request);
    validate(KEY_VALUE_REQUEST, body);
    const doc = body as {
      value: string;
      description?: string;
      secret?: boolean;
      encrypted?: boolean;
      scope?: string;
      ttl?: number;
      user?: string | null;
    };
    const caller = who(request, doc.user);
    const scope = singleScope(doc.scope, doc.user ?? undefined);
    assertOn(caller, scope, name, PermissionType.keyValuePairSet);
    if (doc.encrypted && !caller.admin)
      throw new ForbiddenError('Pre-encrypted option requires administrator access');
    if (doc.ttl !== undefined && doc.ttl < 1)
      throw new ValidationError('TTL must be a positive number of seconds.');
    const item = await datastore.set({
      scope,
      user: caller.owner,
      name,
      value: doc.value,
      secret: doc.secret === true || doc.encrypted === true,
      encrypted: doc.encrypted === true,
      description: doc.description ?? '',
      ...(doc.ttl !== undefined ? { ttlSeconds: doc.ttl } : {}),
    });
    return view(item, undefined);
  });

  app.delete(`${base}/:name`, async (request, reply) => {
    const { name } = request.params as { name: string };
    const q = parseParams(
      { scope: { type: 'string' }, user: { type: 'string' } } as const,
      request.query as Record<string, string>,
    );
    const caller = who(request, q.user);
    const scope = singleScope(q.scope, q.user);
    assertOn(caller, scope, name, PermissionType.keyValuePairDelete);
    if (!(await datastore.delete(scope, caller.owner, name))) {
      throw new NotFoundError(
        `KeyValuePair with name: ${keyReference({ scope, user: caller.owner, name })} and scope: ${scope} not found in db.`,
      );
    }
    return reply.code(204).send();
  });
}
