/**
 * The stream endpoints (spec §11): `GET /stream/v1/stream`, every event with StackStorm's filters,
 * and `GET /stream/v1/executions/{id}/output`, an execution's output replayed then followed live
 * until it completes. Served on the API's port.
 */
import { redactText } from '../../domain/masking.ts';
import { secretValuesFor } from '../execution-loader.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isCompleted, type ExecutionStatus } from '../../domain/status.ts';
import type { RouteContext } from '../app.ts';
import { parseParams } from '../query-params.ts';
import { frame, SseClient } from './sse-client.ts';
import { isCompletion, outputEvent, type StreamEvent, type StreamHub } from './stream-hub.ts';

export interface StreamRouteOptions {
  hub: StreamHub;
  heartbeatMs: number;
  maxBufferedBytes: number;
  /** Open connections, so shutdown can end them instead of waiting for clients to leave. */
  connections: Set<SseClient>;
}

const DEFAULT_EVENTS = [
  'st2.announcement__*',
  'st2.execution__create',
  'st2.execution__update',
  'st2.execution__delete',
  'st2.liveaction__create',
  'st2.liveaction__update',
  'st2.liveaction__delete',
];

/** StackStorm matches event names with fnmatch globs: `*`, `?` and `[…]`. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? '';
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) source += '\\[';
      else {
        const body = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        source += body.startsWith('!') ? `[^${body.slice(1)}]` : `[${body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const EOF_FRAME = frame('EOF', "''");
/** The per-execution output stream ends on these besides the completed ones (spec §11.2). */
const ENDS_OUTPUT: ReadonlySet<string> = new Set(['pausing', 'resuming']);
const endsOutput = (status: string | undefined): boolean =>
  status !== undefined && (ENDS_OUTPUT.has(status) || isCompleted(status as ExecutionStatus));

export function registerStreamRoutes(
  app: FastifyInstance,
  ctx: RouteContext,
  options: StreamRouteOptions,
): void {
  const { hub } = options;
  const open = (reply: FastifyReply, heartbeatMs: number, onClose: () => void): SseClient => {
    const client = new SseClient(reply, {
      maxBufferedBytes: options.maxBufferedBytes,
      heartbeatMs,
      onDrop: (reason) => reply.log.warn({ reason }, 'stream client dropped'),
      onClose: () => {
        options.connections.delete(client);
        onClose();
      },
    });
    options.connections.add(client);
    return client;
  };

  const eventStream = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const q = parseParams(
      {
        events: { type: 'array' },
        action_refs: { type: 'array' },
        execution_ids: { type: 'array' },
        end_event: { type: 'string' },
        end_execution_id: { type: 'string' },
      } as const,
      request.query as Record<string, string>,
    );
    const names = q.events?.filter((e) => e !== '') ?? [];
    const patterns = (names.length > 0 ? names : DEFAULT_EVENTS).map(globToRegExp);
    const actionRefs = q.action_refs?.filter((a) => a !== '');
    const executionIds = q.execution_ids?.filter((e) => e !== '');
    const endEvent = q.end_event;
    const endExecution = q.end_execution_id;
    // Permission isolation: non-admins only see events of their own executions.
    const requester = ctx.requester(request);
    const onlyUser =
      ctx.auth.enabled && ctx.auth.permissionIsolation && !ctx.auth.isAdmin(requester)
        ? requester
        : undefined;
    let unsubscribe = (): void => undefined;
    const client = open(reply, options.heartbeatMs, () => unsubscribe());
    const passes = (event: StreamEvent): boolean => {
      if (!patterns.some((p) => p.test(event.name))) return false;
      if (onlyUser !== undefined && event.user !== onlyUser) return false;
      if (actionRefs?.length && !actionRefs.includes(event.actionRef)) return false;
      if (executionIds?.length && (event.kind === 'liveaction' || !executionIds.includes(event.executionId)))
        return false;
      return true;
    };
    const deliver = (event: StreamEvent): void => {
      if (passes(event)) client.write(frame(event.name, event.data));
      if (
        event.name === endEvent &&
        event.kind === 'execution' &&
        event.executionId === endExecution &&
        isCompletion(event)
      ) {
        client.close();
      }
    };
    unsubscribe = hub.subscribe({
      wants: (name) => name === endEvent || patterns.some((p) => p.test(name)),
      deliver,
      overflow: (reason) => client.drop(reason),
    });
    client.write('\n');
    // The race st2 itself has: the execution finished before the client connected. Tell it now.
    if (endEvent && endExecution) {
      const record = await ctx.engine.findExecution(endExecution);
      if (record && isCompleted(record.status) && !client.closed) {
        for (const event of await hub.executionEvents(record, 'update')) {
          if (event.kind === 'execution') deliver({ ...event, name: endEvent });
        }
      }
    }
  };
  for (const path of ['/stream/v1/stream', '/v1/stream', '/stream']) app.get(path, eventStream);

  app.get('/stream/v1/executions/:id/output', async (request, reply) => {
    const { id } = request.params as { id: string };
    const q = parseParams(
      { output_type: { type: 'string', default: 'all' } } as const,
      request.query as Record<string, string>,
    );
    const only = q.output_type === 'all' ? undefined : q.output_type;
    const record = await ctx.engine.getExecution(id, { allowLast: true });
    const secrets = await secretValuesFor(ctx.engine, record);

    // Subscribe before reading what is stored, hold live events until the replay is sent, then
    // drop the ones the replay already had (ids increase with storage order).
    let held: StreamEvent[] | undefined = [];
    let lastSent = 0;
    let unsubscribe = (): void => undefined;
    const client = open(reply, 0, () => unsubscribe());
    const handle = (event: StreamEvent): void => {
      if (event.executionId !== record.id || client.closed) return;
      if (event.kind === 'output') {
        if ((event.outputId ?? 0) <= lastSent || (only && event.outputType !== only)) return;
        lastSent = event.outputId ?? lastSent;
        client.write(frame(event.name, event.data));
      } else if (event.kind === 'execution' && endsOutput(event.status)) {
        client.close(EOF_FRAME);
      }
    };
    unsubscribe = hub.subscribe({
      wants: (name) => name === 'st2.execution.output__create' || name === 'st2.execution__update',
      deliver: (event) => (held ? held.push(event) : handle(event)),
      overflow: (reason) => client.drop(reason),
    });
    for await (const chunk of ctx.engine.outputChunks(record.id, only)) {
      if (client.closed) return;
      const redacted = { ...chunk, data: redactText(chunk.data, secrets) };
      await client.writePaced(frame('st2.execution.output__create', outputEvent(redacted).data));
      lastSent = chunk.id;
    }
    const now = await ctx.engine.findExecution(record.id);
    const pending = held;
    held = undefined;
    if (endsOutput(now?.status)) {
      client.close(EOF_FRAME);
      return;
    }
    for (const event of pending) handle(event);
  });
}
