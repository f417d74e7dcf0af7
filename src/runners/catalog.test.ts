import { describe, expect, it } from 'vitest';
import { getRunnerTypeById, getRunnerTypeByName, RUNNER_TYPES, runnerTypeId } from './catalog.ts';

const NAMES = [
  'action-chain',
  'announcement',
  'http-request',
  'inquirer',
  'local-shell-cmd',
  'local-shell-script',
  'noop',
  'orquesta',
  'python-script',
  'remote-shell-cmd',
  'remote-shell-script',
  'winrm-cmd',
  'winrm-ps-cmd',
  'winrm-ps-script',
];

describe('runner type catalogue', () => {
  it('lists every StackStorm runner type once, with stable ObjectId-shaped ids', () => {
    expect(RUNNER_TYPES.map((r) => r.name)).toEqual(NAMES);
    for (const r of RUNNER_TYPES) {
      expect(r.id).toMatch(/^[0-9a-f]{24}$/);
      expect(r.id).toBe(runnerTypeId(r.name));
      expect(r.uid).toBe(`runner_type:${r.name}`);
      expect(r.enabled).toBe(true);
      expect(getRunnerTypeByName(r.name)).toBe(r);
      expect(getRunnerTypeById(r.id)).toBe(r);
    }
    expect(new Set(RUNNER_TYPES.map((r) => r.id)).size).toBe(NAMES.length);
    expect(getRunnerTypeByName('orchestra')).toBeUndefined();
  });

  it('is frozen, so no caller can alter what every execution embeds', () => {
    const local = getRunnerTypeByName('local-shell-cmd');
    expect(Object.isFrozen(local)).toBe(true);
    expect(Object.isFrozen(local?.runner_parameters.timeout)).toBe(true);
  });

  it('carries StackStorm field values', () => {
    expect(getRunnerTypeByName('local-shell-cmd')).toMatchObject({
      runner_package: 'local_runner',
      runner_module: 'local_shell_command_runner',
      output_schema: {},
      runner_parameters: {
        kwarg_op: { default: '--', type: 'string' },
        sudo: { default: false, type: 'boolean' },
        sudo_password: { default: null, secret: true, required: false },
        timeout: { default: 60, type: 'integer' },
      },
    });
    expect(getRunnerTypeByName('local-shell-cmd')?.output_key).toBeUndefined();
    expect(getRunnerTypeByName('noop')).toMatchObject({
      runner_package: 'noop_runner',
      runner_parameters: {},
    });
    expect(getRunnerTypeByName('http-request')).toMatchObject({
      output_key: 'body',
      runner_parameters: {
        url: { required: true },
        allow_redirects: { default: false },
        password: { secret: true },
        url_hosts_blacklist: { type: 'array', items: { type: 'string' } },
      },
      output_schema: { additionalProperties: false },
    });
    expect(getRunnerTypeByName('python-script')).toMatchObject({
      output_key: 'result',
      runner_parameters: { timeout: { default: 600 }, log_level: { default: 'DEBUG' } },
    });
    expect(getRunnerTypeByName('remote-shell-cmd')?.runner_parameters).toMatchObject({
      hosts: { required: true },
      dir: { immutable: true, default: '/tmp' },
      parallel: { immutable: true },
    });
    expect(getRunnerTypeByName('remote-shell-script')?.runner_parameters.dir?.immutable).toBeUndefined();
    expect(getRunnerTypeByName('remote-shell-script')?.runner_parameters.cmd).toBeUndefined();
    expect(getRunnerTypeByName('winrm-ps-script')?.runner_parameters).toMatchObject({
      kwarg_op: { default: '-' },
      port: { default: 5986 },
      transport: {
        default: 'ntlm',
        enum: ['basic', 'certificate', 'credssp', 'kerberos', 'ntlm', 'plaintext', 'ssl'],
      },
    });
    expect(getRunnerTypeByName('winrm-ps-script')?.runner_parameters.cmd).toBeUndefined();
    expect(getRunnerTypeByName('orquesta')).toMatchObject({
      output_key: 'output',
      runner_parameters: { notify: { default: [] } },
    });
    expect(getRunnerTypeByName('action-chain')).toMatchObject({ output_key: 'published' });
    expect(getRunnerTypeByName('inquirer')?.runner_parameters.ttl).toMatchObject({
      default: 1440,
      required: true,
    });
    expect(getRunnerTypeByName('announcement')?.runner_parameters.experimental).toMatchObject({
      required: true,
    });
  });

  it('lists fields in StackStorm order, id and uid first', () => {
    expect(Object.keys(RUNNER_TYPES[0] ?? {})).toEqual([
      'id',
      'uid',
      'name',
      'description',
      'enabled',
      'runner_package',
      'runner_module',
      'runner_parameters',
      'output_key',
      'output_schema',
    ]);
  });
});
