/**
 * `squall login|logout|whoami`, `squall apikey …` and `squall key …` end to end against a real
 * Squall with authentication on: users added with `squall user add`, tokens and API keys issued
 * by the server, datastore items encrypted by it. Every other client command with authentication
 * on is in auth-everywhere.test.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { addUser, BIN, cliEnv, finished, runCliProcess } from './cli-process.ts';

let squall: TestSquall;
let adminKey: string;
let env: Record<string, string>;
const squallCli = (args: string[], extra: Record<string, string> = {}, stdin?: string) =>
  runCliProcess(args, { ...env, ...extra }, stdin);
const tokenFile = (e: Record<string, string>) => join(e['XDG_CONFIG_HOME'] ?? '', 'squall', 'token.json');

beforeAll(async () => {
  squall = await startTestSquall({ auth: true });
  adminKey = squall.adminApiKey ?? '';
  env = cliEnv({ SQUALL_URL: squall.url, COLUMNS: '200' });
  await addUser(squall, 'ops', 's3cret', ['admin']);
  await addUser(squall, 'bob', 'b0b-pass', []);
});
afterAll(async () => {
  await squall.close();
});

describe('squall user add', () => {
  it('writes the password file the server checks, never the password itself', () => {
    const passwd = readFileSync(join(squall.dataDir, 'passwd'), 'utf8');
    expect(passwd).toMatch(/^ops:/m);
    expect(passwd).toMatch(/^bob:/m);
    expect(passwd).not.toContain('s3cret');
  });
});

describe('squall login / whoami / logout', () => {
  it('logs in with the password on stdin, saves the token privately, and later commands use it', async () => {
    const e = cliEnv({ SQUALL_URL: squall.url });
    const login = await runCliProcess(['login', 'ops', '--ttl', '3600'], e, 's3cret\n');
    expect(login.stderr).toBe('');
    expect(login.code).toBe(0);
    expect(login.stdout).toMatch(/^logged in as ops, until .* UTC; token saved in .*token\.json\n$/);
    const saved = JSON.parse(readFileSync(tokenFile(e), 'utf8')) as Record<string, string>;
    expect(saved).toMatchObject({ url: squall.url, user: 'ops' });
    expect(statSync(tokenFile(e)).mode & 0o777).toBe(0o600);
    const expiresIn = Date.parse(saved['expiry'] ?? '') - Date.now();
    expect(expiresIn).toBeGreaterThan(3000_000);
    expect(expiresIn).toBeLessThanOrEqual(3600_000);

    const whoami = await runCliProcess(['whoami'], e);
    expect(whoami.stdout).toBe('ops (authentication token)\n');
    const json = await runCliProcess(['whoami', '-j'], e);
    expect(JSON.parse(json.stdout)).toMatchObject({
      username: 'ops',
      authentication: { method: 'authentication token', location: 'header' },
      rbac: { enabled: true, roles: ['admin'], is_admin: true },
    });
    const list = await runCliProcess(['execution', 'list', '-j'], e);
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);

    const logout = await runCliProcess(['logout'], e);
    expect(logout.stdout).toBe(`removed ${tokenFile(e)}\n`);
    expect(existsSync(tokenFile(e))).toBe(false);
    const anonymous = await runCliProcess(['execution', 'list'], e);
    expect(anonymous.code).toBe(7);
    expect(anonymous.stdout).toBe('');
    expect(anonymous.stderr).toBe(
      'squall: Unauthorized - One of Token or API key required. ' +
        '(run "squall login USER" or set SQUALL_API_KEY)\n',
    );
  });

  it('on a terminal, prompts for the password and does not echo it', async () => {
    const e = cliEnv({ SQUALL_URL: squall.url });
    const terminal = join(import.meta.dirname, 'fixtures', 'on-a-terminal.py');
    const child = spawn(
      'python3',
      [terminal, 'Password: ', 'typo\x7f\x7f\x7f\x7fs3cret\r', process.execPath, BIN, 'login', 'ops'],
      { env: e, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const result = await finished(child);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Password: \r?\nlogged in as ops, until /);
    expect(result.stdout).not.toContain('s3cret');
    expect(result.stdout).not.toContain('typo');
    expect(existsSync(tokenFile(e))).toBe(true);
  });

  it("a wrong password or a too long TTL: StackStorm's faultstring, exit 7, nothing saved", async () => {
    const e = cliEnv({ SQUALL_URL: squall.url });
    const wrong = await runCliProcess(['login', 'ops', '-p', 'wrong'], e);
    expect(wrong).toMatchObject({ code: 7, stdout: '', stderr: 'squall: Invalid or missing credentials\n' });
    const nobody = await runCliProcess(['login', 'nobody', '-p', 's3cret'], e);
    expect(nobody.stderr).toBe('squall: Invalid or missing credentials\n');
    const long = await runCliProcess(['login', 'ops', '-p', 's3cret', '-l', '999999999'], e);
    expect(long.code).toBe(7);
    expect(long.stderr).toBe('squall: TTL specified 999999999 is greater than max allowed 86400.\n');
    expect(existsSync(tokenFile(e))).toBe(false);
  });

  it('says why a saved token was not sent, and which credential the server refused', async () => {
    const e = cliEnv({ SQUALL_URL: squall.url });
    const dir = join(e['XDG_CONFIG_HOME'] ?? '', 'squall');
    mkdirSync(dir, { recursive: true });
    const save = (doc: object) => writeFileSync(tokenFile(e), JSON.stringify(doc));
    save({ url: squall.url, user: 'ops', token: 't', expiry: '2020-01-01T00:00:00.000000Z' });
    const expired = await runCliProcess(['whoami'], e);
    expect(expired.code).toBe(7);
    expect(expired.stderr).toBe(
      'squall: Unauthorized - One of Token or API key required. (the token "squall login" saved ' +
        'expired on 2020-01-01T00:00:00.000000Z; run "squall login USER" or set SQUALL_API_KEY)\n',
    );
    save({ url: 'http://elsewhere:9101', user: 'ops', token: 't' });
    const elsewhere = await runCliProcess(['whoami'], e);
    expect(elsewhere.stderr).toContain('(the token "squall login" saved is for http://elsewhere:9101;');
    save({ url: squall.url, user: 'ops', token: 'forgotten-by-the-server' });
    const unknown = await runCliProcess(['whoami'], e);
    expect(unknown.stderr).toBe(
      'squall: Unauthorized (with the token "squall login" saved; ' +
        'run "squall login USER" or set SQUALL_API_KEY)\n',
    );
    const badKey = await runCliProcess(['whoami'], { ...e, ST2_API_KEY: 'not-a-key' });
    expect(badKey.code).toBe(7);
    expect(badKey.stderr).toMatch(
      /^squall: Unauthorized - ApiKey with key_hash=[0-9a-f]+ not found\. \(with the API key from ST2_API_KEY; run "squall login USER" or set SQUALL_API_KEY\)\n$/,
    );
  });
});

describe('squall apikey', () => {
  it('create (for another user, with metadata) / list / delete; a deleted key stops working', async () => {
    const admin = { SQUALL_API_KEY: adminKey };
    const whoami = await squallCli(['whoami'], admin);
    expect(whoami.stdout).toBe('admin (API key)\n');
    const created = await squallCli(['apikey', 'create', '-u', 'bob', '-m', '{"for":"ci"}'], admin);
    expect(created.code).toBe(0);
    const [key = '', note = ''] = created.stdout.split('\n');
    const id = /^id ([0-9a-f]{24}); the key is not shown again$/.exec(note)?.[1] ?? '';
    expect(id).not.toBe('');
    const asBob = await squallCli(['whoami'], { ST2_API_KEY: key });
    expect(asBob.stdout).toBe('bob (API key)\n');

    const list = await squallCli(['apikey', 'list'], admin);
    expect(list.stdout).toMatch(/^ID\s+USER\s+ENABLED\s+CREATED\n/);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+bob\\s+yes\\s+just now$`, 'm'));
    expect(list.stdout).not.toContain(key);
    const json = await squallCli(['apikey', 'list', '-j'], admin);
    expect(JSON.parse(json.stdout)).toContainEqual(
      expect.objectContaining({ id, user: 'bob', metadata: { for: 'ci' }, key_hash: '********' }),
    );
    // Bob sees his own key only.
    const bobs = await squallCli(['apikey', 'list', '-j'], { ST2_API_KEY: key });
    expect((JSON.parse(bobs.stdout) as { id: string }[]).map((k) => k.id)).toEqual([id]);

    const deleted = await squallCli(['apikey', 'delete', id], admin);
    expect(deleted).toMatchObject({ code: 0, stdout: `deleted ${id}\n` });
    const gone = await squallCli(['whoami'], { ST2_API_KEY: key });
    expect(gone.code).toBe(7);
    expect(gone.stderr).toMatch(/^squall: Unauthorized - ApiKey with key_hash=[0-9a-f]+ not found\./);
    const again = await squallCli(['apikey', 'delete', id], admin);
    expect(again.code).toBe(7);
    expect(again.stderr).toBe(`squall: ApiKey matching ${id} for reference and id not found.\n`);
  });

  it("a user without a role gets StackStorm's 403 on create", async () => {
    const e = cliEnv({ SQUALL_URL: squall.url });
    expect((await runCliProcess(['login', 'bob', '-p', 'b0b-pass'], e)).code).toBe(0);
    const create = await runCliProcess(['apikey', 'create'], e);
    expect(create.code).toBe(7);
    expect(create.stderr).toBe('squall: User "bob" doesn\'t have required permission "api_key_create"\n');
  });
});

describe('squall key', () => {
  const admin = () => ({ ST2_API_KEY: adminKey });

  it('set / get / list / delete system items, --encrypt and --decrypt, TTL', async () => {
    expect((await squallCli(['key', 'set', 'greeting', 'hello'], admin())).stdout).toBe('set greeting\n');
    expect((await squallCli(['key', 'set', 'pw', 'hunter2', '--encrypt'], admin())).code).toBe(0);
    expect((await squallCli(['key', 'set', 'pin', '1234', '-e'], admin())).code).toBe(0);
    const ttl = await squallCli(['key', 'set', 'brief', 'x', '--ttl', '3600', '-j'], admin());
    const expiry = Date.parse(JSON.parse(ttl.stdout).expire_timestamp);
    expect(expiry - Date.now()).toBeGreaterThan(3000_000);

    expect((await squallCli(['key', 'get', 'greeting'], admin())).stdout).toBe('hello\n');
    const cipher = await squallCli(['key', 'get', 'pw'], admin());
    expect(cipher.stdout).toMatch(/^[0-9A-F]{32,}\n$/);
    expect((await squallCli(['key', 'get', 'pw', '--decrypt'], admin())).stdout).toBe('hunter2\n');
    expect((await squallCli(['key', 'get', 'pin', '-d', '-s', 'system'], admin())).stdout).toBe('1234\n');

    const list = await squallCli(['key', 'list'], admin());
    expect(list.stdout).toMatch(/^NAME\s+VALUE\s+SCOPE\s+SECRET\s+EXPIRES\n/);
    expect(list.stdout).toMatch(/^greeting\s+hello\s+st2kv\.system\s+no\s*$/m);
    expect(list.stdout).toMatch(/^pw\s+[0-9A-F]{32,}\s+st2kv\.system\s+yes\s*$/m);
    expect(list.stdout).toMatch(/^brief\s+x\s+st2kv\.system\s+no\s+in (59m|1h)/m);
    expect(list.stdout).not.toContain('hunter2');
    const decrypted = await squallCli(['key', 'list', '--decrypt', '--prefix', 'p', '-j'], admin());
    expect(JSON.parse(decrypted.stdout)).toEqual([
      expect.objectContaining({ name: 'pin', value: '1234', secret: true }),
      expect.objectContaining({ name: 'pw', value: 'hunter2', secret: true, encrypted: false }),
    ]);

    expect((await squallCli(['key', 'delete', 'greeting'], admin())).stdout).toBe('deleted greeting\n');
    const missing = await squallCli(['key', 'get', 'greeting'], admin());
    expect(missing.code).toBe(7);
    expect(missing.stderr).toBe(
      'squall: KeyValuePair with name: greeting and scope: st2kv.system not found in db.\n',
    );
  });

  it("a user without a role: own user-scope items, StackStorm's 403s for the rest", async () => {
    const e = cliEnv({ SQUALL_URL: squall.url, COLUMNS: '200' });
    expect((await runCliProcess(['login', 'bob'], e, 'b0b-pass\n')).code).toBe(0);
    const set = await runCliProcess(['key', 'set', 'mine', 'bob-secret', '--scope', 'user', '-e'], e);
    expect(set.code).toBe(0);
    const get = await runCliProcess(['key', 'get', 'mine', '--scope', 'user', '--decrypt'], e);
    expect(get.stdout).toBe('bob-secret\n');
    // key list pages as a user may (limit=-1 is for admins) and shows only bob's items.
    const list = await runCliProcess(['key', 'list'], e);
    expect(list.stderr).toBe('');
    expect(list.stdout).toMatch(
      /^NAME\s+VALUE\s+SCOPE\s+SECRET\nmine\s+[0-9A-F]{32,}\s+st2kv\.user\s+yes\n$/,
    );
    const decrypted = await runCliProcess(['key', 'list', '-s', 'user', '-d', '-j'], e);
    expect(JSON.parse(decrypted.stdout)).toEqual([
      expect.objectContaining({ name: 'mine', value: 'bob-secret', scope: 'st2kv.user', user: 'bob' }),
    ]);
    const system = await runCliProcess(['key', 'set', 'shared', 'v'], e);
    expect(system.code).toBe(7);
    expect(system.stderr).toBe(
      'squall: User "bob" doesn\'t have required permission "key_value_pair_set" on resource ' +
        '"key_value_pair:st2kv.system:shared"\n',
    );
    const decrypt = await runCliProcess(['key', 'list', '--decrypt'], e);
    expect(decrypt.stderr).toBe('squall: Decrypt option requires administrator access\n');
    // The admin reads bob's item by naming him.
    const asAdmin = await squallCli(['key', 'get', 'mine', '-u', 'bob', '-d'], admin());
    expect(asAdmin.stdout).toBe('bob-secret\n');
    expect((await runCliProcess(['key', 'delete', 'mine', '-s', 'user'], e)).code).toBe(0);
  });
});
