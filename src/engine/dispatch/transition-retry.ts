/**
 * A worker's status changes must outlive a database blip (a restart, a dropped connection): giving
 * up would leave a finished action looking as if it still ran until its lease ran out. So a failed
 * change is retried, for as long as the lease would last.
 */
import type { ExecutionRecord } from '../../domain/types.ts';
import type { Store, Transition } from '../../store/store.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The store's `transition`, retried on errors for up to `forMs`; then the last error is thrown. */
export async function transitionRetrying(
  store: Store,
  change: Transition,
  forMs: number,
): Promise<ExecutionRecord | undefined> {
  const deadline = Date.now() + forMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const record = await store.transition(change);
      // A connection lost after the commit but before the answer: the change was made, so the
      // retry finds the status moved on. The log entry with this change's time tells it apart
      // from somebody else's change.
      if (!record && attempt > 0) return await madeEarlier(store, change);
      return record;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await sleep(Math.min(50 * 2 ** attempt, 1000));
    }
  }
}

async function madeEarlier(store: Store, change: Transition): Promise<ExecutionRecord | undefined> {
  const current = await store.getExecution(change.id);
  const last = current?.log.at(-1);
  return current?.status === change.to && last?.status === change.to && last.timestamp === change.at
    ? current
    : undefined;
}
