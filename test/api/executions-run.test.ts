import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startTestSquall();
});
afterAll(async () => {
  await squall.close();
});

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

describe('POST /api/v1/executions runs core.local', () => {
  it('creates a requested execution, runs it and stores the result and output', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'core.local', parameters: { cmd: 'echo hello; echo oops >&2' } },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, any>;
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    expect(created.status).toBe('requested');
    expect(created.start_timestamp).toMatch(TIMESTAMP);
    expect(created.action.ref).toBe('core.local');
    expect(created.action.uid).toBe('action:core:local');
    expect(created.runner.name).toBe('local-shell-cmd');
    expect(created.liveaction).toMatchObject({
      action: 'core.local',
      action_is_workflow: false,
      parameters: { cmd: 'echo hello; echo oops >&2' },
      callback: {},
      runner_info: {},
    });
    expect(created.liveaction.id).not.toBe(created.id);
    expect(created.context).toEqual({ user: 'stanley', pack: 'core' });
    expect(created.web_url).toBe(`https://squall.test/#/history/${created.id}/general`);
    expect(created.log).toEqual([{ timestamp: expect.stringMatching(TIMESTAMP), status: 'requested' }]);
    for (const absent of [
      'result',
      'result_size',
      'children',
      'end_timestamp',
      'elapsed_seconds',
      'delay',
      'parent',
    ]) {
      expect(created).not.toHaveProperty(absent);
    }

    const done = (await squall.waitFor(created.id)) as Record<string, any>;
    expect(done.status).toBe('succeeded');
    expect(done.result).toEqual({
      failed: false,
      succeeded: true,
      return_code: 0,
      stdout: 'hello',
      stderr: 'oops',
    });
    expect(done.result_size).toBe(Buffer.byteLength(JSON.stringify(done.result)));
    expect(done.end_timestamp).toMatch(TIMESTAMP);
    expect(typeof done.elapsed_seconds).toBe('number');
    expect(done.log.map((e: { status: string }) => e.status)).toEqual([
      'requested',
      'scheduled',
      'running',
      'succeeded',
    ]);
    expect(done.liveaction.runner_info).toMatchObject({ pid: process.pid });

    const out = await squall.api(`/api/v1/executions/${created.id}/output`);
    expect(out.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await out.text();
    expect(text).toContain('hello\n');
    expect(text).toContain('oops\n');
    expect(
      await (await squall.api(`/api/v1/executions/${created.id}/output?output_type=stderr`)).text(),
    ).toBe('oops\n');
  });

  it('maps a non-zero exit to failed', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'core.local', parameters: { cmd: 'exit 3' } },
    });
    const done = (await squall.waitFor(((await res.json()) as { id: string }).id)) as Record<string, any>;
    expect(done.status).toBe('failed');
    expect(done.result).toMatchObject({ return_code: 3, succeeded: false, failed: true });
  });

  it('renders an immutable templated default at run time (core.echo)', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'core.echo', parameters: { message: 'hi there' } },
    });
    expect(res.status).toBe(201);
    const created = (await res.json()) as Record<string, any>;
    expect(created.parameters).toEqual({ message: 'hi there' });
    const done = (await squall.waitFor(created.id)) as Record<string, any>;
    expect(done.result.stdout).toBe('hi there');
  });

  it('runs noop', async () => {
    const res = await squall.api('/api/v1/executions', { method: 'POST', json: { action: 'core.noop' } });
    const done = (await squall.waitFor(((await res.json()) as { id: string }).id)) as Record<string, any>;
    expect(done.status).toBe('succeeded');
    expect(done.result).toEqual({ failed: false, succeeded: true, return_code: 0 });
  });

  it('holds a delayed execution until it is due', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'core.noop', delay: 300 },
    });
    const created = (await res.json()) as Record<string, any>;
    expect(created.delay).toBe(300);
    await new Promise((r) => setTimeout(r, 100));
    const mid = (await (await squall.api(`/api/v1/executions/${created.id}`)).json()) as Record<string, any>;
    expect(mid.status).toBe('delayed');
    const done = (await squall.waitFor(created.id)) as Record<string, any>;
    expect(done.log.map((e: { status: string }) => e.status)).toEqual([
      'requested',
      'delayed',
      'scheduled',
      'running',
      'succeeded',
    ]);
    const ran = Date.parse(done.log[2].timestamp) - Date.parse(done.start_timestamp);
    expect(ran).toBeGreaterThanOrEqual(290);
  });

  it('fails an action whose runner is not implemented, with a clear message', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: {
        action: 'core.winrm_cmd',
        parameters: { cmd: 'dir', host: 'windows.example', username: 'u', password: 'p' },
      },
    });
    expect(res.status).toBe(201);
    const done = (await squall.waitFor(((await res.json()) as { id: string }).id)) as Record<string, any>;
    expect(done.status).toBe('failed');
    expect(done.result.error).toMatch(/Runner "winrm-cmd" is not available in Squall yet/);
  });

  it("runs the core pack's Python actions (core.uuid, core.pause)", async () => {
    const start = async (
      action: string,
      parameters: Record<string, unknown>,
    ): Promise<Record<string, any>> => {
      const res = await squall.api('/api/v1/executions', { method: 'POST', json: { action, parameters } });
      expect(res.status).toBe(201);
      return (await squall.waitFor(((await res.json()) as { id: string }).id)) as Record<string, any>;
    };
    const uuid = await start('core.uuid', {});
    expect(uuid.status).toBe('succeeded');
    expect(uuid.result).toMatchObject({ exit_code: 0, stderr: '', stdout: '' });
    expect(uuid.result.result).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const uuid1 = await start('core.uuid', { uuid_type: 'uuid1' });
    expect(uuid1.result.result).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-/);
    const pause = await start('core.pause', { max_pause: 0 });
    expect(pause).toMatchObject({ status: 'succeeded', result: { result: 0 } });
  });

  it('times out and kills the process group', async () => {
    const res = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'core.local', parameters: { cmd: 'sleep 30', timeout: 1 } },
    });
    const done = (await squall.waitFor(((await res.json()) as { id: string }).id)) as Record<string, any>;
    expect(done.status).toBe('timeout');
    expect(done.result).toMatchObject({ return_code: -9, error: 'Action failed to complete in 1 seconds' });
  });
});

describe('parameters on create', () => {
  async function post(body: unknown, headers: Record<string, string> = {}) {
    const res = await squall.api('/api/v1/executions', { method: 'POST', json: body, headers });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  it('rejects an unknown action with 400', async () => {
    expect(await post({ action: 'core.nope' })).toEqual({
      status: 400,
      body: { faultstring: 'Action "core.nope" cannot be found.' },
    });
    expect(await post({ action: 'nodot' })).toEqual({
      status: 400,
      body: { faultstring: 'Action "nodot" cannot be found.' },
    });
  });

  it('rejects a missing action with the jsonschema message', async () => {
    expect(await post({ parameters: {} })).toEqual({
      status: 400,
      body: { faultstring: "'action' is a required property" },
    });
  });

  it('rejects unknown parameters, missing required ones and immutable overrides', async () => {
    expect((await post({ action: 'core.local', parameters: { cmd: 'true', foo: 1 } })).body.faultstring).toBe(
      "Additional properties are not allowed ('foo' was unexpected)",
    );
    expect((await post({ action: 'core.local', parameters: {} })).body.faultstring).toBe(
      "'cmd' is a required property",
    );
    expect(await post({ action: 'core.local', parameters: { cmd: 'true', sudo: false } })).toEqual({
      status: 400,
      body: { faultstring: "Override of immutable parameter(s) ['sudo'] is unsupported." },
    });
  });

  it('rejects a wrongly typed value with StackStorm cast message and creates nothing', async () => {
    const before = Number((await squall.api('/api/v1/executions?limit=1')).headers.get('x-total-count'));
    expect(await post({ action: 'core.local', parameters: { cmd: 1000 } })).toEqual({
      status: 400,
      body: { faultstring: 'Value "1000" must either be a string or None. Got "int".' },
    });
    const after = Number((await squall.api('/api/v1/executions?limit=1')).headers.get('x-total-count'));
    expect(after).toBe(before);
  });

  it('merges the St2-Context header and links a parent', async () => {
    const parent = await post({ action: 'core.noop' });
    const child = await post(
      { action: 'core.noop' },
      {
        'st2-context': JSON.stringify({
          parent: { execution_id: parent.body.id, user: 'alice' },
          user: null,
          other: { k1: 'v1' },
        }),
      },
    );
    expect(child.status).toBe(201);
    expect(child.body.context).toEqual({
      parent: { execution_id: parent.body.id, user: 'alice' },
      user: 'alice',
      pack: 'core',
      other: { k1: 'v1' },
    });
    expect(child.body.parent).toBe(parent.body.id);
    const reread = (await (await squall.api(`/api/v1/executions/${parent.body.id}`)).json()) as Record<
      string,
      any
    >;
    expect(reread.children).toEqual([child.body.id]);
    const top = (await (await squall.api(`/api/v1/executions?parent=null&limit=-1`)).json()) as {
      id: string;
    }[];
    expect(top.map((e) => e.id)).not.toContain(child.body.id);
    const kids = (await (await squall.api(`/api/v1/executions?parent=${parent.body.id}`)).json()) as {
      id: string;
    }[];
    expect(kids.map((e) => e.id)).toEqual([child.body.id]);
    const children = (await (await squall.api(`/api/v1/executions/${parent.body.id}/children`)).json()) as {
      id: string;
    }[];
    expect(children.map((e) => e.id)).toEqual([child.body.id]);
  });

  it('rejects a St2-Context header that is not a JSON object', async () => {
    expect(await post({ action: 'core.noop' }, { 'st2-context': '"text"' })).toEqual({
      status: 400,
      body: { faultstring: "Unable to convert st2-context from the headers into JSON (was <class 'str'>)." },
    });
  });

  it('uses the body user', async () => {
    expect((await post({ action: 'core.noop', user: 'bob' })).body.context.user).toBe('bob');
    expect((await post({ action: 'core.noop', user: null })).body.context.user).toBe('stanley');
  });
});
