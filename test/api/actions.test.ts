import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startTestSquall();
});
afterAll(async () => {
  await squall.close();
});

describe('/api/v1/actions', () => {
  it('lists the core pack with StackStorm shapes', async () => {
    const res = await squall.api('/api/v1/actions?pack=core&limit=-1');
    expect(res.status).toBe(200);
    const actions = (await res.json()) as Record<string, any>[];
    const refs = actions.map((a) => a.ref);
    for (const ref of [
      'core.local',
      'core.local_sudo',
      'core.echo',
      'core.error',
      'core.http',
      'core.noop',
      'core.remote',
      'core.sendmail',
      'core.uuid',
    ]) {
      expect(refs).toContain(ref);
    }
    const local = actions.find((a) => a.ref === 'core.local');
    expect(local).toMatchObject({
      uid: 'action:core:local',
      name: 'local',
      pack: 'core',
      enabled: true,
      entry_point: '',
      runner_type: 'local-shell-cmd',
      metadata_file: 'actions/local.yaml',
    });
    expect(local?.id).toMatch(/^[0-9a-f]{24}$/);
    expect(local?.parameters.cmd).toMatchObject({ type: 'string', required: true });
    expect(local?.parameters.sudo).toMatchObject({ immutable: true });
  });

  it('answers the st2 CLI list and get requests', async () => {
    const list = (await (
      await squall.api('/api/v1/actions?include_attributes=ref,pack,description')
    ).json()) as Record<string, unknown>[];
    expect(Object.keys(list[0] ?? {}).sort()).toEqual(['description', 'id', 'pack', 'ref']);
    const byRef = (await (await squall.api('/api/v1/actions/core.local')).json()) as { id: string };
    const byId = (await (await squall.api(`/api/v1/actions/${byRef.id}`)).json()) as { ref: string };
    expect(byId.ref).toBe('core.local');
    const missing = await squall.api('/api/v1/actions/core.nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      faultstring: 'Resource with a reference or id "core.nope" not found',
    });
  });

  it('creates, updates, runs and deletes an action', async () => {
    const created = await squall.api('/api/v1/actions', {
      method: 'POST',
      json: {
        name: 'hello',
        pack: 'demo',
        runner_type: 'local-shell-cmd',
        parameters: { cmd: { default: 'echo {{ who }}' }, who: { type: 'string', default: 'world' } },
      },
    });
    expect(created.status).toBe(201);
    const action = (await created.json()) as Record<string, any>;
    expect(action).toMatchObject({
      ref: 'demo.hello',
      uid: 'action:demo:hello',
      enabled: true,
      entry_point: '',
    });
    const dup = await squall.api('/api/v1/actions', {
      method: 'POST',
      json: { name: 'hello', pack: 'demo', runner_type: 'noop' },
    });
    expect(dup.status).toBe(409);

    const run = await squall.api('/api/v1/executions', { method: 'POST', json: { action: 'demo.hello' } });
    const exec = (await run.json()) as Record<string, any>;
    expect(exec.parameters).toEqual({ cmd: 'echo world' });
    expect(((await squall.waitFor(exec.id)) as Record<string, any>).result.stdout).toBe('world');

    const updated = await squall.api('/api/v1/actions/demo.hello', {
      method: 'PUT',
      json: { ...action, description: 'says hello', enabled: false },
    });
    expect(updated.status).toBe(200);
    expect(((await updated.json()) as Record<string, unknown>)['id']).toBe(action.id);
    const disabled = await squall.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'demo.hello' },
    });
    expect(await disabled.json()).toEqual({
      faultstring: 'Unable to execute. Action "demo.hello" is disabled.',
    });

    // The old execution keeps the action as it was when it ran.
    const old = (await (await squall.api(`/api/v1/executions/${exec.id}`)).json()) as Record<string, any>;
    expect(old.action.enabled).toBe(true);

    expect((await squall.api('/api/v1/actions/demo.hello', { method: 'DELETE' })).status).toBe(204);
    expect((await squall.api('/api/v1/actions/demo.hello')).status).toBe(404);
  });

  it('refuses to override runner parameter attributes other than the allowed ones', async () => {
    const res = await squall.api('/api/v1/actions', {
      method: 'POST',
      json: {
        name: 'bad',
        pack: 'demo',
        runner_type: 'local-shell-cmd',
        parameters: { timeout: { type: 'string' } },
      },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { faultstring: string }).faultstring).toBe(
      'The attribute "type" for the runner parameter "timeout" in action "demo.bad" cannot be overridden.',
    );
  });
});

describe('/api/v1/runnertypes', () => {
  it('lists every StackStorm runner type', async () => {
    const all = (await (await squall.api('/api/v1/runnertypes?limit=-1')).json()) as Record<string, any>[];
    const names = all.map((r) => r.name).sort();
    for (const name of [
      'noop',
      'local-shell-cmd',
      'local-shell-script',
      'remote-shell-cmd',
      'remote-shell-script',
      'http-request',
      'python-script',
      'action-chain',
      'orquesta',
      'announcement',
      'inquirer',
      'winrm-cmd',
      'winrm-ps-cmd',
      'winrm-ps-script',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('answers ?name= with exactly one element, and by name or id', async () => {
    const res = await squall.api('/api/v1/runnertypes/?name=local-shell-cmd');
    const list = (await res.json()) as Record<string, any>[];
    expect(list).toHaveLength(1);
    expect(list[0]?.runner_parameters.cmd).toBeDefined();
    expect(list[0]?.uid).toBe('runner_type:local-shell-cmd');
    const byName = (await (await squall.api('/api/v1/runnertypes/local-shell-cmd')).json()) as { id: string };
    const byId = (await (await squall.api(`/api/v1/runnertypes/${byName.id}`)).json()) as { name: string };
    expect(byId.name).toBe('local-shell-cmd');
  });
});
