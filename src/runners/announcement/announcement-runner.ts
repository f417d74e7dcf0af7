/**
 * `announcement` (spec §7.7): publishes the action's parameters on the event stream as
 * `st2.announcement__<route>`, for clients (chat bots, dashboards) listening there. StackStorm
 * marks the runner experimental: an action must set `experimental: true` to use it.
 */
import type { RunContext, Runner, RunnerResult } from '../runner.ts';
import { errorResult } from '../shared/runner-results.ts';

const DEFAULT_ROUTE = 'general';

export function createAnnouncementRunner(): Runner {
  return {
    run(runnerParameters, actionParameters, ctx: RunContext): Promise<RunnerResult> {
      if (runnerParameters['experimental'] !== true) {
        return Promise.resolve(
          errorResult(new Error(`Experimental flag is missing for action ${ctx.action.ref}`)),
        );
      }
      const route = typeof runnerParameters['route'] === 'string' ? runnerParameters['route'] : DEFAULT_ROUTE;
      ctx.announce?.(route, actionParameters);
      return Promise.resolve({
        status: 'succeeded',
        result: { output: actionParameters, ...actionParameters },
      });
    },
  };
}
