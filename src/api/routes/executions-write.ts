/**
 * The write side of `/executions`: create (spec §2.2, §6).
 */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../domain/errors.ts';
import { validate } from '../../domain/jsonschema/index.ts';
import { pyTypeName } from '../../domain/pyrepr.ts';
import type { Json, JsonObject } from '../../domain/types.ts';
import type { ExecutionRequest } from '../../engine/executions/create-execution.ts';
import type { RouteContext } from '../app.ts';
import { parseBody } from '../body.ts';
import { loadExecutionViews } from '../execution-loader.ts';
import { parseParams } from '../query-params.ts';
import { EXECUTION_REQUEST } from '../schemas.ts';

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
    throw new ValidationError(`Unable to convert st2-context from the headers into JSON (was <class '${pyTypeName(decoded)}'>).`);
  }
  return decoded;
}

export function registerExecutionWriteRoutes(app: FastifyInstance, base: string, ctx: RouteContext): void {
  const { engine } = ctx;

  app.post(base, async (request, reply) => {
    const q = parseParams({ show_secrets: { type: 'boolean', default: false } } as const, request.query as Query);
    const body = parseBody(request);
    validate(EXECUTION_REQUEST, body, { fillDefaults: true });
    const req = body as unknown as ExecutionRequest;
    const record = await engine.createExecution(req, {
      requester: ctx.requester(request),
      ...(request.headers['st2-context'] !== undefined ? { headerContext: headerContext(request.headers['st2-context']) } : {}),
    });
    const [doc] = await loadExecutionViews(engine, [record], {
      fields: undefined,
      mask: !q.show_secrets,
      webUiBaseUrl: ctx.webUiBaseUrl,
    });
    return reply.code(201).send(doc);
  });
}
