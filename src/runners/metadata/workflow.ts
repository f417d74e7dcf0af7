/**
 * Workflow runner metadata (Apache-2.0, from StackStorm/st2 contrib/runners/action_chain_runner and
 * orquesta_runner runner.yaml). orquesta's legacy alias `orchestra` is not registered.
 */
import { anyJsonSchema } from './any-json-schema.ts';
import type { RunnerTypeMetadata } from './types.ts';

export const actionChain: RunnerTypeMetadata = {
  name: 'action-chain',
  description: 'A runner for launching linear action chains.',
  enabled: true,
  runner_package: 'action_chain_runner',
  runner_module: 'action_chain_runner',
  runner_parameters: {
    display_published: {
      default: true,
      description: 'Intermediate published variables will be stored and displayed.',
      type: 'boolean',
    },
    skip_notify: { default: [], description: 'List of tasks to skip notifications for.', type: 'array' },
  },
  output_key: 'published',
  output_schema: {
    type: 'object',
    properties: { published: { type: 'object' }, tasks: { type: 'array' } },
    additionalProperties: false,
  },
};

export const orquesta: RunnerTypeMetadata = {
  name: 'orquesta',
  description: 'A runner for executing orquesta workflow.',
  enabled: true,
  runner_package: 'orquesta_runner',
  runner_module: 'orquesta_runner',
  runner_parameters: {
    notify: {
      type: 'array',
      description: 'List of tasks to trigger notifications for.',
      uniqueItems: true,
      items: { type: 'string', minLength: 1, pattern: '^\\w+$' },
      default: [],
    },
  },
  output_key: 'output',
  output_schema: {
    type: 'object',
    properties: {
      errors: { anyOf: [{ type: 'object' }, { type: 'array' }] },
      output: anyJsonSchema(),
    },
    additionalProperties: false,
  },
};
