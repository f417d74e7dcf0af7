/**
 * `squall inquiry list|get|respond`: questions actions (core.ask) wait on, through
 * /api/v1/inquiries. A response is given as JSON (`-r`), as `key=value` words typed by the
 * inquiry's schema, or, with neither, asked for property by property on the terminal.
 */
import type { Command, Context } from '../command.ts';
import { str } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { text, type Doc } from '../execution-view.ts';
import { indent, yaml } from '../format/output.ts';
import { renderTable } from '../format/table.ts';
import { buildParameters, castValue, type ParameterSpecs } from '../params.ts';

const inquiryPath = (id: string): string => `/api/v1/inquiries/${encodeURIComponent(id)}`;

const names = (value: unknown): string => (Array.isArray(value) ? value.map(text).join(', ') : '');

const inquiryList: Command = {
  name: 'inquiry list',
  args: '',
  summary: 'list inquiries waiting for a response',
  options: { last: { type: 'string', short: 'n' } },
  optionHelp: [['-n, --last N', 'the N most recent (default 50)']],
  async run(ctx, { values }) {
    const last = Number(str(values, 'last') ?? '50');
    if (!Number.isInteger(last) || last === 0 || last < -1)
      throw new UsageError('-n must be a positive number');
    const inquiries = await ctx.api.get<Doc[]>('/api/v1/inquiries', { limit: last });
    if (!ctx.out.human) ctx.out.data(inquiries);
    else
      ctx.out.out(
        renderTable(
          [
            { header: 'ID' },
            { header: 'ROUTE' },
            { header: 'TTL (MIN)' },
            { header: 'USERS' },
            { header: 'ROLES' },
          ],
          inquiries.map((i) => [
            text(i['id']),
            text(i['route']),
            text(i['ttl']),
            names(i['users']),
            names(i['roles']),
          ]),
          { maxWidth: ctx.out.width, header: ctx.out.colours.bold },
        ),
      );
    return EXIT.ok;
  },
};

function questions(inquiry: Doc): [string, Doc][] {
  const schema = (inquiry['schema'] ?? {}) as Doc;
  return Object.entries((schema['properties'] ?? {}) as Record<string, Doc>);
}

const inquiryGet: Command = {
  name: 'inquiry get',
  args: 'ID',
  summary: 'show an inquiry and what it asks',
  options: {},
  async run(ctx, { positionals }) {
    const [id] = positionals;
    if (!id) throw new UsageError('missing inquiry ID');
    const inquiry = await ctx.api.get<Doc>(inquiryPath(id));
    if (!ctx.out.human) ctx.out.data(inquiry);
    else {
      const label = (n: string): string => ctx.out.colours.dim(`${n}:`.padEnd(7));
      ctx.out.out(
        `${label('id')} ${text(inquiry['id'])}\n` +
          `${label('route')} ${text(inquiry['route'])}\n` +
          `${label('ttl')} ${text(inquiry['ttl'])} minutes\n` +
          (names(inquiry['users']) ? `${label('users')} ${names(inquiry['users'])}\n` : '') +
          (names(inquiry['roles']) ? `${label('roles')} ${names(inquiry['roles'])}\n` : '') +
          `${label('schema')}\n${indent(yaml(inquiry['schema']))}`,
      );
    }
    return EXIT.ok;
  },
};

/** Asks for each property on the terminal; an empty answer leaves an optional one out. */
async function askInteractively(ctx: Context, inquiry: Doc): Promise<Doc> {
  const response: Doc = {};
  for (const [name, spec] of questions(inquiry)) {
    const hint = `${text(spec['description'] ?? name)} (${text(spec['type'] ?? 'string')})`;
    for (;;) {
      const raw = await ctx.readLine(`${hint}: `, { secret: spec['secret'] === true });
      if (raw === '' && spec['required'] !== true) break;
      try {
        response[name] = castValue(name, raw, spec);
        break;
      } catch (e) {
        ctx.out.err(`${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
  }
  return response;
}

const inquiryRespond: Command = {
  name: 'inquiry respond',
  args: 'ID [KEY=VALUE ...]',
  summary: 'respond to an inquiry',
  options: { response: { type: 'string', short: 'r' } },
  optionHelp: [['-r, --response JSON', 'the whole response as a JSON object']],
  async run(ctx, { values, positionals }) {
    const [id, ...words] = positionals;
    if (!id) throw new UsageError('missing inquiry ID');
    const raw = str(values, 'response');
    let response: unknown;
    if (raw !== undefined) {
      try {
        response = JSON.parse(raw);
      } catch {
        throw new UsageError('--response must be a JSON object');
      }
    } else {
      const inquiry = await ctx.api.get<Doc>(inquiryPath(id));
      response =
        words.length > 0
          ? buildParameters(words, Object.fromEntries(questions(inquiry)) as ParameterSpecs)
          : await askInteractively(ctx, inquiry);
    }
    const answered = await ctx.api.request<Doc>('PUT', inquiryPath(id), { body: { id, response } });
    if (!ctx.out.human) ctx.out.data(answered.body);
    else ctx.out.out(`Response accepted for inquiry ${id}.\n`);
    return EXIT.ok;
  },
};

export const inquiryCommands: readonly Command[] = [inquiryList, inquiryGet, inquiryRespond];
