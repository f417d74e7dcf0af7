import pg from 'pg';
const c = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
await c.connect();
const N = 5000;
for (const round of [1, 2]) for (const [label, cfg] of [
  ['named array', { name: 'x1', text: 'SELECT $1::text, 2::bigint, now()', rowMode: 'array' }],
  ['unnamed array', { text: 'SELECT $1::text, 2::bigint, now()', rowMode: 'array' }],
  ['simple', { text: 'SELECT 1' }],
] as const) {
  const t = performance.now(); const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i++) await c.query({ ...cfg, ...(label === 'simple' ? {} : { values: ['a'] }) } as pg.QueryConfig);
  const cpu = process.cpuUsage(cpu0);
  if (round === 2) console.log(label, ((performance.now() - t) * 1000 / N).toFixed(0), 'µs wall', ((cpu.user + cpu.system) / N).toFixed(0), 'µs cpu', (cpu.system / N).toFixed(0), 'sys');
}
await c.end();
