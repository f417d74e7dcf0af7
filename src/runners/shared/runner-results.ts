/** Result shapes every runner shares. */
import type { ExecutionStatus } from '../../domain/status.ts';
import type { RunnerResult } from '../runner.ts';

/** A cancel ends as `canceled`; any other abort (shutdown) leaves the work `abandoned`. */
export function abortStatus(reason: unknown): ExecutionStatus {
  return reason === 'cancel' ? 'canceled' : 'abandoned';
}

/** How StackStorm reports a runner that could not run: `{error, traceback}`, status `failed`. */
export function errorResult(error: Error): RunnerResult {
  return {
    status: 'failed',
    result: { error: error.message, traceback: error.stack ?? '' },
  };
}
