/**
 * Startup recovery for the embedded (single-process) store: whatever this store says was in
 * flight belonged to a process that is gone. Work that never started goes back to the queue;
 * work that was running ends `abandoned` — never left `running` forever.
 */
import { WORKFLOW_RUNNERS } from '../domain/status.ts';
import { nowMicros } from '../domain/time.ts';
import type { ExecutionRecord } from '../domain/types.ts';
import type { Store } from '../store/store.ts';
import { serializeResult } from './executions/result.ts';
import { cancelCompleted } from './executions/transitions.ts';

export interface RecoveryReport {
  requeued: number;
  abandoned: number;
  canceled: number;
}

export async function recoverInterrupted(
  store: Store,
  onUpdate: (record: ExecutionRecord) => void,
): Promise<RecoveryReport> {
  const report: RecoveryReport = { requeued: 0, abandoned: 0, canceled: 0 };
  for (const record of await store.listByStatus(['scheduled', 'running', 'canceling'])) {
    // A started workflow is not a process that died with us: it continues (workflows/workflow-recovery.ts).
    if (WORKFLOW_RUNNERS.has(record.runnerName) && record.status !== 'scheduled') continue;
    const at = nowMicros();
    let updated: ExecutionRecord | undefined;
    if (record.status === 'scheduled') {
      updated = await store.transition({
        id: record.id,
        from: ['scheduled'],
        to: 'requested',
        at,
        owner: null,
      });
      if (updated) report.requeued++;
    } else if (record.status === 'running') {
      const result = serializeResult({
        error: 'Squall stopped while this action was running; its outcome is unknown.',
      });
      updated = await store.transition({
        id: record.id,
        from: ['running'],
        to: 'abandoned',
        at,
        endTimestamp: at,
        result,
        owner: null,
      });
      if (updated) report.abandoned++;
    } else {
      updated = await store.transition(cancelCompleted(record.id, at));
      if (updated) report.canceled++;
    }
    if (updated) onUpdate(updated);
  }
  return report;
}
