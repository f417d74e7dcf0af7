/** `python_runner` metadata (Apache-2.0, from StackStorm/st2 contrib/runners/python_runner/runner.yaml). */
import { anyJsonSchema } from './any-json-schema.ts';
import { CONTENT_VERSION, DEBUG } from './local.ts';
import type { RunnerTypeMetadata } from './types.ts';

export const pythonScript: RunnerTypeMetadata = {
  name: 'python-script',
  description: 'A runner for launching python actions.',
  enabled: true,
  runner_package: 'python_runner',
  runner_module: 'python_runner',
  runner_parameters: {
    debug: DEBUG,
    content_version: CONTENT_VERSION,
    env: { description: 'Environment variables which will be available to the script.', type: 'object' },
    timeout: {
      default: 600,
      description:
        "Action timeout in seconds. Action will get killed if it doesn't finish in timeout seconds.",
      type: 'integer',
    },
    log_level: {
      description: 'Default log level for Python runner actions.',
      type: 'string',
      default: 'DEBUG',
      enum: ['AUDIT', 'CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG'],
    },
  },
  output_key: 'result',
  output_schema: {
    type: 'object',
    properties: {
      result: anyJsonSchema(),
      stderr: { type: 'string', required: true },
      stdout: { type: 'string', required: true },
      exit_code: { type: 'integer', required: true },
    },
    additionalProperties: false,
  },
};
