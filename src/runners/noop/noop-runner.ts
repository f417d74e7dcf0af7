/** `noop`: succeeds without doing anything (spec §7.6); useful as a placeholder and in tests. */
import type { Runner, RunnerResult } from '../runner.ts';

export function createNoopRunner(): Runner {
  return {
    run(): Promise<RunnerResult> {
      return Promise.resolve({
        status: 'succeeded',
        result: { failed: false, succeeded: true, return_code: 0 },
      });
    },
  };
}
