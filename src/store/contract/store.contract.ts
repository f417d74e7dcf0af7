/**
 * The Store contract: every backend runs this same suite (Kysely-style), so the engine can rely on
 * behaviour rather than on a backend. Usage, in a backend's test file:
 *
 *   storeContract('sqlite', async () => ({ store, connectAgain, pretendNewerSchema, cleanup }));
 */
import { describe } from 'vitest';
import { catalogContract } from './catalog.contract.ts';
import { credentialsContract } from './credentials.contract.ts';
import { executionsContract } from './executions.contract.ts';
import type { OpenStore } from './harness.contract.ts';
import { keyValuesContract } from './key-values.contract.ts';
import { leasesContract } from './leases.contract.ts';
import { listExecutionsContract } from './list-executions.contract.ts';
import { outputContract } from './output.contract.ts';
import { queueContract } from './queue.contract.ts';
import { retentionContract } from './retention.contract.ts';
import { schemaContract } from './schema.contract.ts';
import { transitionContract } from './transition.contract.ts';
import { workflowsContract } from './workflows.contract.ts';

export type { OpenedStore, OpenStore } from './harness.contract.ts';

export function storeContract(name: string, open: OpenStore): void {
  describe(`Store contract (${name})`, () => {
    executionsContract(open);
    transitionContract(open);
    listExecutionsContract(open);
    queueContract(open);
    leasesContract(open);
    outputContract(open);
    catalogContract(open);
    schemaContract(open);
    retentionContract(open);
    workflowsContract(open);
    credentialsContract(open);
    keyValuesContract(open);
  });
}
