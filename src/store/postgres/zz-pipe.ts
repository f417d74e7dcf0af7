import pg from 'pg';
const url = 'postgres://postgres@127.0.0.1:5432/test';
const N = 20000;
async function run(label: string, query: (i: number) => Promise<unknown>, concurrency: number) {
  const t = performance.now(); const cpu0 = process.cpuUsage();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => { while (next < N) await query(next++); }));
  const cpu = process.cpuUsage(cpu0); const s = (performance.now() - t) / 1000;
  console.log(label, Math.round(N / s), 'q/s', ((cpu.user + cpu.system) / N).toFixed(0), 'µs cpu/q', (cpu.system / N).toFixed(0), 'sys');
}
const cfg = (i: number) => ({ name: 'q1', text: 'SELECT $1::int + 1', values: [i], rowMode: 'array' as const });
const pool = new pg.Pool({ connectionString: url, max: 10 });
const piped = new pg.Client({ connectionString: url, pipeline: true });
await piped.connect();
const pipedMany = await Promise.all(Array.from({ length: 4 }, async () => { const c = new pg.Client({ connectionString: url, pipeline: true }); await c.connect(); return c; }));
for (const round of [1, 2]) {
  await run(`pool10 r${round}`, (i) => pool.query(cfg(i)), 64);
  await run(`pipe1 r${round}`, (i) => piped.query(cfg(i)), 64);
  await run(`pipe4 r${round}`, (i) => pipedMany[i % 4]!.query(cfg(i)), 64);
}
// writes: autocommit inserts
await pool.query('DROP TABLE IF EXISTS zz_t; CREATE TABLE zz_t (id serial primary key, v int)');
const ins = (i: number) => ({ name: 'ins', text: 'INSERT INTO zz_t (v) VALUES ($1)', values: [i] });
await run('pool10 insert', (i) => pool.query(ins(i)), 64);
await run('pipe1 insert', (i) => piped.query(ins(i)), 64);
await run('pipe4 insert', (i) => pipedMany[i % 4]!.query(ins(i)), 64);
await pool.query('DROP TABLE zz_t');
await pool.end(); await piped.end(); for (const c of pipedMany) await c.end();
