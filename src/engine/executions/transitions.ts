/** Status changes several parts of the engine make in the same words. */
import type { Transition } from '../../store/store.ts';

/**
 * A cancel whose run is over (or never started) ends `canceled`, releasing its worker. Only from
 * `canceling`: an execution that reached another status meanwhile keeps it.
 */
export function cancelCompleted(id: string, at: number): Transition {
  return { id, from: ['canceling'], to: 'canceled', at, endTimestamp: at, owner: null };
}
