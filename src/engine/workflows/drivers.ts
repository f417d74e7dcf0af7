/** The evaluator behind each kind of workflow. */
import type { WorkflowKind } from '../../store/store.ts';
import { chainDriver } from './chain-driver.ts';
import { orquestaDriver } from './orquesta-driver.ts';
import type { WorkflowDriver } from './types.ts';

export function driverFor(kind: WorkflowKind): WorkflowDriver {
  return kind === 'orquesta' ? orquestaDriver : chainDriver;
}
