/**
 * One action's run: its final parameters, its output sink, the credential it calls the API with,
 * and the runner's answer (or StackStorm's failure when there is no runner to give one).
 */
import { mergeParameterSpecs, secretParameterValues } from '../../domain/masking.ts';
import { WORKFLOW_RUNNERS } from '../../domain/status.ts';
import type { Action, ExecutionRecord, RunnerType } from '../../domain/types.ts';
import type { Runner, RunnerResult } from '../../runners/runner.ts';
import type { EventBus } from '../events.ts';
import { renderFinalParameters } from '../parameters/index.ts';
import type { OutputWriter } from './output-writer.ts';
import { failure } from './run-outcome.ts';

/** A credential an action gets for the API, revoked when the action is over. */
export interface ActionToken {
  token: string;
  revoke(): Promise<void>;
}

export interface RunActionDeps {
  runners: ReadonlyMap<string, Runner>;
  output: OutputWriter;
  bus: EventBus;
  actionToken?: ((user: string) => Promise<ActionToken>) | undefined;
  onError: (error: unknown, context: string) => void;
  /** `ST2_ACTION_API_URL`. */
  apiUrl: string;
  packPath(pack: string): Promise<string | undefined>;
}

export interface ActionRun {
  record: ExecutionRecord;
  action: Action;
  runnerType: RunnerType;
  /** Aborted on cancel or shutdown. */
  signal: AbortSignal;
}

export async function runAction(deps: RunActionDeps, run: ActionRun): Promise<RunnerResult> {
  const { record, action, runnerType, signal } = run;
  // Canceled between claim and start: nothing was started, so nothing needs stopping.
  if (signal.aborted) return { status: signal.reason === 'cancel' ? 'canceled' : 'abandoned', result: {} };
  if (!runnerType.enabled)
    return failure(`Runner "${runnerType.name}" has been disabled by the administrator.`);
  const runner = deps.runners.get(runnerType.name);
  if (!runner) {
    return failure(
      `Runner "${runnerType.name}" is not available in Squall yet; action "${action.ref}" cannot run.`,
    );
  }
  try {
    const { runnerParameters, actionParameters } = renderFinalParameters({
      action,
      runner: runnerType,
      live: record.parameters,
      context: record.context,
    });
    const packPath = await deps.packPath(action.pack);
    const output = deps.output.sinkFor({
      executionId: record.id,
      actionRef: record.actionRef,
      runnerRef: record.runnerName,
      secrets: secretParameterValues(
        record.parameters,
        mergeParameterSpecs(action.parameters, runnerType.runner_parameters),
      ),
    });
    // Workflows run no code of their own: only their tasks' actions call the API.
    const token =
      deps.actionToken && record.user && !WORKFLOW_RUNNERS.has(runnerType.name)
        ? await deps.actionToken(record.user)
        : undefined;
    try {
      return await runner.run(runnerParameters, actionParameters, {
        executionId: record.id,
        liveactionId: record.liveactionId,
        action,
        packPath,
        signal,
        output,
        env: {
          ST2_ACTION_PACK_NAME: action.pack,
          ST2_ACTION_EXECUTION_ID: record.id,
          ST2_ACTION_API_URL: deps.apiUrl,
          ...(token === undefined ? {} : { ST2_ACTION_AUTH_TOKEN: token.token }),
        },
        announce: (route, payload) =>
          deps.bus.emit({ type: 'announcement', route, payload, user: record.user }),
      });
    } finally {
      // Only for this run: revoked, it is worthless to whatever the action left behind.
      await token?.revoke().catch((error: unknown) => deps.onError(error, 'revoking an action token'));
    }
  } catch (error) {
    return failure(error instanceof Error ? error.message : String(error), error);
  }
}
