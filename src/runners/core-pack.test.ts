/**
 * The shipped core pack against the catalogue and the runners: every action names a known runner
 * type and an existing entry point, and core.sendmail works through local-shell-script.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject, ParameterSpecs } from '../domain/types.ts';
import { getRunnerTypeByName } from './catalog.ts';
import { createLocalShellScriptRunner } from './local-shell/local-shell-script.ts';
import { testAction, testContext } from './testing/run-context.ts';

const PACK = resolve(dirname(fileURLToPath(import.meta.url)), '../../packs/core');
const ACTIONS = join(PACK, 'actions');
const load = (file: string) => parse(readFileSync(join(ACTIONS, file), 'utf8')) as JsonObject;

describe('core pack', () => {
  const files = readdirSync(ACTIONS).filter((f) => f.endsWith('.yaml'));

  it('has every core action StackStorm ships', () => {
    expect(files.map((f) => f.replace('.yaml', '')).sort()).toEqual(
      [
        'announcement',
        'ask',
        'echo',
        'error',
        'http',
        'inject_trigger',
        'local',
        'local_sudo',
        'noop',
        'pause',
        'remote',
        'remote_sudo',
        'sendmail',
        'uuid',
        'winrm_cmd',
        'winrm_ps_cmd',
      ].sort(),
    );
    expect(parse(readFileSync(join(PACK, 'pack.yaml'), 'utf8'))).toMatchObject({ ref: 'core', name: 'core' });
  });

  it.each(files)('%s names a catalogued runner and an existing entry point', (file) => {
    const meta = load(file);
    expect(meta.name).toBe(file.replace('.yaml', ''));
    expect(getRunnerTypeByName(meta.runner_type as string)).toBeDefined();
    expect(meta.enabled).toBe(true);
    expect(typeof meta.description).toBe('string');
    if (meta.entry_point) expect(existsSync(join(ACTIONS, meta.entry_point as string))).toBe(true);
  });

  describe('core.sendmail', () => {
    let dir: string;
    let fakeSendmail: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'squall-mail-'));
      fakeSendmail = join(dir, 'sendmail');
      await writeFile(fakeSendmail, `#!/bin/sh\ncat > "${join(dir, 'message')}"\n`, { mode: 0o755 });
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('composes the message and pipes it to the sendmail binary', async () => {
      const meta = load('sendmail.yaml');
      const parameters = meta.parameters as ParameterSpecs;
      // The engine applies defaults and splits off runner parameters (`sudo`) before the runner.
      const actionParameters: JsonObject = {
        sendmail_binary: fakeSendmail,
        from: 'stanley@example.com',
        to: 'ops@example.com',
        subject: 'Héllo',
        send_empty_body: true,
        content_type: 'text/plain',
        body: 'All good.',
      };
      const ctx = testContext({
        action: testAction({
          pack: 'core',
          name: 'sendmail',
          entry_point: 'send_mail/send_mail',
          parameters,
        }),
        packPath: PACK,
      });
      const { status, result } = await createLocalShellScriptRunner().run(
        { timeout: 60 },
        actionParameters,
        ctx,
      );
      expect(result.stdout).toBe('Successfully sent mail to ops@example.com');
      expect(status).toBe('succeeded');
      const message = await readFile(join(dir, 'message'), 'utf8');
      expect(message).toContain('To: ops@example.com\nFrom: stanley@example.com\n');
      expect(message).toContain(`Subject: =?UTF-8?B?${Buffer.from('Héllo').toString('base64')}?=`);
      expect(message).toContain('Content-Type: text/plain; charset=UTF-8\n\nAll good.\n');
    });
  });
});
