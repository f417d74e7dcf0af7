/**
 * A pack's configuration (`DATA_DIR/configs/<pack>.yaml`): parameter templates read it as
 * `config_context`, and Python actions get it as `self.config`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { writeScratchPack } from '../workflows/scratch-pack.ts';

const PACKS = writeScratchPack('configured', {
  greet: {
    meta: `---
name: greet
runner_type: local-shell-cmd
parameters:
  cmd:
    default: "echo {{ config_context.greeting }}, {{ who }}"
  who:
    type: string
    default: "{{ config_context.team.name }}"
`,
    entryPoint: ['unused.txt', ''],
  },
  settings: {
    meta: `---
name: settings
runner_type: python-script
entry_point: settings.py
`,
    entryPoint: [
      'settings.py',
      `from st2common.runners.base_action import Action


class Settings(Action):
    def run(self):
        return self.config
`,
    ],
  },
});

let squall: TestSquall;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'squall-pack-config-'));
  mkdirSync(join(dataDir, 'configs'));
  writeFileSync(join(dataDir, 'configs', 'configured.yaml'), 'greeting: Hello\nteam:\n  name: ops\n');
  squall = await startTestSquall({ dataDir, packsPaths: [PACKS] });
});
afterAll(async () => {
  await squall.close();
});

async function run(action: string, parameters: Record<string, unknown> = {}) {
  const res = await squall.api('/api/v1/executions', { method: 'POST', json: { action, parameters } });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body };
}

describe('pack configuration', () => {
  it('is config_context in parameter templates', async () => {
    const { status, body } = await run('configured.greet');
    expect(status).toBe(201);
    expect(body['parameters']).toEqual({ cmd: 'echo Hello, ops', who: 'ops' });
    const done = await squall.waitFor(String(body['id']));
    expect((done['result'] as Record<string, unknown>)['stdout']).toBe('Hello, ops');
    const given = await run('configured.greet', { who: '{{ config_context.greeting | upper }}' });
    expect(given.body['parameters']).toMatchObject({ who: 'HELLO' });
  });

  it("is a Python action's self.config", async () => {
    const { body } = await run('configured.settings');
    const done = await squall.waitFor(String(body['id']));
    expect((done['result'] as Record<string, unknown>)['result']).toEqual({
      greeting: 'Hello',
      team: { name: 'ops' },
    });
  });

  it('is refused with its error when it is not a mapping', async () => {
    writeFileSync(join(dataDir, 'configs', 'configured.yaml'), '- just\n- a list\n');
    const { status, body } = await run('configured.greet');
    expect(status).toBe(400);
    expect(String(body['faultstring'])).toMatch(/configured\.yaml" is not a mapping/);
    writeFileSync(join(dataDir, 'configs', 'configured.yaml'), 'greeting: Hello\nteam:\n  name: ops\n');
  });
});
