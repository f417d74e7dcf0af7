/**
 * The read side of `/executions`: list, one, filter values, output, result, attribute, children
 * (spec §2.1, §2.3, §2.4, §2.7, §2.9–§2.11).
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { NotFoundError, UnknownResourceError, ValidationError } from '../../domain/errors.ts';
import type { DistinctColumn } from '../../domain/execution-query.ts';
import { isId } from '../../domain/ids.ts';
import { maskResult, redactJson, textRedactor } from '../../domain/masking.ts';
import type { ExecutionRecord, Json, JsonObject } from '../../domain/types.ts';
import type { RouteContext } from '../app.ts';
import {
  fieldsExcluding,
  fieldsIncluding,
  loadExecutionViews,
  MUTUALLY_EXCLUSIVE_LIST,
  MUTUALLY_EXCLUSIVE_ONE,
} from '../execution-loader.ts';
import { secretValuesOf } from '../execution-view.ts';
import { secretValuesFor } from '../execution-loader.ts';
import { compileListQuery, type FilterName } from '../list-query.ts';
import { parseParams, type ParamDecls } from '../query-params.ts';

type Query = Record<string, string>;

const LIST_PARAMS = {
  exclude_attributes: { type: 'array' },
  include_attributes: { type: 'array' },
  limit: { type: 'integer', default: 100 },
  offset: { type: 'integer', default: 0 },
  sort: { type: 'string' },
  sort_asc: { type: 'string' },
  sort_desc: { type: 'string' },
  id: { type: 'array' },
  status: { type: 'string' },
  parent: { type: 'string' },
  trigger_type: { type: 'string' },
  trigger: { type: 'string' },
  trigger_instance: { type: 'string' },
  rule: { type: 'string' },
  action: { type: 'string' },
  runner: { type: 'string' },
  user: { type: 'string' },
  liveaction: { type: 'string' },
  timestamp: { type: 'string' },
  timestamp_lt: { type: 'string' },
  timestamp_gt: { type: 'string' },
  show_secrets: { type: 'boolean' },
  filter: { type: 'string' },
} as const satisfies ParamDecls;

const GET_PARAMS = {
  exclude_attributes: { type: 'array' },
  include_attributes: { type: 'array' },
  show_secrets: { type: 'boolean' },
  max_result_size: { type: 'integer' },
} as const satisfies ParamDecls;

const MAX_RESULT_SIZE_LIMIT = 14 * 1024 * 1024;
/** Offsets and limits are kept within what every backend binds as an integer. */
const INT32 = 2 ** 31;

const DISTINCT: Record<string, DistinctColumn> = {
  action: 'action_ref',
  rule: 'rule_name',
  runner: 'runner_name',
  status: 'status',
  trigger: 'trigger_name',
  trigger_type: 'trigger_type_name',
  user: 'user',
};

const ATTRIBUTES = ['result', 'trigger_instance', 'status'] as const;

export function registerExecutionReadRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  const { engine } = ctx;

  app.get(base, async (request, reply) => {
    const q = parseParams(LIST_PARAMS, request.query as Query);
    const include = q.include_attributes?.filter((f) => f !== '') ?? [];
    const exclude = q.exclude_attributes?.filter((f) => f !== '') ?? [];
    if (include.length > 0 && exclude.length > 0) throw new ValidationError(MUTUALLY_EXCLUSIVE_LIST);
    const fields = fieldsExcluding(exclude) ?? fieldsIncluding(include, 'list');
    if (q.offset >= INT32)
      throw new ValidationError(`Offset "${q.offset}" specified is more than 32-bit int`);
    if (q.offset < 0) throw new ValidationError(`Offset "${q.offset}" specified must be a positive number.`);
    if (q.limit === 0) {
      throw new ValidationError('Limit, "0" specified, must be a positive number or -1 for full result set.');
    }
    if (q.limit <= -2) throw new ValidationError(`Limit, "${q.limit}" specified, must be a positive number.`);
    const limit = q.limit === -1 ? null : Math.min(q.limit, INT32 - 1);
    const filters: Partial<Record<FilterName, string | string[]>> = {};
    for (const name of [
      'status',
      'parent',
      'trigger_type',
      'trigger',
      'trigger_instance',
      'rule',
      'action',
      'runner',
      'user',
      'liveaction',
      'timestamp',
    ] as const) {
      const value = q[name];
      if (value !== undefined) filters[name] = value;
    }
    if (q.id) filters.id = q.id;
    const query = compileListQuery({
      filters,
      filter: q.filter,
      sort: q.sort,
      sortAsc: q.sort_asc,
      sortDesc: q.sort_desc,
      timestampGt: q.timestamp_gt,
      timestampLt: q.timestamp_lt,
      limit,
      offset: q.offset,
    });
    const page = await engine.listExecutions(query);
    const docs = await loadExecutionViews(engine, page.items, {
      fields,
      mask: q.show_secrets !== true,
      webUiBaseUrl: ctx.webUiBaseUrl,
    });
    void reply.header('x-total-count', String(page.total));
    if (limit !== null) void reply.header('x-limit', String(limit));
    return docs;
  });

  app.get(`${base}/views/filters`, async (request) => {
    const q = parseParams({ types: { type: 'array' } } as const, request.query as Query);
    const names = Object.keys(DISTINCT).filter((name) => !q.types || q.types.includes(name));
    const out: JsonObject = {};
    for (const name of names) {
      const column = DISTINCT[name];
      if (!column) continue;
      const values = await engine.distinctValues(column);
      // StackStorm reports null only for the rule and trigger filters.
      out[name] =
        column === 'rule_name' || column.startsWith('trigger') ? values : values.filter((v) => v !== null);
    }
    return out;
  });

  app.get(`${base}/:id`, async (request) => {
    const { id } = request.params as { id: string };
    const q = parseParams(GET_PARAMS, request.query as Query);
    const exclude = q.exclude_attributes?.filter((f) => f !== '') ?? [];
    const include = q.include_attributes?.filter((f) => f !== '') ?? [];
    const excluded = fieldsExcluding(exclude);
    let fields = excluded ?? fieldsIncluding(include, 'one');
    const maxResultSize = q.max_result_size ?? 0;
    if (maxResultSize < 0) throw new ValidationError('max_result_size must be a positive number');
    if (maxResultSize > MAX_RESULT_SIZE_LIMIT) {
      throw new ValidationError('max_result_size query parameter must be smaller than 14 MB');
    }
    const record = await engine.getExecution(id, { allowLast: true });
    if (include.length > 0 && exclude.length > 0) throw new ValidationError(MUTUALLY_EXCLUSIVE_ONE);
    const tooBig = maxResultSize > 0 && record.resultSize > maxResultSize;
    if (tooBig && fields?.has('result')) fields = new Set([...fields].filter((f) => f !== 'result'));
    const [doc] = await loadExecutionViews(engine, [record], {
      fields,
      mask: q.show_secrets !== true,
      webUiBaseUrl: ctx.webUiBaseUrl,
      ...(tooBig ? { skipResultOf: new Set([record.id]) } : {}),
    });
    return doc;
  });

  app.get(`${base}/:id/output`, async (request, reply) => {
    const { id } = request.params as { id: string };
    const q = parseParams(
      {
        output_type: { type: 'string', default: 'all' },
        show_secrets: { type: 'boolean', default: false },
      } as const,
      request.query as Query,
    );
    const record = await engine.getExecution(id, { allowLast: true });
    // Secret parameter values the action printed are redacted (show_secrets: admins only).
    const secrets = q.show_secrets ? [] : await secretValuesFor(engine, record);
    const chunks = engine.outputChunks(record.id, q.output_type === 'all' ? undefined : q.output_type);
    void reply.type('text/plain; charset=UTF-8');
    // Streamed page by page: stored output can be tens of megabytes.
    return reply.send(
      Readable.from(
        (async function* () {
          const redactor = textRedactor(secrets);
          for await (const chunk of chunks) {
            const text = redactor.push(chunk.data);
            if (text !== '') yield text;
          }
          const rest = redactor.end();
          if (rest !== '') yield rest;
        })(),
      ),
    );
  });

  app.get(`${base}/:id/result`, async (request, reply) => {
    const { id } = request.params as { id: string };
    const q = parseParams(
      {
        download: { type: 'boolean', default: false },
        compress: { type: 'boolean', default: false },
        pretty_format: { type: 'boolean', default: false },
        show_secrets: { type: 'boolean', default: false },
      } as const,
      request.query as Query,
    );
    const record = isId(id) ? await engine.findExecution(id) : undefined;
    if (!record) throw new NotFoundError();
    const stored = await storedResult(ctx, record, !q.show_secrets);
    let text = stored.text;
    const masked = stored.masked;
    if (q.pretty_format) text = JSON.stringify(masked ?? JSON.parse(text), null, 2);
    else if (masked !== undefined) text = JSON.stringify(masked);
    let body: string | Buffer = text;
    if (q.compress) {
      body = gzipSync(text);
      void reply.type('application/x-gzip').header('content-encoding', 'gzip');
    } else {
      void reply.type('text/json');
    }
    if (q.download) {
      void reply.header(
        'content-disposition',
        `attachment; filename=execution_${record.id}_result.json${q.compress ? '.gz' : ''}`,
      );
    }
    return reply.send(body);
  });

  app.get(`${base}/:id/attribute/:attribute`, async (request, reply) => {
    const { id, attribute } = request.params as { id: string; attribute: string };
    const q = parseParams(
      { show_secrets: { type: 'boolean', default: false } } as const,
      request.query as Query,
    );
    if (!(ATTRIBUTES as readonly string[]).includes(attribute)) {
      throw new ValidationError(
        `Invalid attribute "${attribute}" specified. Valid attributes are: ${ATTRIBUTES.join(', ')}`,
      );
    }
    const record = isId(id) ? await engine.findExecution(id) : undefined;
    if (!record) throw new UnknownResourceError(id);
    if (attribute === 'status') return reply.type('application/json').send(JSON.stringify(record.status));
    if (attribute === 'trigger_instance') return record.triggerRefs.trigger_instance ?? {};
    const { text, masked } = await storedResult(ctx, record, !q.show_secrets);
    return masked ?? (JSON.parse(text) as Json);
  });

  app.get(`${base}/:id/children`, async (request) => {
    const { id } = request.params as { id: string };
    const q = parseParams(
      { depth: { type: 'integer', default: -1 }, result_fmt: { type: 'string' } } as const,
      request.query as Query,
    );
    const parent = await engine.getExecution(id);
    let descendants = await engine.descendants(parent.id, q.depth);
    if (q.result_fmt === 'sorted') {
      descendants = [...descendants].sort(
        (a, b) => a.startTimestamp - b.startTimestamp || (a.id < b.id ? -1 : 1),
      );
    }
    return loadExecutionViews(engine, descendants, {
      fields: undefined,
      mask: true,
      webUiBaseUrl: ctx.webUiBaseUrl,
    });
  });
}

/**
 * An execution's stored result: the text exactly as stored (`{}` when there is none) and, when
 * masking changes something, the masked value — otherwise the text can be sent byte for byte.
 */
async function storedResult(
  ctx: RouteContext,
  record: ExecutionRecord,
  mask: boolean,
): Promise<{ text: string; masked: Json | undefined }> {
  const text = (await ctx.engine.getResults([record.id])).get(record.id) ?? '{}';
  if (!mask) return { text, masked: undefined };
  const snapshots = await ctx.engine.snapshots([record.actionSnapshotId, record.runnerSnapshotId]);
  const action = snapshots.get(record.actionSnapshotId);
  const runner = snapshots.get(record.runnerSnapshotId);
  const outputKey = runner?.['output_key'];
  const outputSchema = action?.['output_schema'];
  const hasSchema =
    typeof outputSchema === 'object' && outputSchema !== null && Object.keys(outputSchema).length > 0;
  // Values of secret parameters the action printed or returned are redacted too.
  const secrets = secretValuesOf({ record, action, runner });
  const schemaMasked = record.runnerName === 'inquirer' || (typeof outputKey === 'string' && hasSchema);
  if (
    !schemaMasked &&
    (secrets.length === 0 || !secrets.some((s) => text.includes(JSON.stringify(s).slice(1, -1))))
  ) {
    return { text, masked: undefined };
  }
  const parsed = JSON.parse(text) as Json;
  const masked = redactJson(
    schemaMasked
      ? maskResult(
          parsed,
          typeof outputKey === 'string' ? outputKey : undefined,
          (outputSchema ?? {}) as JsonObject,
          {
            runnerName: record.runnerName,
          },
        )
      : parsed,
    secrets,
  );
  return { text, masked: masked === parsed ? undefined : masked };
}
