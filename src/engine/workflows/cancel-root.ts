/**
 * StackStorm cascades an Orquesta sub-workflow's cancel up to the root execution unless the root
 * is already canceling or canceled (st2 services/workflows.py request_cancellation); the root's
 * own cancel then cascades down to its other children, as any workflow's does.
 */
import { isCancelable } from '../../domain/status.ts';
import type { ExecutionRecord } from '../../domain/types.ts';
import type { Store } from '../../store/store.ts';
import type { ExecutionControl } from '../executions/control.ts';

export async function cancelRoot(
  deps: { store: Store; control: ExecutionControl },
  record: ExecutionRecord,
): Promise<void> {
  let root: ExecutionRecord | undefined = record;
  while (root?.parentId) root = await deps.store.getExecution(root.parentId);
  if (!root || root.id === record.id || !isCancelable(root.status) || root.status === 'canceling') return;
  // StackStorm asks with no user; the one who canceled the sub-workflow is the closest we have.
  const by = record.context['cancelled_by'];
  await deps.control.cancel(root, typeof by === 'string' ? by : (record.user ?? 'stanley'));
}
