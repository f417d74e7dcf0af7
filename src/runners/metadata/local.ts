/**
 * `local_runner` metadata (Apache-2.0, from StackStorm/st2 contrib/runners/local_runner/runner.yaml),
 * kept as data, key order included, because `GET /api/v1/runnertypes` shows it verbatim.
 */
import type { ParameterSpec } from '../../domain/types.ts';
import type { RunnerTypeMetadata } from './types.ts';

const DESCRIPTION = 'A runner to execute local actions as a fixed user.';

export const KWARG_OP: ParameterSpec = {
  default: '--',
  description: 'Operator to use in front of keyword args i.e. "--" or "-".',
  type: 'string',
};

export const SHELL_TIMEOUT: ParameterSpec = {
  default: 60,
  description: "Action timeout in seconds. Action will get killed if it doesn't finish in timeout seconds.",
  type: 'integer',
};

export const DEBUG: ParameterSpec = {
  description: 'Enable runner debug mode.',
  type: 'boolean',
  required: false,
  default: false,
};

export const CONTENT_VERSION: ParameterSpec = {
  description:
    'Git revision of the pack content to use for this action execution (git commit sha / tag / branch). Only applies to packs which are git repositories.',
  type: 'string',
  required: false,
};

const SUDO_PASSWORD_DESCRIPTION = 'Sudo password. To be used when passwordless sudo is not allowed.';

export const localShellCmd: RunnerTypeMetadata = {
  name: 'local-shell-cmd',
  description: DESCRIPTION,
  enabled: true,
  runner_package: 'local_runner',
  runner_module: 'local_shell_command_runner',
  runner_parameters: {
    cmd: { description: 'Arbitrary Linux command to be executed on the host.', type: 'string' },
    cwd: { description: 'Working directory where the command will be executed in', type: 'string' },
    env: {
      description: 'Environment variables which will be available to the command(e.g. key1=val1,key2=val2)',
      type: 'object',
    },
    kwarg_op: KWARG_OP,
    sudo: { default: false, description: 'The command will be executed with sudo.', type: 'boolean' },
    sudo_password: {
      default: null,
      description: SUDO_PASSWORD_DESCRIPTION,
      type: 'string',
      secret: true,
      required: false,
    },
    timeout: SHELL_TIMEOUT,
  },
  output_schema: {},
};

export const localShellScript: RunnerTypeMetadata = {
  name: 'local-shell-script',
  description: DESCRIPTION,
  enabled: true,
  runner_package: 'local_runner',
  runner_module: 'local_shell_script_runner',
  runner_parameters: {
    debug: DEBUG,
    content_version: CONTENT_VERSION,
    cwd: { description: 'Working directory where the script will be executed in', type: 'string' },
    env: {
      description: 'Environment variables which will be available to the script(e.g. key1=val1,key2=val2)',
      type: 'object',
    },
    kwarg_op: KWARG_OP,
    sudo: { default: false, description: 'The command will be executed with sudo.', type: 'boolean' },
    sudo_password: {
      default: null,
      description: SUDO_PASSWORD_DESCRIPTION,
      type: 'string',
      required: false,
      secret: true,
    },
    timeout: SHELL_TIMEOUT,
  },
  output_schema: {},
};
