/**
 * Following an execution live: its output through the per-execution output stream (replayed,
 * then live, ending at completion), or for a workflow its children's output and progress through
 * the event stream. Returns the execution as it stands when following ends.
 */
import { isCompleted, isStatus, WORKFLOW_RUNNERS } from '../domain/status.ts';
import type { Context } from './command.ts';
import { pick, text, type Doc } from './execution-view.ts';
import { statusPaint } from './format/colour.ts';
import { Spinner } from './format/spinner.ts';

export interface FollowOptions {
  /** Print the output as it comes (human mode); otherwise only wait. */
  print: boolean;
  /** Only this output stream: stdout or stderr. */
  outputType?: string | undefined;
  spinnerLabel: string;
}

const done = (status: unknown): boolean => isStatus(status) && isCompleted(status);
/** Statuses a wait ends on without completing: a person must act first. */
const settled = (status: unknown): boolean => done(status) || status === 'paused' || status === 'pending';
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const isWorkflow = (doc: Doc): boolean => WORKFLOW_RUNNERS.has(text(pick(doc, 'action.runner_type')));

export async function follow(ctx: Context, execution: Doc, options: FollowOptions): Promise<Doc> {
  const spinner = new Spinner({ write: (t) => ctx.out.err(t) }, ctx.out.interactive && options.print);
  spinner.start(options.spinnerLabel);
  try {
    return isWorkflow(execution)
      ? await followWorkflow(ctx, execution, options, spinner)
      : await followOutput(ctx, execution, options, spinner);
  } finally {
    spinner.stop();
  }
}

interface OutputRecord {
  id?: unknown;
  execution_id?: unknown;
  output_type?: unknown;
  data?: unknown;
}

function writeChunk(ctx: Context, record: OutputRecord, spinner: Spinner): void {
  spinner.stop();
  const data = text(record.data);
  if (record.output_type === 'stderr') ctx.out.err(data);
  else ctx.out.out(data);
}

async function followOutput(
  ctx: Context,
  execution: Doc,
  options: FollowOptions,
  spinner: Spinner,
): Promise<Doc> {
  const id = text(execution['id']);
  let doc = execution;
  let lastId = 0;
  for (;;) {
    const status = doc['status'];
    if (settled(status) && !done(status)) return doc;
    if (status === 'pausing' || status === 'resuming') {
      // The output stream ends on these; wait for the execution to move on.
      await sleep(250);
    } else {
      const query = options.outputType ? { output_type: options.outputType } : {};
      for await (const event of ctx.api.events(`/stream/v1/executions/${id}/output`, query)) {
        if (event.event === 'EOF') break;
        const record = JSON.parse(event.data) as OutputRecord;
        const recordId = Number(record.id ?? 0);
        // A reconnect replays from the start: skip what was already shown.
        if (recordId <= lastId) continue;
        lastId = recordId;
        if (options.print) writeChunk(ctx, record, spinner);
      }
    }
    // A finished execution's stream replays all its output, then ends.
    if (done(status)) return doc;
    doc = await ctx.api.get<Doc>(`/api/v1/executions/${id}`);
    if (done(doc['status'])) return doc;
  }
}

async function followWorkflow(
  ctx: Context,
  execution: Doc,
  options: FollowOptions,
  spinner: Spinner,
): Promise<Doc> {
  const root = text(execution['id']);
  const labels = new Map<string, string>([[root, '']]);
  const label = (doc: Doc): string =>
    text(
      pick(doc, 'context.orquesta.task_name') ?? pick(doc, 'context.chain.name') ?? pick(doc, 'action.ref'),
    );
  const children = await ctx.api.get<Doc[]>(`/api/v1/executions/${root}/children`, { depth: -1 });
  for (const child of children) labels.set(text(child['id']), label(child));
  if (done(execution['status'])) {
    // Finished: show each child's stored output in order.
    for (const child of children) {
      if (options.print) ctx.out.out(ctx.out.colours.dim(`── ${label(child)} (${text(child['status'])})\n`));
      const output = await ctx.api.text(`/api/v1/executions/${text(child['id'])}/output`, {
        ...(options.outputType ? { output_type: options.outputType } : {}),
      });
      if (options.print) ctx.out.out(output);
    }
    return execution;
  }
  const events = ctx.api.events('/stream/v1/stream', {
    events: 'st2.execution__create,st2.execution__update,st2.execution.output__create',
    end_event: 'st2.execution__update',
    end_execution_id: root,
  });
  const seen = new Map<string, string>();
  for await (const event of events) {
    const data = JSON.parse(event.data) as Doc;
    if ('status' in data) {
      const id = text(data['id']);
      const parent = text(pick(data, 'context.parent.execution_id'));
      if (id !== root && labels.has(parent) && !labels.has(id)) labels.set(id, label(data));
      if (id === root) {
        if (settled(data['status'])) return data;
        continue;
      }
      const status = text(data['status']);
      if (labels.has(id) && seen.get(id) !== status && options.print) {
        seen.set(id, status);
        spinner.stop();
        ctx.out.err(
          `${ctx.out.colours.dim(`── ${labels.get(id) ?? id}`)} ${statusPaint(ctx.out.colours, status)(status)}\n`,
        );
      }
    } else {
      const record = data as OutputRecord;
      if (!labels.has(text(record.execution_id))) continue;
      if (options.outputType && record.output_type !== options.outputType) continue;
      if (options.print) writeChunk(ctx, record, spinner);
    }
  }
  return ctx.api.get<Doc>(`/api/v1/executions/${root}`);
}
