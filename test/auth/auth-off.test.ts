/** Auth is on unless turned off; turned off, every request acts as the system user `stanley`. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

describe('configuration', () => {
  it('turns auth on by default, off with --auth=false or SQUALL_AUTH=false', () => {
    expect(loadConfig([], {}).auth).toBe(true);
    expect(loadConfig(['--auth=false'], {}).auth).toBe(false);
    expect(loadConfig(['--auth', 'false'], {}).auth).toBe(false);
    expect(loadConfig([], { SQUALL_AUTH: 'false' }).auth).toBe(false);
    expect(loadConfig(['--auth=true'], { SQUALL_AUTH: 'false' }).auth).toBe(true);
    expect(() => loadConfig(['--auth=maybe'], {})).toThrow(ConfigError);
    expect(loadConfig([], {}).authTokenTtlSeconds).toBe(86400);
    expect(loadConfig(['--auth-token-ttl', '60', '--permission-isolation=true'], {})).toMatchObject({
      authTokenTtlSeconds: 60,
      permissionIsolation: true,
    });
  });
});

describe('with auth off', () => {
  let squall: TestSquall;
  beforeAll(async () => {
    squall = await startTestSquall();
  });
  afterAll(async () => {
    await squall.close();
  });

  it('creates no admin and needs no credentials: the requester is stanley, with every permission', async () => {
    expect(squall.adminApiKey).toBeUndefined();
    const me = await squall.api('/api/v1/user');
    expect(await me.json()).toEqual({
      username: 'stanley',
      authentication: { method: 'none', location: 'none' },
      rbac: { enabled: false, roles: [], is_admin: true },
    });
    const run = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'core.noop' },
    });
    expect(((await run.json()) as { context: { user: string } }).context.user).toBe('stanley');
    expect((await squall.api('/api/v1/executions?limit=-1')).status).toBe(200);
    expect(
      (await squall.api('/api/v1/keys/k', { method: 'PUT', json: { name: 'k', value: 'v' } })).status,
    ).toBe(200);
  });
});
