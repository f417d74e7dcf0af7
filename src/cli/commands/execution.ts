/** `squall execution list|get|cancel|pause|resume|re-run|tail`. */
import type { Command, Context } from '../command.ts';
import { flag, list, str } from '../command.ts';
import { EXIT, exitCodeForStatus, UsageError } from '../errors.ts';
import { executionFields, pick, statusLine, text, type Doc } from '../execution-view.ts';
import { statusPaint } from '../format/colour.ts';
import { yaml } from '../format/output.ts';
import { renderTable, type Cell } from '../format/table.ts';
import { elapsed, relativeTime } from '../format/time.ts';
import { follow } from '../follow.ts';
import { buildParameters } from '../params.ts';
import { delayOf, finish, parameterSpecs } from './run.ts';

const LIST_FIELDS = 'id,action.ref,context.user,status,start_timestamp,end_timestamp,parent,children';

function limitOf(raw: string | undefined): number {
  if (raw === undefined) return 50;
  if (!/^-?\d+$/.test(raw) || Number(raw) < -1 || Number(raw) === 0)
    throw new UsageError(`-n must be a positive number (or -1 for all), got "${raw}"`);
  return Number(raw);
}

const listCommand: Command = {
  name: 'execution list',
  args: '',
  summary: 'list executions, newest first',
  options: {
    action: { type: 'string' },
    status: { type: 'string' },
    user: { type: 'string' },
    runner: { type: 'string' },
    'trigger-instance': { type: 'string' },
    parent: { type: 'string' },
    after: { type: 'string' },
    before: { type: 'string' },
    limit: { type: 'string', short: 'n' },
    offset: { type: 'string' },
    sort: { type: 'string', short: 's' },
    all: { type: 'boolean', short: 'l' },
  },
  optionHelp: [
    ['--action REF', 'only executions of this action'],
    ['--status STATUS', 'only this status (succeeded, failed, running, …)'],
    ['--user USER', 'only executions run by USER'],
    ['--runner NAME', 'only executions of this runner type'],
    ['--trigger-instance ID', 'only executions caused by this trigger instance'],
    ['--parent ID', "a workflow's children"],
    ['--after / --before TIME', 'started after / before an ISO-8601 time'],
    ['-n, --limit N', 'at most N (default 50; -1 for all)'],
    ['--offset N', 'skip the first N (paging)'],
    ['-s, --sort asc|desc', 'oldest or newest first (default desc)'],
    ['-l, --all', "include workflows' children"],
  ],
  async run(ctx, { values }) {
    const sort = str(values, 'sort') ?? 'desc';
    if (sort !== 'asc' && sort !== 'desc') throw new UsageError(`--sort takes asc or desc, got "${sort}"`);
    const offset = str(values, 'offset');
    if (offset !== undefined && !/^\d+$/.test(offset))
      throw new UsageError(`--offset must be a non-negative number, got "${offset}"`);
    const limit = limitOf(str(values, 'limit'));
    const parent = str(values, 'parent') ?? (flag(values, 'all') ? undefined : 'null');
    const response = await ctx.api.request<Doc[]>('GET', '/api/v1/executions', {
      query: {
        action: str(values, 'action'),
        status: str(values, 'status'),
        user: str(values, 'user'),
        runner: str(values, 'runner'),
        trigger_instance: str(values, 'trigger-instance'),
        parent,
        timestamp_gt: str(values, 'after'),
        timestamp_lt: str(values, 'before'),
        limit,
        offset,
        [sort === 'asc' ? 'sort_asc' : 'sort_desc']: 'True',
        ...(ctx.out.human ? { include_attributes: LIST_FIELDS } : {}),
      },
    });
    const rows = response.body;
    if (!ctx.out.human) {
      ctx.out.data(rows);
      return EXIT.ok;
    }
    printExecutionTable(ctx, rows);
    const total = Number(response.headers.get('x-total-count') ?? rows.length);
    const first = Number(offset ?? 0);
    if (total > first + rows.length)
      ctx.out.err(
        ctx.out.colours.dim(
          `${first + 1}–${first + rows.length} of ${total}; next page: --offset ${first + rows.length}\n`,
        ),
      );
    return EXIT.ok;
  },
};

export function printExecutionTable(ctx: Context, rows: readonly Doc[]): void {
  const { out } = ctx;
  if (rows.length === 0) {
    out.err('no executions\n');
    return;
  }
  const now = out.now();
  const cells: Cell[][] = rows.map((row) => {
    const status = text(row['status']);
    const kids = Array.isArray(row['children']) && row['children'].length > 0;
    return [
      text(row['id']),
      `${kids ? '+ ' : ''}${text(pick(row, 'action.ref'))}`,
      { text: status, paint: statusPaint(out.colours, status) },
      text(pick(row, 'context.user')),
      relativeTime(row['start_timestamp'], now),
      elapsed(row['start_timestamp'], row['end_timestamp'], now),
    ];
  });
  out.out(
    renderTable(
      [
        { header: 'ID' },
        { header: 'ACTION', flex: true },
        { header: 'STATUS' },
        { header: 'USER', flex: true },
        { header: 'STARTED' },
        { header: 'ELAPSED' },
      ],
      cells,
      { maxWidth: out.width, header: out.colours.bold },
    ),
  );
}

const getCommand: Command = {
  name: 'execution get',
  args: 'ID [ID …]',
  summary: "show executions (use 'last' for the newest)",
  options: {
    key: { type: 'string', short: 'k' },
    details: { type: 'boolean', short: 'd' },
    'show-secrets': { type: 'boolean' },
  },
  optionHelp: [
    ['-k, --key KEY', 'print only this key of the result (dotted: result.stdout or stdout)'],
    ['-d, --details', 'also the runner, context, status log, children'],
    ['--show-secrets', 'do not mask secret parameters'],
  ],
  async run(ctx, { values, positionals }) {
    if (positionals.length === 0) throw new UsageError('missing execution ID');
    const key = str(values, 'key');
    const docs: Doc[] = [];
    for (const id of positionals) {
      docs.push(
        await ctx.api.get<Doc>(`/api/v1/executions/${encodeURIComponent(id)}`, {
          ...(flag(values, 'show-secrets') ? { show_secrets: 'true' } : {}),
        }),
      );
    }
    if (key !== undefined) {
      const values = docs.map((d) => pick(d['result'], key.replace(/^result\./, '')));
      for (const value of values) {
        if (ctx.out.human) ctx.out.out(typeof value === 'string' ? `${value}\n` : yaml(value ?? null));
        else ctx.out.data(value ?? null);
      }
      return EXIT.ok;
    }
    if (!ctx.out.human) ctx.out.data(docs.length === 1 ? docs[0] : docs);
    else ctx.out.out(docs.map((d) => executionFields(ctx.out, d, flag(values, 'details'))).join('\n'));
    return EXIT.ok;
  },
};

function statusChange(name: string, verb: string, status: string, done: string): Command {
  return {
    name: `execution ${name}`,
    args: 'ID [ID …]',
    summary: `${verb} executions`,
    options: {},
    async run(ctx, { positionals }) {
      if (positionals.length === 0) throw new UsageError('missing execution ID');
      for (const id of positionals) {
        const path = `/api/v1/executions/${encodeURIComponent(id)}`;
        const response =
          status === 'canceling'
            ? await ctx.api.request<Doc>('DELETE', path)
            : await ctx.api.request<Doc>('PUT', path, { body: { status } });
        const doc = response.body as Doc | undefined;
        // StackStorm answers "cannot cancel" for a finished execution with 200 and a faultstring.
        if (doc && 'faultstring' in doc) {
          ctx.out.err(`squall: ${text(doc['faultstring'])}\n`);
          return EXIT.error;
        }
        if (!ctx.out.human) ctx.out.data(doc ?? null);
        else {
          // An empty answer (204) still means the request was taken.
          const now = text(doc?.['status']) || done;
          ctx.out.out(`${id} ${statusPaint(ctx.out.colours, now)(now)}\n`);
        }
      }
      return EXIT.ok;
    },
  };
}

const reRunCommand: Command = {
  name: 'execution re-run',
  args: 'ID [key=value …]',
  summary: 'run an execution again, with parameter overrides',
  options: {
    tasks: { type: 'string', multiple: true },
    'no-reset': { type: 'string', multiple: true },
    delay: { type: 'string' },
    async: { type: 'boolean', short: 'a' },
  },
  optionHelp: [
    ['--tasks T1,T2', 'workflow: re-run from these tasks'],
    ['--no-reset T1,T2', "workflow: keep these tasks' state (with-items)"],
    ['--delay MS', 'start after MS milliseconds'],
    ['-a, --async', 'return at once with the new id'],
  ],
  async run(ctx, { values, positionals }) {
    const [id, ...words] = positionals;
    if (!id) throw new UsageError('missing execution ID');
    const original = await ctx.api.get<Doc>(`/api/v1/executions/${encodeURIComponent(id)}`);
    const { specs } = await parameterSpecs(ctx, text(pick(original, 'action.ref')));
    const tasks = list(values, 'tasks');
    const noReset = list(values, 'no-reset');
    const unknown = noReset.filter((t) => !tasks.includes(t));
    if (unknown.length > 0)
      throw new UsageError(`--no-reset names tasks not in --tasks: ${unknown.join(', ')}`);
    const body = {
      parameters: buildParameters(words, specs),
      tasks,
      reset: tasks.filter((t) => !noReset.includes(t)),
      delay: delayOf(values) ?? 0,
    };
    const created = (
      await ctx.api.request<Doc>('POST', `/api/v1/executions/${encodeURIComponent(id)}/re_run`, { body })
    ).body;
    return finish(ctx, created, flag(values, 'async'));
  },
};

const tailCommand: Command = {
  name: 'execution tail',
  args: '[ID|last]',
  summary: "follow an execution's output live (a workflow's children too)",
  options: { type: { type: 'string' } },
  optionHelp: [['--type stdout|stderr', 'only this output']],
  async run(ctx, { values, positionals }) {
    const id = positionals[0] ?? 'last';
    const type = str(values, 'type');
    if (type !== undefined && type !== 'stdout' && type !== 'stderr')
      throw new UsageError(`--type takes stdout or stderr, got "${type}"`);
    const doc = await ctx.api.get<Doc>(`/api/v1/executions/${encodeURIComponent(id)}`);
    const final = await follow(ctx, doc, {
      print: true,
      outputType: type,
      spinnerLabel: `waiting for ${text(doc['id'])}`,
    });
    // The output is what tail prints in every format; the closing line goes to stderr.
    if (ctx.out.human) ctx.out.err(statusLine(ctx.out, final));
    return exitCodeForStatus(final['status']);
  },
};

export const executionCommands: readonly Command[] = [
  listCommand,
  getCommand,
  tailCommand,
  statusChange('cancel', 'cancel', 'canceling', 'canceling'),
  statusChange('pause', 'pause workflow', 'pausing', 'pausing'),
  statusChange('resume', 'resume paused workflow', 'resuming', 'resuming'),
  reRunCommand,
];
