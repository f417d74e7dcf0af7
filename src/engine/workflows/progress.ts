/**
 * An Orquesta workflow's progress lines, stored as output of the workflow execution with
 * `output_type: "output"` as StackStorm's workflow engine writes them (spec §7.10), and streamed.
 */
import { nowMicros } from '../../domain/time.ts';
import type { ExecutionRecord } from '../../domain/types.ts';
import type { Store } from '../../store/store.ts';
import type { EventBus } from '../events.ts';

export async function writeProgress(
  deps: { store: Store; bus: EventBus },
  execution: ExecutionRecord,
  lines: readonly string[],
): Promise<void> {
  if (lines.length === 0 || execution.runnerName !== 'orquesta') return;
  const timestamp = nowMicros();
  const chunks = lines.map((line) => ({
    executionId: execution.id,
    timestamp,
    outputType: 'output',
    data: `${line}\n`,
  }));
  const ids = await deps.store.appendOutput(chunks);
  deps.bus.emit({
    type: 'output.appended',
    chunks: chunks.map((c, i) => ({
      ...c,
      id: ids[i] ?? 0,
      actionRef: execution.actionRef,
      runnerRef: execution.runnerName,
    })),
  });
}
