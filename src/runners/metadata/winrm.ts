/**
 * `winrm_runner` metadata (Apache-2.0, from StackStorm/st2 contrib/runners/winrm_runner/runner.yaml).
 * The three runner types share every parameter except `cmd`.
 */
import type { ParameterSpecs } from '../../domain/types.ts';
import { SHELL_TIMEOUT } from './local.ts';
import type { RunnerTypeMetadata } from './types.ts';

const VERIFY_SSL_CERT_DESCRIPTION =
  'Certificate for HTTPS request is verified by default using requests CA bundle which comes from Mozilla. Verification using a custom CA bundle is not yet supported. Set to False to skip verification.';

function params(cmdDescription: string | undefined): ParameterSpecs {
  return {
    ...(cmdDescription === undefined ? {} : { cmd: { description: cmdDescription, type: 'string' } }),
    cwd: { description: 'Working directory where the command will be executed in', type: 'string' },
    env: {
      description: 'Environment variables which will be available to the command (e.g. key1=val1,key2=val2)',
      type: 'object',
    },
    host: { description: 'A host where the command will be run', required: true, type: 'string' },
    kwarg_op: {
      default: '-',
      description: 'Operator to use in front of keyword args i.e. "-" or "/".',
      type: 'string',
    },
    password: { description: 'Password used to log in.', required: true, secret: true, type: 'string' },
    port: {
      default: 5986,
      description: 'WinRM port to connect on. If using port 5985 scheme must be "http"',
      required: false,
      type: 'integer',
    },
    scheme: {
      default: 'https',
      description: 'Scheme to use in the WinRM URL. If using scheme "http" port must be 5985',
      required: false,
      type: 'string',
    },
    timeout: SHELL_TIMEOUT,
    transport: {
      default: 'ntlm',
      description:
        'The type of transport that WinRM will use to communicate. See https://github.com/diyan/pywinrm#valid-transport-options',
      required: false,
      type: 'string',
      enum: ['basic', 'certificate', 'credssp', 'kerberos', 'ntlm', 'plaintext', 'ssl'],
    },
    username: { description: 'Username used to log-in.', required: true, type: 'string' },
    verify_ssl_cert: { default: true, description: VERIFY_SSL_CERT_DESCRIPTION, type: 'boolean' },
  };
}

export const winrmCmd: RunnerTypeMetadata = {
  name: 'winrm-cmd',
  description: 'A remote execution runner that executes a Command Prompt commands via WinRM on a remote host',
  enabled: true,
  runner_package: 'winrm_runner',
  runner_module: 'winrm_command_runner',
  runner_parameters: params('Arbitrary Command Prompt command to be executed on the remote host.'),
  output_schema: {},
};

export const winrmPsCmd: RunnerTypeMetadata = {
  name: 'winrm-ps-cmd',
  description: 'A remote execution runner that executes PowerShell commands via WinRM on a remote host',
  enabled: true,
  runner_package: 'winrm_runner',
  runner_module: 'winrm_ps_command_runner',
  runner_parameters: params('Arbitrary PowerShell command to be executed on the remote host.'),
  output_schema: {},
};

export const winrmPsScript: RunnerTypeMetadata = {
  name: 'winrm-ps-script',
  description: 'A remote execution runner that executes PowerShell script via WinRM on a set of remote hosts',
  enabled: true,
  runner_package: 'winrm_runner',
  runner_module: 'winrm_ps_script_runner',
  runner_parameters: params(undefined),
  output_schema: {},
};
