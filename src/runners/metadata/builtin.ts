/**
 * Metadata of the runners that run no external program (Apache-2.0, from StackStorm/st2
 * contrib/runners/{noop,announcement,inquirer}_runner/runner.yaml).
 */
import type { RunnerTypeMetadata } from './types.ts';

export const noop: RunnerTypeMetadata = {
  name: 'noop',
  description: 'A runner that returns a static response regardless of input parameters',
  enabled: true,
  runner_package: 'noop_runner',
  runner_module: 'noop_runner',
  runner_parameters: {},
  output_schema: {},
};

export const announcement: RunnerTypeMetadata = {
  name: 'announcement',
  description: 'A runner for emitting an announcement event on the stream.',
  enabled: true,
  runner_package: 'announcement_runner',
  runner_module: 'announcement_runner',
  runner_parameters: {
    experimental: {
      default: false,
      description: 'Flag to indicate acknowledgment of using experimental runner',
      required: true,
      type: 'boolean',
    },
    route: {
      default: 'general',
      description:
        'The routing_key used to route the message to consumers. Might be a list of words, delimited by dots.',
      maxLength: 255,
      minLength: 1,
      type: 'string',
    },
  },
  output_schema: {},
};

export const inquirer: RunnerTypeMetadata = {
  name: 'inquirer',
  description: 'A runner for Inquiries',
  enabled: true,
  runner_package: 'inquirer_runner',
  runner_module: 'inquirer_runner',
  runner_parameters: {
    schema: {
      default: {
        title: 'response_data',
        type: 'object',
        properties: {
          continue: {
            type: 'boolean',
            description: 'Would you like to continue the workflow?',
            required: true,
          },
        },
      },
      required: true,
      description: 'A JSON schema that will be used to validate the response data',
      type: 'object',
    },
    route: {
      default: '',
      required: false,
      description: 'An arbitrary value for allowing rules to route to proper notification channel',
      type: 'string',
    },
    roles: {
      default: [],
      required: false,
      description:
        'A list of roles that are permitted to respond to the action (if nothing provided, all are permitted) - REQUIRES RBAC FEATURES',
      type: 'array',
    },
    users: {
      default: [],
      required: false,
      description:
        'A list of usernames that are permitted to respond to the action (if nothing provided, all are permitted)',
      type: 'array',
    },
    ttl: {
      default: 1440,
      required: true,
      description: 'Time (in minutes) to wait before timing out the inquiry if no response is received',
      type: 'integer',
    },
  },
  output_schema: {},
};
