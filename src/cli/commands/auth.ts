/**
 * `squall login|logout|whoami` and `squall apikey create|list|delete`, through StackStorm's
 * endpoints: POST /auth/v1/tokens (Basic auth), /api/v1/user, /api/v1/apikeys.
 */
import type { Command } from '../command.ts';
import { str } from '../command.ts';
import { ApiError, EXIT, UsageError } from '../errors.ts';
import { pick, text, type Doc } from '../execution-view.ts';
import { renderTable } from '../format/table.ts';
import { absoluteTime, relativeTime } from '../format/time.ts';
import { forgetToken, saveToken, tokenPath } from '../settings.ts';

const login: Command = {
  name: 'login',
  args: 'USER',
  summary: 'get a token and save it for later commands',
  options: { password: { type: 'string', short: 'p' }, ttl: { type: 'string', short: 'l' } },
  optionHelp: [
    ['-p, --password PASS', 'the password (otherwise read from standard input)'],
    ['-l, --ttl SECONDS', 'how long the token lasts'],
  ],
  async run(ctx, { values, positionals }) {
    const [user] = positionals;
    if (!user) throw new UsageError('missing USER');
    const password = str(values, 'password') ?? (await ctx.readLine('Password: ', { secret: true }));
    const ttl = str(values, 'ttl');
    if (ttl !== undefined && !/^\d+$/.test(ttl)) throw new UsageError(`--ttl must be seconds, got "${ttl}"`);
    const basic = Buffer.from(`${user}:${password}`).toString('base64');
    let response;
    try {
      response = await ctx.api.request<Doc>('POST', '/auth/v1/tokens', {
        headers: { authorization: `Basic ${basic}` },
        body: ttl ? { ttl: Number(ttl) } : {},
      });
    } catch (error) {
      if (error instanceof ApiError && error.status === 404)
        throw new ApiError(
          `this server has no authentication endpoint (POST ${ctx.api.url('/auth/v1/tokens')})`,
          404,
        );
      throw error;
    }
    const doc = response.body;
    const expiry = typeof doc['expiry'] === 'string' ? doc['expiry'] : undefined;
    const path = saveToken(ctx.settings.configDir, {
      url: ctx.api.baseUrl,
      user,
      token: text(doc['token']),
      expiry,
    });
    if (!ctx.out.human) ctx.out.data(doc);
    else
      ctx.out.out(
        `logged in as ${user}${expiry ? `, until ${absoluteTime(expiry)}` : ''}; token saved in ${path}\n`,
      );
    return EXIT.ok;
  },
};

const logout: Command = {
  name: 'logout',
  args: '',
  summary: 'forget the saved token',
  options: {},
  async run(ctx) {
    const removed = forgetToken(ctx.settings.configDir);
    ctx.out.out(removed ? `removed ${tokenPath(ctx.settings.configDir)}\n` : 'no saved token\n');
    return EXIT.ok;
  },
};

const whoami: Command = {
  name: 'whoami',
  args: '',
  summary: 'who the server thinks you are',
  options: {},
  async run(ctx) {
    const user = await ctx.api.get<Doc>('/api/v1/user');
    if (!ctx.out.human) ctx.out.data(user);
    else ctx.out.out(`${text(user['username'])} (${text(pick(user, 'authentication.method'))})\n`);
    return EXIT.ok;
  },
};

const apikeyCreate: Command = {
  name: 'apikey create',
  args: '',
  summary: 'create an API key (shown once)',
  options: { user: { type: 'string', short: 'u' }, metadata: { type: 'string', short: 'm' } },
  optionHelp: [
    ['-u, --user USER', 'the key acts as USER'],
    ['-m, --metadata JSON', 'metadata stored with the key'],
  ],
  async run(ctx, { values }) {
    const raw = str(values, 'metadata');
    let metadata: unknown;
    if (raw !== undefined) {
      try {
        metadata = JSON.parse(raw);
      } catch {
        throw new UsageError(`--metadata must be a JSON object, got "${raw}"`);
      }
    }
    const body = {
      ...(str(values, 'user') ? { user: str(values, 'user') } : {}),
      ...(metadata ? { metadata } : {}),
    };
    const doc = (await ctx.api.request<Doc>('POST', '/api/v1/apikeys', { body })).body;
    if (!ctx.out.human) ctx.out.data(doc);
    else
      ctx.out.out(
        `${text(doc['key'])}\n${ctx.out.colours.dim(`id ${text(doc['id'])}; the key is not shown again`)}\n`,
      );
    return EXIT.ok;
  },
};

const apikeyList: Command = {
  name: 'apikey list',
  args: '',
  summary: 'list API keys',
  options: {},
  async run(ctx) {
    const keys = await ctx.api.get<Doc[]>('/api/v1/apikeys');
    if (!ctx.out.human) ctx.out.data(keys);
    else
      ctx.out.out(
        renderTable(
          [{ header: 'ID' }, { header: 'USER', flex: true }, { header: 'ENABLED' }, { header: 'CREATED' }],
          keys.map((k) => [
            text(k['id']),
            text(k['user']),
            k['enabled'] === false ? 'no' : 'yes',
            relativeTime(k['created_at'], ctx.out.now()),
          ]),
          { maxWidth: ctx.out.width, header: ctx.out.colours.bold },
        ),
      );
    return EXIT.ok;
  },
};

const apikeyDelete: Command = {
  name: 'apikey delete',
  args: 'ID',
  summary: 'delete an API key',
  options: {},
  async run(ctx, { positionals }) {
    if (positionals.length === 0) throw new UsageError('missing API key ID');
    for (const id of positionals) {
      await ctx.api.request('DELETE', `/api/v1/apikeys/${encodeURIComponent(id)}`);
      if (ctx.out.human) ctx.out.out(`deleted ${id}\n`);
    }
    return EXIT.ok;
  },
};

export const authCommands: readonly Command[] = [
  login,
  logout,
  whoami,
  apikeyCreate,
  apikeyList,
  apikeyDelete,
];
