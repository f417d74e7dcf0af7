/** `squall key list|get|set|delete`: the datastore, through /api/v1/keys. */
import type { Command } from '../command.ts';
import { flag, str } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { text, type Doc } from '../execution-view.ts';
import { renderTable } from '../format/table.ts';
import { relativeTime } from '../format/time.ts';

/** The largest page a user who is not an admin may ask for. */
const PAGE = 100;

const scopeOption = {
  scope: { type: 'string', short: 's' },
  user: { type: 'string', short: 'u' },
} as const;
const scopeHelp = [
  ['-s, --scope system|user|all', 'which keys (default: system; list: all)'],
  ['-u, --user USER', "another user's keys (user scope)"],
] as const;

const keyList: Command = {
  name: 'key list',
  args: '',
  summary: 'list datastore keys',
  options: { ...scopeOption, prefix: { type: 'string' }, decrypt: { type: 'boolean', short: 'd' } },
  optionHelp: [
    ...scopeHelp,
    ['--prefix P', 'only names starting with P'],
    ['-d, --decrypt', 'show secret values'],
  ],
  async run(ctx, { values }) {
    const keys: Doc[] = [];
    // Page by page: `limit=-1` (or above 100) is for admins only, and every user may list keys.
    for (let offset = 0; ; offset += PAGE) {
      const page = await ctx.api.get<Doc[]>('/api/v1/keys', {
        scope: str(values, 'scope') ?? 'all',
        prefix: str(values, 'prefix'),
        user: str(values, 'user'),
        decrypt: flag(values, 'decrypt') ? 'true' : 'false',
        limit: PAGE,
        offset,
      });
      keys.push(...page);
      if (page.length < PAGE) break;
    }
    if (!ctx.out.human) ctx.out.data(keys);
    else {
      const expiring = keys.some((k) => typeof k['expire_timestamp'] === 'string');
      ctx.out.out(
        renderTable(
          [
            { header: 'NAME', flex: true },
            { header: 'VALUE', flex: true },
            { header: 'SCOPE' },
            { header: 'SECRET' },
            ...(expiring ? [{ header: 'EXPIRES' }] : []),
          ],
          keys.map((k) => [
            text(k['name']),
            text(k['value']),
            text(k['scope']),
            k['secret'] === true ? 'yes' : 'no',
            ...(expiring
              ? [k['expire_timestamp'] ? relativeTime(k['expire_timestamp'], ctx.out.now()) : '']
              : []),
          ]),
          { maxWidth: ctx.out.width, header: ctx.out.colours.bold },
        ),
      );
    }
    return EXIT.ok;
  },
};

const keyGet: Command = {
  name: 'key get',
  args: 'NAME',
  summary: "print a key's value",
  options: { ...scopeOption, decrypt: { type: 'boolean', short: 'd' } },
  optionHelp: [...scopeHelp, ['-d, --decrypt', 'decrypt a secret value']],
  async run(ctx, { values, positionals }) {
    const [name] = positionals;
    if (!name) throw new UsageError('missing key NAME');
    const key = await ctx.api.get<Doc>(`/api/v1/keys/${encodeURIComponent(name)}`, {
      scope: str(values, 'scope') ?? 'system',
      user: str(values, 'user'),
      decrypt: flag(values, 'decrypt') ? 'true' : 'false',
    });
    if (!ctx.out.human) ctx.out.data(key);
    else ctx.out.out(`${text(key['value'])}\n`);
    return EXIT.ok;
  },
};

const keySet: Command = {
  name: 'key set',
  args: 'NAME VALUE',
  summary: 'set a key',
  options: {
    ...scopeOption,
    // st2 calls it --encrypt; both are accepted.
    secret: { type: 'boolean', short: 'e' },
    encrypt: { type: 'boolean' },
    ttl: { type: 'string', short: 'l' },
  },
  optionHelp: [
    ...scopeHelp,
    ['-e, --secret, --encrypt', 'store the value encrypted'],
    ['-l, --ttl SECONDS', 'expire after SECONDS'],
  ],
  async run(ctx, { values, positionals }) {
    const [name, value] = positionals;
    if (!name || value === undefined) throw new UsageError('expected NAME VALUE');
    const ttl = str(values, 'ttl');
    if (ttl !== undefined && !/^\d+$/.test(ttl)) throw new UsageError(`--ttl must be seconds, got "${ttl}"`);
    const body = {
      name,
      value,
      scope: str(values, 'scope') ?? 'system',
      ...(str(values, 'user') ? { user: str(values, 'user') } : {}),
      ...(flag(values, 'secret') || flag(values, 'encrypt') ? { secret: true } : {}),
      ...(ttl ? { ttl: Number(ttl) } : {}),
    };
    const doc = (await ctx.api.request<Doc>('PUT', `/api/v1/keys/${encodeURIComponent(name)}`, { body }))
      .body;
    if (!ctx.out.human) ctx.out.data(doc);
    else ctx.out.out(`set ${name}\n`);
    return EXIT.ok;
  },
};

const keyDelete: Command = {
  name: 'key delete',
  args: 'NAME',
  summary: 'delete a key',
  options: { ...scopeOption },
  optionHelp: [...scopeHelp],
  async run(ctx, { values, positionals }) {
    const [name] = positionals;
    if (!name) throw new UsageError('missing key NAME');
    await ctx.api.request('DELETE', `/api/v1/keys/${encodeURIComponent(name)}`, {
      query: { scope: str(values, 'scope') ?? 'system', user: str(values, 'user') },
    });
    if (ctx.out.human) ctx.out.out(`deleted ${name}\n`);
    return EXIT.ok;
  },
};

export const keyCommands: readonly Command[] = [keyList, keyGet, keySet, keyDelete];
