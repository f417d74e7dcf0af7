/**
 * Request body schemas, as StackStorm's OpenAPI document declares them (`ExecutionRequest`,
 * `ExecutionUpdateRequest`, the re-run body, `ActionCreateRequest`). Validation errors use Python
 * jsonschema's wording, which clients compare.
 */
import { ALL_STATUSES } from '../domain/status.ts';
import type { JsonObject } from '../domain/types.ts';

const TIMESTAMP_PATTERN =
  '^\\d{4}\\-\\d{2}\\-\\d{2}(\\s|T)\\d{2}:\\d{2}:\\d{2}(\\.\\d{3,6})?(Z|\\+00|\\+0000|\\+00:00)$';

const notificationProperty: JsonObject = {
  type: 'object',
  properties: {
    message: { type: 'string' },
    data: { type: 'object' },
    routes: { type: 'array', items: { type: 'string', 'x-nullable': true } },
    channels: { type: 'array', items: { type: 'string', 'x-nullable': true } },
  },
  additionalProperties: false,
};

const notify: JsonObject = {
  type: 'object',
  properties: {
    'on-complete': notificationProperty,
    'on-failure': notificationProperty,
    'on-success': notificationProperty,
  },
  additionalProperties: false,
};

const status: JsonObject = { type: 'string', enum: [...ALL_STATUSES] };

export const EXECUTION_REQUEST: JsonObject = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    status,
    start_timestamp: { type: 'string', pattern: TIMESTAMP_PATTERN },
    end_timestamp: { type: 'string', pattern: TIMESTAMP_PATTERN },
    action: { type: 'string' },
    action_is_workflow: { type: 'boolean' },
    parameters: { type: 'object' },
    result: { type: 'object' },
    context: { type: 'object' },
    callback: { type: 'object' },
    runner_info: { type: 'object' },
    notify,
    delay: { type: 'integer' },
    user: { type: 'string', 'x-nullable': true, default: '' },
  },
  required: ['action'],
};

export const EXECUTION_UPDATE_REQUEST: JsonObject = {
  type: 'object',
  properties: { status, result: { type: 'object' } },
  additionalProperties: false,
};

export const RE_RUN_REQUEST: JsonObject = {
  type: 'object',
  properties: {
    parameters: { type: 'object', default: {} },
    tasks: { type: 'array', items: { type: 'string' }, default: [] },
    reset: { type: 'array', items: { type: 'string' }, default: [] },
    user: { type: 'string', default: '' },
    delay: { type: 'integer' },
  },
};

export const ACTION_REQUEST: JsonObject = {
  type: 'object',
  required: ['name', 'runner_type'],
  properties: {
    id: { type: 'string' },
    ref: { type: 'string' },
    uid: { type: 'string' },
    name: { type: 'string' },
    description: { type: 'string' },
    enabled: { type: 'boolean', default: true },
    runner_type: { type: 'string' },
    entry_point: { type: 'string', default: '' },
    pack: { type: 'string' },
    parameters: { type: 'object', default: {} },
    output_schema: { type: 'object' },
    tags: { type: 'array', items: { type: 'object' } },
    notify,
    data_files: { type: 'array' },
  },
};
