/**
 * `remote_runner` metadata (Apache-2.0, from StackStorm/st2 contrib/runners/remote_runner/runner.yaml).
 * The two runner types differ only in `cmd`, the `cwd`/`private_key` wording and `dir` mutability.
 */
import type { ParameterSpec, ParameterSpecs } from '../../domain/types.ts';
import { KWARG_OP, SHELL_TIMEOUT } from './local.ts';
import type { RunnerTypeMetadata } from './types.ts';

const DESCRIPTION = 'A remote execution runner that executes actions as a fixed system user.';

const BASTION_HOST: ParameterSpec = {
  description:
    'The host SSH connections will be proxied through. Note: This connection is made using the same parameters as the final connection.',
  required: false,
  type: 'string',
};
const DIR_DESCRIPTION = 'The working directory where the script will be copied to on the remote host.';
const HOSTS: ParameterSpec = {
  description:
    'A comma delimited string of a list of hosts where the remote command will be executed. For example: example1.com,example2.com,example3.com:5555',
  required: true,
  type: 'string',
};

function params(variant: {
  cmd?: ParameterSpec;
  cwdDescription: string;
  dir: ParameterSpec;
  envDescription: string;
  privateKeyDescription: string;
}): ParameterSpecs {
  return {
    bastion_host: BASTION_HOST,
    ...(variant.cmd ? { cmd: variant.cmd } : {}),
    cwd: { default: '/tmp', description: variant.cwdDescription, type: 'string' },
    dir: variant.dir,
    env: { description: variant.envDescription, type: 'object' },
    hosts: HOSTS,
    kwarg_op: KWARG_OP,
    parallel: {
      default: false,
      description: 'Default to parallel execution.',
      immutable: true,
      type: 'boolean',
    },
    passphrase: {
      description: 'Passphrase for the private key, if needed.',
      required: false,
      secret: true,
      type: 'string',
    },
    password: {
      description: 'Password used to log in. If not provided, private key from the config file is used.',
      required: false,
      secret: true,
      type: 'string',
    },
    port: {
      description: 'SSH port. If not specified as part of the hosts list, default port will be used (22).',
      required: false,
      type: 'integer',
    },
    private_key: {
      description: variant.privateKeyDescription,
      required: false,
      secret: true,
      type: 'string',
    },
    sudo: { default: false, description: 'The remote command will be executed with sudo.', type: 'boolean' },
    sudo_password: {
      default: null,
      description: 'Sudo password. To be used when passwordless sudo is not allowed.',
      type: 'string',
      required: false,
      secret: true,
    },
    timeout: SHELL_TIMEOUT,
    username: {
      description: 'Username used to log-in. If not provided, default username from config is used.',
      required: false,
      type: 'string',
    },
  };
}

export const remoteShellCmd: RunnerTypeMetadata = {
  name: 'remote-shell-cmd',
  description: DESCRIPTION,
  enabled: true,
  runner_package: 'remote_runner',
  runner_module: 'remote_command_runner',
  runner_parameters: params({
    cmd: { description: 'Arbitrary Linux command to be executed on the remote host(s).', type: 'string' },
    cwdDescription: 'Working directory where the script will be executed in',
    dir: { default: '/tmp', description: DIR_DESCRIPTION, immutable: true, type: 'string' },
    envDescription: 'Environment variables which will be available to the command(e.g. key1=val1,key2=val2)',
    privateKeyDescription: 'Private key material or path to the private key file on disk used to log in.',
  }),
  output_schema: {},
};

export const remoteShellScript: RunnerTypeMetadata = {
  name: 'remote-shell-script',
  description: DESCRIPTION,
  enabled: true,
  runner_package: 'remote_runner',
  runner_module: 'remote_script_runner',
  runner_parameters: params({
    cwdDescription: 'Working directory where the script will be executed in.',
    dir: { default: '/tmp', description: DIR_DESCRIPTION, type: 'string' },
    envDescription: 'Environment variables which will be available to the script(e.g. key1=val1,key2=val2)',
    privateKeyDescription:
      'Private key material to log in. Note: This needs to be actual private key data and NOT path.',
  }),
  output_schema: {},
};
