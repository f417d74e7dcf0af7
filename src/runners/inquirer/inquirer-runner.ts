/**
 * `inquirer` (spec §7.8): asks a question and waits. The run ends at once in `pending` with the
 * inquiry in its result (`schema`, `roles`, `users`, `route`, `ttl`); the execution stays pending
 * until someone answers through `/api/v1/inquiries` or its TTL runs out (src/engine/inquiries).
 *
 * StackStorm also dispatches the `core.st2.generic.inquiry` trigger here, for rules that notify
 * people; Squall has no rules engine yet, so clients find pending inquiries by listing them.
 */
import type { Json, JsonObject } from '../../domain/types.ts';
import { inquirer } from '../metadata/builtin.ts';
import type { Runner, RunnerResult } from '../runner.ts';

const isObject = (v: Json | undefined): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// The engine applies the runner type's defaults before a run; these only guard a caller that did not.
const DEFAULT_SCHEMA = inquirer.runner_parameters['schema']?.default;
const DEFAULT_TTL_MINUTES = 1440;

const asList = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);

export function createInquirerRunner(): Runner {
  return {
    run(runnerParameters: JsonObject): Promise<RunnerResult> {
      const { schema, roles, users, route, ttl } = runnerParameters;
      return Promise.resolve({
        status: 'pending',
        result: {
          schema: isObject(schema) ? schema : isObject(DEFAULT_SCHEMA) ? DEFAULT_SCHEMA : {},
          roles: asList(roles),
          users: asList(users),
          route: typeof route === 'string' ? route : '',
          ttl: typeof ttl === 'number' ? ttl : DEFAULT_TTL_MINUTES,
        },
      });
    },
  };
}
