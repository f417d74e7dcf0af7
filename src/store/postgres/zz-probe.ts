import { openPostgresStore } from './open-postgres-store.ts';
import { dropSchema, freshSchemaName, TEST_DATABASE_URL } from './test-database.ts';
import { makeExecution } from '../contract/fixtures.ts';
const schema = freshSchemaName();
const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema, poolSize: 1 });
const N = 2000;
const recs = Array.from({ length: N }, () => makeExecution({ status: 'scheduled' }));
async function time(label: string, f: (i: number) => Promise<unknown>) {
  const t = performance.now(); const c = process.cpuUsage();
  for (let i = 0; i < N; i++) await f(i);
  const cpu = process.cpuUsage(c);
  console.log(label, ((performance.now() - t) * 1000 / N).toFixed(0), 'µs/op wall', ((cpu.user + cpu.system) / N).toFixed(0), 'µs/op cpu');
}
await time('create', (i) => store.createExecution(recs[i]!));
await time('get', (i) => store.getExecution(recs[i]!.id));
await time('transition plain', (i) => store.transition({ id: recs[i]!.id, from: ['scheduled'], to: 'running', at: 1 }));
await time('transition merge', (i) => store.transition({ id: recs[i]!.id, from: ['running'], to: 'paused', at: 2, runnerInfo: { hostname: 'x', pid: 1 } }));
await time('transition result', (i) => store.transition({ id: recs[i]!.id, from: ['paused'], to: 'succeeded', at: 3, result: { json: '{"a":1}', size: 7 } }));
await time('nextDue', () => store.nextDueAt());
await time('claim empty', () => store.claimDue(10, 64, 'w'));
await store.close();
await dropSchema(schema);
