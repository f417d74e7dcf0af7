/**
 * The `orquesta` and `action-chain` runners as the dispatcher sees them: asynchronous, like
 * StackStorm's orquesta runner — they start the workflow and return `running`; the workflow
 * service records the execution's outcome when the workflow completes.
 */
import type { Runner } from '../../runners/runner.ts';

export function createWorkflowRunners(start: (executionId: string) => Promise<void>): Map<string, Runner> {
  const runner: Runner = {
    async run(_runnerParameters, _actionParameters, ctx) {
      await start(ctx.executionId);
      return { status: 'running', result: {} };
    },
  };
  return new Map([
    ['orquesta', runner],
    ['action-chain', runner],
  ]);
}
