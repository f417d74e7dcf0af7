/**
 * StackStorm's own `st2` CLI, unchanged, authenticating against a real Squall (st2-cli-requests.md
 * §4): `st2 login` and the token it saves for later commands, `st2 auth -t` / ST2_AUTH_TOKEN,
 * ST2_API_KEY, `st2 whoami`, `st2 apikey …` and `st2 key …` (secrets, scopes, TTL), and
 * StackStorm's errors for bad or missing credentials. Setup: test/cli/st2client.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { addUser } from './cli-process.ts';
import { runSt2, st2clientUnavailable, st2Env } from './st2client.ts';

const reason = st2clientUnavailable();

let squall: TestSquall;
/** A fresh HOME each: `st2 login` keeps its config and token under ~/.st2. */
let loggedIn: Record<string, string>;
let anonymous: Record<string, string>;

describe.skipIf(reason !== undefined)(
  `StackStorm's st2 CLI authenticating against Squall${reason ? ` (skipped: ${reason})` : ''}`,
  () => {
    beforeAll(async () => {
      squall = await startTestSquall({ auth: true });
      await addUser(squall, 'ops', 's3cret', ['admin']);
      loggedIn = st2Env(squall.url);
      anonymous = st2Env(squall.url);
    });
    afterAll(async () => {
      await squall?.close();
    });

    it("a wrong password: StackStorm's error, exit 1, nothing saved", async () => {
      const bad = await runSt2(['login', 'ops', '-p', 'wrong'], loggedIn);
      expect(bad.code).toBe(1);
      expect(bad.stdout + bad.stderr).toContain(
        'ERROR: Failed to log in as ops: 401 Client Error: Unauthorized\n' +
          `MESSAGE: Invalid or missing credentials for url: ${squall.url}/auth/v1/tokens`,
      );
      expect(existsSync(join(loggedIn['HOME'] ?? '', '.st2', 'token-ops'))).toBe(false);
    });

    it('without credentials: the 401 faultstring', async () => {
      const list = await runSt2(['execution', 'list'], anonymous);
      expect(list.code).toBe(1);
      expect(list.stdout + list.stderr).toContain(
        'ERROR: 401 Client Error: Unauthorized\n' +
          'MESSAGE: Unauthorized - One of Token or API key required. for url: ',
      );
    });

    it('st2 login saves a token that st2 whoami, run, execution list, get and tail then use', async () => {
      const login = await runSt2(['login', 'ops', '-p', 's3cret'], loggedIn);
      expect(login.code).toBe(0);
      expect(login.stdout).toMatch(/^Logged in as ops\n/);
      const st2dir = join(loggedIn['HOME'] ?? '', '.st2');
      expect(readFileSync(join(st2dir, 'config'), 'utf8')).toMatch(/\[credentials\]\nusername = ops/);
      expect(JSON.parse(readFileSync(join(st2dir, 'token-ops'), 'utf8'))).toMatchObject({
        token: expect.any(String),
      });

      const whoami = await runSt2(['whoami'], loggedIn);
      expect(whoami.stdout).toContain('Currently logged in as "ops".');
      expect(whoami.stdout).toContain('Authentication method: authentication token');
      expect(whoami.stdout).toMatch(/Roles: admin/);

      const run = await runSt2(['run', 'core.local', 'cmd=echo as ops'], loggedIn);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('context.user: ops');
      expect(run.stdout).toMatch(/result: \n(?:.*\n)*? {2}stdout: as ops/);
      const id = /^id: ([0-9a-f]{24})$/m.exec(run.stdout)?.[1] ?? '';
      const list = await runSt2(['execution', 'list', '-n', '5'], loggedIn);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(new RegExp(`\\| ${id} +\\| core\\.local +\\| ops +\\| succeeded`));
      const get = await runSt2(['execution', 'get', id, '-k', 'stdout'], loggedIn);
      expect(get.stdout.trim()).toBe('as ops');
      const tail = await runSt2(['execution', 'tail', id], loggedIn);
      expect(tail.stdout).toMatch(
        new RegExp(`^as ops\n\n?Execution ${id} has completed \\(status=succeeded\\)`),
      );
    });

    it('st2 auth -t prints a token that works as ST2_AUTH_TOKEN', async () => {
      const auth = await runSt2(['auth', 'ops', '-p', 's3cret', '-t'], anonymous);
      const token = auth.stdout.trim();
      expect(token).toMatch(/^\S{16,}$/);
      const whoami = await runSt2(['whoami'], { ...anonymous, ST2_AUTH_TOKEN: token });
      expect(whoami.stdout).toContain('Currently logged in as "ops".');
    });

    it('st2 apikey create / list / delete; the key works as ST2_API_KEY until deleted', async () => {
      const created = await runSt2(['apikey', 'create', '-k', '-m', '{"for": "ci"}'], loggedIn);
      expect(created.code).toBe(0);
      const key = created.stdout.trim();
      expect(key).toMatch(/^[\w-]{20,}$/);
      const withKey = { ...anonymous, ST2_API_KEY: key };
      const whoami = await runSt2(['whoami'], withKey);
      expect(whoami.stdout).toContain('Currently logged in as "ops".');
      expect(whoami.stdout).toContain('Authentication method: API key');
      const run = await runSt2(['run', 'core.local', 'cmd=echo with a key'], withKey);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('stdout: with a key');

      const list = await runSt2(['apikey', 'list', '-j'], withKey);
      const mine = (JSON.parse(list.stdout) as { id: string; metadata: unknown }[]).find(
        (k) => JSON.stringify(k.metadata) === '{"for":"ci"}',
      );
      const id = mine?.id ?? '';
      expect(id).toMatch(/^[0-9a-f]{24}$/);
      expect(list.stdout).not.toContain(key);
      const deleted = await runSt2(['apikey', 'delete', id], loggedIn);
      expect(deleted.stdout).toContain(`Resource with id "${id}" has been successfully deleted.`);
      const refused = await runSt2(['execution', 'list'], withKey);
      expect(refused.code).toBe(1);
      expect(refused.stdout + refused.stderr).toMatch(
        /MESSAGE: Unauthorized - ApiKey with key_hash=[0-9a-f]+ not found\. for url: /,
      );
    });

    it('st2 key set / get / list / delete, --encrypt and get --decrypt, user scope, TTL', async () => {
      const withKey = { ...anonymous, ST2_API_KEY: squall.adminApiKey ?? '' };
      const set = await runSt2(['key', 'set', 'greeting', 'hello'], withKey);
      expect(set.stdout).toMatch(/\| value +\| hello +\|/);
      expect((await runSt2(['key', 'set', 'pw', 'hunter2', '--encrypt'], withKey)).code).toBe(0);
      const ttl = await runSt2(['key', 'set', 'brief', 'x', '-l', '3600', '-j'], withKey);
      expect(Date.parse(JSON.parse(ttl.stdout).expire_timestamp) - Date.now()).toBeGreaterThan(3000_000);
      expect((await runSt2(['key', 'set', 'mine', 'own', '-s', 'user'], loggedIn)).code).toBe(0);

      const cipher = await runSt2(['key', 'get', 'pw', '-j'], withKey);
      expect(JSON.parse(cipher.stdout)).toMatchObject({ name: 'pw', secret: true, encrypted: true });
      expect(cipher.stdout).not.toContain('hunter2');
      const plain = await runSt2(['key', 'get', 'pw', '--decrypt', '-j'], withKey);
      expect(JSON.parse(plain.stdout)).toMatchObject({ value: 'hunter2', encrypted: false });
      const own = await runSt2(['key', 'get', 'mine', '-s', 'user', '-j'], loggedIn);
      expect(JSON.parse(own.stdout)).toMatchObject({ value: 'own', scope: 'st2kv.user' });

      const list = await runSt2(['key', 'list', '-j'], loggedIn);
      const names = (JSON.parse(list.stdout) as { name: string }[]).map((k) => k.name).sort();
      expect(names).toEqual(['brief', 'greeting', 'mine', 'pw']);
      expect(list.stdout).not.toContain('hunter2');
      const decrypted = await runSt2(['key', 'list', '--decrypt', '-j'], loggedIn);
      expect(decrypted.stdout).toContain('"hunter2"');

      const deleted = await runSt2(['key', 'delete', 'greeting'], withKey);
      expect(deleted.stdout).toContain('Resource with id "greeting" has been successfully deleted.');
      const missing = await runSt2(['key', 'get', 'greeting'], withKey);
      expect(missing.code).toBe(1);
      expect(missing.stdout + missing.stderr).toContain('Key Value Pair "greeting" is not found.');
    });
  },
);
