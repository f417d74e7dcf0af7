/** `squall run ACTION key=value …`: create an execution, follow its output, exit by its status. */
import type { Command, Context, Values } from '../command.ts';
import { flag, str } from '../command.ts';
import { EXIT, exitCodeForStatus, UsageError } from '../errors.ts';
import { resultBlock, statusLine, text, type Doc } from '../execution-view.ts';
import { follow } from '../follow.ts';
import { buildParameters, type ParameterSpecs } from '../params.ts';

/** The action's parameters, then its runner's, so each `key=value` can be typed. */
export async function parameterSpecs(
  ctx: Context,
  ref: string,
): Promise<{ action: Doc; specs: ParameterSpecs }> {
  const action = await ctx.api.get<Doc>(`/api/v1/actions/${encodeURIComponent(ref)}`);
  const runnerName = text(action['runner_type']);
  const runners = runnerName ? await ctx.api.get<Doc[]>('/api/v1/runnertypes', { name: runnerName }) : [];
  const runnerParams = (runners[0]?.['runner_parameters'] ?? {}) as ParameterSpecs;
  const actionParams = (action['parameters'] ?? {}) as ParameterSpecs;
  return { action, specs: { ...runnerParams, ...actionParams } };
}

export function delayOf(values: Values): number | undefined {
  const raw = str(values, 'delay');
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new UsageError(`--delay must be a number of milliseconds, got "${raw}"`);
  return Number(raw);
}

/** After creating an execution: return at once (-a), or follow it and report how it ended. */
export async function finish(ctx: Context, created: Doc, async: boolean): Promise<number> {
  const id = text(created['id']);
  const { out } = ctx;
  if (async) {
    if (!out.human) out.data(created);
    else
      out.out(
        `${id}\n${out.colours.dim(`follow it:   squall execution tail ${id}\nits result:  squall execution get ${id}`)}\n`,
      );
    return EXIT.ok;
  }
  const final = await follow(ctx, created, {
    print: out.human,
    spinnerLabel: `${text((created['action'] as Doc | undefined)?.['ref'])} ${id}`,
  });
  if (!out.human) out.data(final);
  else {
    out.err(statusLine(out, final));
    out.out(resultBlock(final['result'], true));
  }
  return exitCodeForStatus(final['status']);
}

export const runCommand: Command = {
  name: 'run',
  args: 'ACTION [key=value …] [-- words joined into cmd]',
  summary: 'run an action, stream its output, print its result',
  options: {
    async: { type: 'boolean', short: 'a' },
    delay: { type: 'string' },
    'trace-tag': { type: 'string' },
    'trace-id': { type: 'string' },
    user: { type: 'string', short: 'u' },
    env: { type: 'string', multiple: true },
  },
  optionHelp: [
    ['-a, --async', 'return at once with the execution id'],
    ['--delay MS', 'start the execution after MS milliseconds'],
    ['--trace-tag TAG', 'trace tag recorded with the execution'],
    ['--trace-id ID', 'existing trace to add the execution to'],
    ['-u, --user USER', 'run as USER'],
    ['--env K=V', 'environment variable for the action (repeatable)'],
  ],
  async run(ctx, { values, positionals }) {
    const [ref, ...words] = positionals;
    if (!ref) throw new UsageError('missing ACTION (for example: squall run core.local cmd=date)');
    const { action, specs } = await parameterSpecs(ctx, ref);
    const parameters = buildParameters(words, specs);
    const env = Array.isArray(values['env']) ? values['env'].map(String) : [];
    if (env.length > 0) {
      const vars: Record<string, string> = {};
      for (const pair of env) {
        const eq = pair.indexOf('=');
        if (eq < 1) throw new UsageError(`--env takes KEY=VALUE, got "${pair}"`);
        vars[pair.slice(0, eq)] = pair.slice(eq + 1);
      }
      parameters['env'] = vars;
    }
    const delay = delayOf(values);
    const traceTag = str(values, 'trace-tag');
    const traceId = str(values, 'trace-id');
    const body: Doc = {
      action: `${text(action['pack'])}.${text(action['name'])}`,
      parameters,
      ...(str(values, 'user') ? { user: str(values, 'user') } : {}),
      ...(delay !== undefined ? { delay } : {}),
      // As st2: an existing trace id wins over a new tag.
      ...(traceId
        ? { context: { trace_context: { id_: traceId } } }
        : traceTag
          ? { context: { trace_context: { trace_tag: traceTag } } }
          : {}),
    };
    const created = (await ctx.api.request<Doc>('POST', '/api/v1/executions', { body })).body;
    return finish(ctx, created, flag(values, 'async'));
  },
};
