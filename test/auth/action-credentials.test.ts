/**
 * With authentication on, every action gets a token for the API as its execution's user
 * (ST2_ACTION_AUTH_TOKEN, as StackStorm gives it), so a Python action's datastore calls and a
 * script's API calls work; with it off, none is needed and none is given.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { writeScratchPack } from '../workflows/scratch-pack.ts';

const PACK = writeScratchPack('kv', {
  remember: {
    meta: `---
name: remember
runner_type: python-script
entry_point: remember.py
parameters:
  value:
    type: string
    required: true
`,
    entryPoint: [
      'remember.py',
      `from st2common.runners.base_action import Action


class Remember(Action):
    def run(self, value):
        before = self.action_service.get_value("last")
        self.action_service.set_value("last", value)
        self.action_service.set_value("shared", value, local=False, encrypt=True)
        names = sorted(kv.name for kv in self.action_service.list_values())
        return {"before": before, "now": self.action_service.get_value("last"), "names": names}
`,
    ],
  },
});

async function run(squall: TestSquall, action: string, parameters: Record<string, unknown>) {
  const headers = squall.adminApiKey ? { 'St2-Api-Key': squall.adminApiKey } : undefined;
  const res = await squall.api('/api/v1/executions', {
    method: 'POST',
    headers,
    json: { action, parameters },
  });
  expect(res.status).toBe(201);
  return squall.waitFor(((await res.json()) as { id: string }).id);
}

describe('with authentication on', () => {
  let squall: TestSquall;
  beforeAll(async () => {
    squall = await startTestSquall({ auth: true, packsPaths: [PACK] });
  });
  afterAll(async () => {
    await squall.close();
  });

  it("gives a Python action's datastore calls a working token", async () => {
    const first = await run(squall, 'kv.remember', { value: 'one' });
    expect(first['status']).toBe('succeeded');
    expect((first['result'] as Record<string, unknown>)['result']).toEqual({
      before: null,
      now: 'one',
      names: ['kv.Remember:last'],
    });
    const second = await run(squall, 'kv.remember', { value: 'two' });
    expect((second['result'] as Record<string, unknown>)['result']).toMatchObject({
      before: 'one',
      now: 'two',
    });
    const shared = await squall.api('/api/v1/keys/shared?decrypt=true', {
      headers: { 'St2-Api-Key': squall.adminApiKey ?? '' },
    });
    expect(await shared.json()).toMatchObject({ name: 'shared', value: 'two', secret: true });
  });

  it('lets a shell action call the API as its user', async () => {
    const done = await run(squall, 'core.local', {
      cmd: 'curl -s -H "X-Auth-Token: $ST2_ACTION_AUTH_TOKEN" "$ST2_ACTION_API_URL/user"',
    });
    expect(done['status']).toBe('succeeded');
    expect((done['result'] as Record<string, Record<string, unknown>>)['stdout']).toMatchObject({
      username: 'admin',
    });
  });
});

describe('with authentication on, after the action', () => {
  let squall: TestSquall;
  beforeAll(async () => {
    squall = await startTestSquall({ auth: true });
  });
  afterAll(async () => {
    await squall.close();
  });

  it('revokes the token: what the action leaves behind cannot use it', async () => {
    const done = await run(squall, 'core.local', { cmd: 'echo "$ST2_ACTION_AUTH_TOKEN"' });
    const token = String((done['result'] as Record<string, unknown>)['stdout']);
    expect(token.length).toBeGreaterThan(20);
    const res = await squall.api('/api/v1/user', { headers: { 'X-Auth-Token': token } });
    expect(res.status).toBe(401);
  });
});

describe('with authentication off', () => {
  it('gives no token, and the datastore calls need none', async () => {
    const squall = await startTestSquall({ packsPaths: [PACK] });
    try {
      const env = await run(squall, 'core.local', { cmd: 'echo "[${ST2_ACTION_AUTH_TOKEN-unset}]"' });
      expect((env['result'] as Record<string, unknown>)['stdout']).toBe('[unset]');
      const done = await run(squall, 'kv.remember', { value: 'x' });
      expect((done['result'] as Record<string, unknown>)['result']).toMatchObject({ before: null, now: 'x' });
    } finally {
      await squall.close();
    }
  });
});
