/**
 * The floors the benchmark compares Squall against, measured in the same run on the same machine.
 */
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';

/**
 * A bare SQLite insert + three updates per execution (the minimum writes of a
 * requested → scheduled → running → succeeded lifecycle), same pragmas as Squall's store.
 */
export function bareSqliteRate(path: string, count: number): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS e (id TEXT PRIMARY KEY, status TEXT NOT NULL, result TEXT)');
  const insert = db.prepare('INSERT INTO e (id, status) VALUES (?, ?)');
  const update = db.prepare('UPDATE e SET status = ?, result = ? WHERE id = ?');
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const id = `bench-${i}`;
    insert.run(id, 'requested');
    update.run('scheduled', null, id);
    update.run('running', null, id);
    update.run('succeeded', '{"failed":false,"succeeded":true,"return_code":0}', id);
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return count / seconds;
}

function spawnTrue(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/true', [], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.resume();
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => resolve());
  });
}

/** Spawns of /bin/true with output captured, `concurrency` at a time. */
export async function bareSpawnRate(count: number, concurrency: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        await spawnTrue();
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}
