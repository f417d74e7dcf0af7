/**
 * Startup recovery of workflows: every unfinished workflow continues from its saved document.
 * Children that finished (or were marked `abandoned` by the execution recovery) while no process
 * listened are fed to their workflow, once each; children the document requested but that were
 * never created are created; a completion that was saved but not recorded is recorded; control
 * requests recorded on the execution are applied again. Workflow executions that were running
 * but never saved a first step start now.
 */
import { isCompleted, WORKFLOW_RUNNERS } from '../../domain/status.ts';
import type { Store } from '../../store/store.ts';
import { childrenOf } from './children.ts';
import type { WorkflowDoc } from './types.ts';
import { driverFor } from './drivers.ts';
import type { WorkflowService } from './workflow-service.ts';

export interface WorkflowRecoveryReport {
  resumed: number;
  started: number;
}

export async function recoverWorkflows(
  store: Store,
  service: WorkflowService,
): Promise<WorkflowRecoveryReport> {
  const report: WorkflowRecoveryReport = { resumed: 0, started: 0 };
  for (const record of await store.listUnfinishedWorkflows()) {
    const execution = await store.getExecution(record.executionId);
    if (!execution) continue;
    service.track(record);
    const doc = JSON.parse(record.state) as WorkflowDoc;
    report.resumed++;
    if (doc.completion) {
      await service.finishSaved(record.id);
      continue;
    }
    const driver = driverFor(doc.kind);
    const applied = new Set(doc.applied);
    const children = (await childrenOf(store, execution.id)).filter((c) => !applied.has(c.id));
    const existing = new Set(children.map((c) => driver.refOf(c)));
    const missing = Object.values(doc.pending).filter((c) => !existing.has(c.ref));
    await service.reissue(record.id, missing);
    for (const child of children) {
      if (isCompleted(child.status) || child.status === 'paused' || child.status === 'pending') {
        service.deliver(record.id, { type: 'child', child });
      }
    }
    if (execution.status === 'pausing') service.deliver(record.id, { type: 'pause' });
    if (execution.status === 'resuming') service.deliver(record.id, { type: 'resume' });
    if (execution.status === 'canceling') service.deliver(record.id, { type: 'cancel' });
  }
  for (const execution of await store.listByStatus(['running'])) {
    if (!WORKFLOW_RUNNERS.has(execution.runnerName)) continue;
    if (await store.getWorkflowByExecution(execution.id)) continue;
    report.started++;
    await service.start(execution.id);
  }
  await service.idle();
  return report;
}
