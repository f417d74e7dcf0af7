/**
 * The write side of `/executions`: create (spec §2.2, §6), update, cancel and re-run (§2.5, §2.6,
 * §2.8).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationError } from '../../domain/errors.ts';
import { validate } from '../../domain/jsonschema/index.ts';
import { pyTypeName } from '../../domain/pyrepr.ts';
import type { ExecutionStatus } from '../../domain/status.ts';
import type { ExecutionRecord, Json, JsonObject } from '../../domain/types.ts';
import { checkReRunRequest, type ReRunRequest } from '../../engine/executions/control.ts';
import type { ExecutionRequest } from '../../engine/executions/create-execution.ts';
import type { RouteContext } from '../app.ts';
import { parseBody } from '../body.ts';
import { loadExecutionViews } from '../execution-loader.ts';
import { parseParams } from '../query-params.ts';
import { EXECUTION_REQUEST, EXECUTION_UPDATE_REQUEST, RE_RUN_REQUEST } from '../schemas.ts';

type Query = Record<string, string>;

/** The `St2-Context` header: a JSON object merged over the execution context. */
function headerContext(raw: string | string[] | undefined): JsonObject | undefined {
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? (raw[raw.length - 1] ?? '') : raw;
  let decoded: Json = text;
  try {
    decoded = JSON.parse(text) as Json;
  } catch {
    // Not JSON at all: reported below as a string, as StackStorm does.
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new ValidationError(
      `Unable to convert st2-context from the headers into JSON (was <class '${pyTypeName(decoded)}'>).`,
    );
  }
  return decoded;
}

export function registerExecutionWriteRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  const { engine } = ctx;

  app.post(base, async (request, reply) => {
    const q = parseParams(
      { show_secrets: { type: 'boolean', default: false } } as const,
      request.query as Query,
    );
    const body = parseBody(request);
    validate(EXECUTION_REQUEST, body, { fillDefaults: true });
    const req = body as unknown as ExecutionRequest;
    const record = await engine.createExecution(req, {
      requester: ctx.requester(request),
      ...(ctx.auth.enabled ? { rolesOf: (user: string) => ctx.auth.rolesOf(user) } : {}),
      ...(request.headers['st2-context'] !== undefined
        ? { headerContext: headerContext(request.headers['st2-context']) }
        : {}),
    });
    const [doc] = await loadExecutionViews(engine, [record], {
      fields: undefined,
      mask: !q.show_secrets,
      webUiBaseUrl: ctx.webUiBaseUrl,
      fresh: true,
    });
    return reply.code(201).send(doc);
  });
}

export function registerExecutionControlRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  const { engine } = ctx;
  const view = async (record: ExecutionRecord, showSecrets: boolean): Promise<JsonObject | undefined> =>
    (
      await loadExecutionViews(engine, [record], {
        fields: undefined,
        mask: !showSecrets,
        webUiBaseUrl: ctx.webUiBaseUrl,
      })
    )[0];
  const secrets = (request: FastifyRequest): boolean =>
    parseParams({ show_secrets: { type: 'boolean', default: false } } as const, request.query as Query)
      .show_secrets;

  app.put(`${base}/:id`, async (request) => {
    const { id } = request.params as { id: string };
    const showSecrets = secrets(request);
    const body = parseBody(request);
    validate(EXECUTION_UPDATE_REQUEST, body);
    const update = body as { status?: ExecutionStatus; result?: JsonObject };
    // StackStorm answers a missing status with a 500; it is the caller's mistake.
    if (update.status === undefined) throw new ValidationError("'status' is a required property");
    const execution = await engine.getExecution(id);
    return view(
      await engine.control.update(execution, update.status, update.result, ctx.requester(request)),
      showSecrets,
    );
  });

  app.delete(`${base}/:id`, async (request) => {
    const { id } = request.params as { id: string };
    const showSecrets = secrets(request);
    const execution = await engine.getExecution(id);
    return view(await engine.control.cancel(execution, ctx.requester(request)), showSecrets);
  });

  app.post(`${base}/:id/re_run`, async (request, reply) => {
    const { id } = request.params as { id: string };
    const showSecrets = secrets(request);
    const body = parseBody(request);
    validate(RE_RUN_REQUEST, body, { fillDefaults: true });
    const reRun = body as unknown as ReRunRequest;
    checkReRunRequest(reRun);
    const original = await engine.getExecution(id);
    const record = await engine.control.reRun(original, id, reRun, ctx.requester(request));
    return reply.code(201).send(await view(record, showSecrets));
  });
}
