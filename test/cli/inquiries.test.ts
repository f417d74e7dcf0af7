/** `squall inquiry list|get|respond` against a real Squall, with real core.ask executions. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { cliEnv, runCliProcess } from './cli-process.ts';

let squall: TestSquall;
let env: Record<string, string>;
const squallCli = (args: string[], stdin?: string) => runCliProcess(args, env, stdin);

beforeAll(async () => {
  squall = await startTestSquall();
  env = cliEnv({ SQUALL_URL: squall.url });
});
afterAll(async () => {
  await squall.close();
});

const SCHEMA = {
  type: 'object',
  properties: {
    approved: { type: 'boolean', description: 'Continue?', required: true },
    ticket: { type: 'integer', description: 'Change ticket' },
  },
};

async function ask(parameters: Record<string, unknown> = { schema: SCHEMA }): Promise<string> {
  const res = await squall.api('/api/v1/executions', {
    method: 'POST',
    json: { action: 'core.ask', parameters },
  });
  const id = ((await res.json()) as { id: string }).id;
  await squall.waitFor(id, ['pending']);
  return id;
}

async function responseOf(id: string): Promise<unknown> {
  const done = await squall.waitFor(id, ['succeeded']);
  return (done['result'] as Record<string, unknown>)['response'];
}

describe('squall inquiry', () => {
  it('lists and shows what is asked', async () => {
    const id = await ask({ schema: SCHEMA, route: 'ops', users: ['stanley'] });
    const list = await squallCli(['inquiry', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+ROUTE\s+TTL \(MIN\)\s+USERS\s+ROLES\n/);
    expect(list.stdout).toMatch(new RegExp(`\\n${id}\\s+ops\\s+1440\\s+stanley`));
    const json = JSON.parse((await squallCli(['inquiry', 'list', '-j'])).stdout) as { id: string }[];
    expect(json.map((i) => i.id)).toContain(id);
    const get = await squallCli(['inquiry', 'get', id]);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain('route:  ops');
    expect(get.stdout).toContain('description: Continue?');
    await squallCli(['inquiry', 'respond', id, '-r', '{"approved": false}']);
  });

  it('responds with key=value words typed by the schema, or with JSON', async () => {
    const words = await ask();
    const typed = await squallCli(['inquiry', 'respond', words, 'approved=yes', 'ticket=42']);
    expect(typed.stdout).toBe(`Response accepted for inquiry ${words}.\n`);
    expect(await responseOf(words)).toEqual({ approved: true, ticket: 42 });
    const json = await ask();
    expect((await squallCli(['inquiry', 'respond', json, '-r', '{"approved": true}'])).code).toBe(0);
    expect(await responseOf(json)).toEqual({ approved: true });
  });

  it('asks property by property when no response is given', async () => {
    const id = await ask();
    // A bad answer is asked again; an empty one leaves the optional ticket out.
    const asked = await squallCli(['inquiry', 'respond', id], 'maybe\nno\n\n');
    expect(asked.code).toBe(0);
    expect(asked.stderr).toContain('parameter "approved" must be a boolean');
    expect(await responseOf(id)).toEqual({ approved: false });
  });

  it("reports the server's refusals", async () => {
    const id = await ask();
    const wrong = await squallCli(['inquiry', 'respond', id, '-r', '{"approved": "maybe"}']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(`Response for inquiry "${id}" did not pass schema validation.`);
    await squallCli(['inquiry', 'respond', id, '-r', '{"approved": true}']);
    const again = await squallCli(['inquiry', 'respond', id, '-r', '{"approved": true}']);
    expect(again.stderr).toContain(`Inquiry "${id}" has already been responded to.`);
    expect((await squallCli(['inquiry', 'respond', id, '-r', 'nope'])).stderr).toContain(
      '--response must be a JSON object',
    );
  });
});
