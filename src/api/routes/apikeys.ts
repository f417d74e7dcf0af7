/**
 * `/apikeys`: API keys with StackStorm's shapes. The key itself appears once, in the response that
 * creates it; the store keeps only its hash, and the hash (and `uid`, which contains it) is masked
 * unless an admin asks for `show_secrets`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFoundError, ValidationError } from '../../domain/errors.ts';
import type { ApiKeyRecord } from '../../domain/credentials.ts';
import { validate } from '../../domain/jsonschema/index.ts';
import { MASKED_VALUE as MASK } from '../../domain/masking.ts';
import { PermissionType, type ResourceRef } from '../../domain/rbac.ts';
import { formatTimestamp } from '../../domain/time.ts';
import type { JsonObject } from '../../domain/types.ts';
import type { RouteContext } from '../app.ts';
import { requesterOf } from '../auth/authenticate.ts';
import { checkLimit } from '../auth/authorize.ts';
import { parseBody } from '../body.ts';
import { parseParams } from '../query-params.ts';

const API_KEY_BODY: JsonObject = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    uid: { type: 'string' },
    user: { type: 'string' },
    key_hash: { type: ['string', 'null'] },
    metadata: { type: 'object' },
    created_at: { type: 'string' },
    enabled: { type: 'boolean', default: true },
  },
  additionalProperties: false,
};

function view(record: ApiKeyRecord, mask: boolean): JsonObject {
  return {
    id: record.id,
    uid: mask ? MASK : `api_key:${record.keyHash}`,
    user: record.user,
    key_hash: mask ? MASK : record.keyHash,
    metadata: record.metadata,
    created_at: formatTimestamp(record.createdAt),
    enabled: record.enabled,
  };
}

const resourceOf = (record: ApiKeyRecord): ResourceRef => ({ uid: `api_key:${record.keyHash}` });

export function registerApiKeyRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  const { auth } = ctx;
  const caller = (request: FastifyRequest): { user: string; admin: boolean } => {
    const { user } = requesterOf(request, auth);
    return { user, admin: auth.isAdmin(user) };
  };
  /** Owners may manage their own keys; everyone else needs the permission (admins have all). */
  const assertOn = (user: string, record: ApiKeyRecord, permission: PermissionType): void => {
    if (record.user !== user) auth.assert(user, permission, resourceOf(record));
  };
  const find = async (idOrKey: string): Promise<ApiKeyRecord> => {
    const record = await auth.getApiKey(idOrKey);
    if (!record) throw new NotFoundError(`ApiKey matching ${idOrKey} for reference and id not found.`);
    return record;
  };

  app.get(base, async (request, reply) => {
    const { user, admin } = caller(request);
    const query = request.query as Record<string, string>;
    if (!admin) checkLimit('GET', query);
    const q = parseParams(
      {
        show_secrets: { type: 'boolean' },
        limit: { type: 'integer', default: 50 },
        offset: { type: 'integer', default: 0 },
      } as const,
      query,
    );
    if (q.limit === 0 || q.limit < -1) {
      throw new ValidationError(
        `Limit, "${q.limit}" specified, must be a positive number or -1 for full result set.`,
      );
    }
    if (q.offset < 0) throw new ValidationError(`Offset "${q.offset}" specified must be a positive number.`);
    const limit = q.limit === -1 ? null : q.limit;
    const mask = !(admin && q.show_secrets === true);
    if (!admin && !auth.can(user, PermissionType.apiKeyList)) {
      // Without the permission, a user lists their own keys only.
      const own = (await auth.listApiKeys({ limit: null, offset: 0 })).items.filter((k) => k.user === user);
      void reply.header('x-total-count', String(own.length));
      if (limit !== null) void reply.header('x-limit', String(limit));
      return own.slice(q.offset, limit === null ? undefined : q.offset + limit).map((k) => view(k, mask));
    }
    const page = await auth.listApiKeys({ limit, offset: q.offset });
    void reply.header('x-total-count', String(page.total));
    if (limit !== null) void reply.header('x-limit', String(limit));
    return page.items.map((k) => view(k, mask));
  });

  app.get(`${base}/:idOrKey`, async (request) => {
    const { user, admin } = caller(request);
    const q = parseParams(
      { show_secrets: { type: 'boolean' } } as const,
      request.query as Record<string, string>,
    );
    const record = await find((request.params as { idOrKey: string }).idOrKey);
    assertOn(user, record, PermissionType.apiKeyView);
    return view(record, !(admin && q.show_secrets === true));
  });

  app.post(base, async (request, reply) => {
    const { user, admin } = caller(request);
    const body = parseBody(request);
    validate(API_KEY_BODY, body, { fillDefaults: true });
    const doc = body as { user?: string; key_hash?: string | null; metadata?: JsonObject; enabled: boolean };
    const owner = doc.user ? doc.user : user;
    if (owner !== user && !admin)
      throw new ValidationError('"user" attribute can only be provided by admins');
    auth.assert(user, PermissionType.apiKeyCreate);
    if (doc.key_hash) {
      // A hash brought from elsewhere (`st2 apikey load`): the caller already holds the key.
      const record = await auth.importApiKey(owner, doc.key_hash, doc.metadata ?? {}, doc.enabled);
      return reply.code(201).send({ ...view(record, false), key: null, key_hash: undefined });
    }
    const { record, key } = await auth.createApiKey(owner, doc.metadata ?? {}, doc.enabled);
    const { key_hash: _hash, ...shown } = view(record, false);
    return reply.code(201).send({ ...shown, key });
  });

  app.put(`${base}/:idOrKey`, async (request) => {
    const { user, admin } = caller(request);
    const old = await find((request.params as { idOrKey: string }).idOrKey);
    assertOn(user, old, PermissionType.apiKeyModify);
    const body = parseBody(request);
    validate(API_KEY_BODY, body, { fillDefaults: true });
    const doc = body as { user?: string; key_hash?: string | null; metadata?: JsonObject; enabled: boolean };
    if (doc.key_hash && doc.key_hash !== MASK && doc.key_hash !== old.keyHash) {
      throw new ValidationError('Update of key_hash is not allowed.');
    }
    const owner = doc.user ? doc.user : old.user;
    if (owner !== old.user && !admin)
      throw new ValidationError('"user" attribute can only be provided by admins');
    const updated: ApiKeyRecord = {
      ...old,
      user: owner,
      metadata: doc.metadata ?? old.metadata,
      enabled: doc.enabled,
    };
    await auth.saveApiKey(updated);
    return view(updated, true);
  });

  app.delete(`${base}/:idOrKey`, async (request, reply) => {
    const { user } = caller(request);
    const record = await find((request.params as { idOrKey: string }).idOrKey);
    assertOn(user, record, PermissionType.apiKeyDelete);
    await auth.deleteApiKey(record.id);
    return reply.code(204).send();
  });
}
