/** `squall action list|get` and `squall runner list|get`. */
import type { Command, Context } from '../command.ts';
import { flag, str } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { text, type Doc } from '../execution-view.ts';
import { indent, yaml } from '../format/output.ts';
import { renderTable } from '../format/table.ts';

function parameterTable(ctx: Context, parameters: unknown): string {
  const entries = Object.entries((parameters ?? {}) as Record<string, Doc>);
  if (entries.length === 0) return '';
  const rows = entries.map(([name, spec]) => [
    `${name}${spec['required'] === true ? '*' : ''}`,
    text(spec['type']),
    spec['default'] === undefined ? '' : text(spec['default']),
    `${spec['secret'] === true ? '(secret) ' : ''}${spec['immutable'] === true ? '(immutable) ' : ''}${text(spec['description'])}`,
  ]);
  return (
    '\n' +
    renderTable(
      [
        { header: 'PARAMETER' },
        { header: 'TYPE' },
        { header: 'DEFAULT', flex: true },
        { header: 'DESCRIPTION', flex: true },
      ],
      rows,
      { maxWidth: ctx.out.width, header: ctx.out.colours.bold },
    ) +
    ctx.out.colours.dim('* required\n')
  );
}

function fields(ctx: Context, doc: Doc, names: readonly string[]): string {
  return names
    .filter((n) => {
      const v = doc[n];
      return (
        v !== undefined && v !== '' && !(typeof v === 'object' && v !== null && Object.keys(v).length === 0)
      );
    })
    .map((n) => {
      const v = doc[n];
      const shown = typeof v === 'object' && v !== null ? `\n${indent(yaml(v))}` : text(v);
      return `${ctx.out.colours.dim(`${n}:`.padEnd(13))} ${shown}\n`;
    })
    .join('');
}

const actionList: Command = {
  name: 'action list',
  args: '',
  summary: 'list actions',
  options: { pack: { type: 'string', short: 'p' }, quiet: { type: 'boolean', short: 'q' } },
  optionHelp: [
    ['-p, --pack PACK', "only this pack's actions"],
    ['-q, --quiet', 'only the refs, one a line'],
  ],
  async run(ctx, { values }) {
    const quiet = flag(values, 'quiet');
    const actions = await ctx.api.get<Doc[]>('/api/v1/actions', {
      pack: str(values, 'pack'),
      limit: -1,
      ...(ctx.out.human ? { include_attributes: 'ref,pack,description,runner_type' } : {}),
    });
    if (quiet) ctx.out.out(actions.map((a) => `${text(a['ref'])}\n`).join(''));
    else if (!ctx.out.human) ctx.out.data(actions);
    else
      ctx.out.out(
        renderTable(
          [{ header: 'REF', flex: true }, { header: 'RUNNER' }, { header: 'DESCRIPTION', flex: true }],
          actions.map((a) => [text(a['ref']), text(a['runner_type']), text(a['description'])]),
          { maxWidth: ctx.out.width, header: ctx.out.colours.bold },
        ),
      );
    return EXIT.ok;
  },
};

const actionGet: Command = {
  name: 'action get',
  args: 'REF',
  summary: 'show an action and its parameters',
  options: {},
  async run(ctx, { positionals }) {
    const [ref] = positionals;
    if (!ref) throw new UsageError('missing action REF');
    const action = await ctx.api.get<Doc>(`/api/v1/actions/${encodeURIComponent(ref)}`);
    if (!ctx.out.human) ctx.out.data(action);
    else
      ctx.out.out(
        fields(ctx, action, ['ref', 'id', 'description', 'runner_type', 'entry_point', 'enabled', 'tags']) +
          parameterTable(ctx, action['parameters']),
      );
    return EXIT.ok;
  },
};

const runnerList: Command = {
  name: 'runner list',
  args: '',
  summary: 'list runner types',
  options: {},
  async run(ctx) {
    const runners = await ctx.api.get<Doc[]>('/api/v1/runnertypes');
    if (!ctx.out.human) ctx.out.data(runners);
    else
      ctx.out.out(
        renderTable(
          [{ header: 'NAME' }, { header: 'ENABLED' }, { header: 'DESCRIPTION', flex: true }],
          runners.map((r) => [
            text(r['name']),
            r['enabled'] === false ? 'no' : 'yes',
            text(r['description']),
          ]),
          { maxWidth: ctx.out.width, header: ctx.out.colours.bold },
        ),
      );
    return EXIT.ok;
  },
};

const runnerGet: Command = {
  name: 'runner get',
  args: 'NAME',
  summary: 'show a runner type and its parameters',
  options: {},
  async run(ctx, { positionals }) {
    const [name] = positionals;
    if (!name) throw new UsageError('missing runner NAME');
    const runner = await ctx.api.get<Doc>(`/api/v1/runnertypes/${encodeURIComponent(name)}`);
    if (!ctx.out.human) ctx.out.data(runner);
    else
      ctx.out.out(
        fields(ctx, runner, ['name', 'id', 'description', 'enabled', 'output_key']) +
          parameterTable(ctx, runner['runner_parameters']),
      );
    return EXIT.ok;
  },
};

export const catalogCommands: readonly Command[] = [actionList, actionGet, runnerList, runnerGet];
