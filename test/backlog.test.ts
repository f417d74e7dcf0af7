/**
 * The backlog lives in the store and never stalls: 20,000 noop executions queued at once all
 * reach `succeeded`. (Drain rate against steady state is measured by `npm run bench`.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from './helpers/squall.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startTestSquall({ runnerPoolSize: 8 });
});
afterAll(async () => {
  await squall.close();
});

const TOTAL = 20_000;

async function count(query: string): Promise<number> {
  return Number(
    (await squall.api(`/api/v1/executions?limit=1&include_attributes=id&${query}`)).headers.get(
      'x-total-count',
    ),
  );
}

describe('a backlog of 20,000 executions', () => {
  it('drains completely', { timeout: 240_000 }, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < TOTAL) {
          next++;
          const res = await squall.api('/api/v1/executions', {
            method: 'POST',
            json: { action: 'core.noop' },
          });
          expect(res.status).toBe(201);
          await res.arrayBuffer();
        }
      }),
    );
    const deadline = Date.now() + 180_000;
    while ((await count('status=succeeded')) < TOTAL) {
      if (Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await count('status=succeeded')).toBe(TOTAL);
    for (const status of ['requested', 'scheduled', 'running', 'delayed', 'failed', 'abandoned']) {
      expect(await count(`status=${status}`), status).toBe(0);
    }
  });
});
