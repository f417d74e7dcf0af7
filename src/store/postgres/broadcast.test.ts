/**
 * LISTEN/NOTIFY between stores on one schema: messages reach every listener in the order sent,
 * stay within their schema, and a listener whose connection is terminated comes back by itself
 * and says so. Skipped, saying so, when PostgreSQL is not reachable.
 */
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broadcast, Store } from '../store.ts';
import { channelFor } from './broadcast.ts';
import { openPostgresStore } from './open-postgres-store.ts';
import {
  displayUrl,
  dropSchema,
  freshSchemaName,
  TEST_DATABASE_URL,
  unreachableReason,
} from './test-database.ts';

const unreachable = await unreachableReason();
if (unreachable) {
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${unreachable}): skipping the broadcast tests`,
  );
}

const opened: Store[] = [];
const schemas: string[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await Promise.all(schemas.splice(0).map((s) => dropSchema(s)));
});

async function open(schema: string, applicationName = 'squall_broadcast_test'): Promise<Broadcast> {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('application_name', applicationName);
  const store = await openPostgresStore({ url: url.toString(), schema, poolSize: 2 });
  opened.push(store);
  const broadcast = await store.openBroadcast();
  if (!broadcast) throw new Error('a PostgreSQL store always has a broadcast');
  return broadcast;
}

function collector() {
  const messages: string[] = [];
  let reconnects = 0;
  const waiters = new Set<() => void>();
  return {
    messages,
    reconnects: () => reconnects,
    handlers: {
      onMessage: (m: string) => {
        messages.push(m);
        for (const w of waiters) w();
      },
      onReconnect: () => {
        reconnects++;
        for (const w of waiters) w();
      },
    },
    async until(predicate: () => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline)
          throw new Error(`timed out; got ${JSON.stringify(messages).slice(0, 500)}`);
        await new Promise<void>((resolve) => {
          waiters.add(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

describe.skipIf(unreachable !== undefined)('PostgresBroadcast', () => {
  it('delivers every message to every listener of the schema, in order, and to no other schema', async () => {
    const schema = freshSchemaName();
    const elsewhere = freshSchemaName();
    schemas.push(schema, elsewhere);
    const [a, b, c] = [await open(schema), await open(schema), await open(elsewhere)];
    const [heardA, heardB, heardC] = [collector(), collector(), collector()];
    await a.listen(['work', 'events'], heardA.handlers);
    await b.listen(['work', 'events'], heardB.handlers);
    await c.listen(['work', 'events'], heardC.handlers);
    const sent = Array.from({ length: 50 }, (_, i) => `message ${i}`);
    const on = (texts: string[]) =>
      texts.map((text, i) => ({ topic: i % 3 === 0 ? ('work' as const) : ('events' as const), text }));
    await Promise.all([
      a.send(on(sent.slice(0, 20))),
      a.send(on(sent.slice(20, 21))),
      a.send(on(sent.slice(21))),
    ]);
    await a.send([{ topic: 'events', text: 'x'.repeat(a.maxMessageBytes) }]);
    await heardB.until(() => heardB.messages.length === 51);
    await heardA.until(() => heardA.messages.length === 51);
    expect(heardB.messages.slice(0, 50)).toEqual(sent);
    expect(heardA.messages.slice(0, 50)).toEqual(sent);
    await c.send([{ topic: 'work', text: 'only here' }]);
    await heardC.until(() => heardC.messages.length === 1);
    expect(heardC.messages).toEqual(['only here']);
    expect(heardB.messages).toHaveLength(51);
  });

  it('delivers only the topics listened to', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const [worker, api] = [await open(schema), await open(schema)];
    const [heardWorker, heardApi] = [collector(), collector()];
    await worker.listen(['work'], heardWorker.handlers);
    await api.listen(['work', 'events'], heardApi.handlers);
    await api.send([
      { topic: 'events', text: 'progress' },
      { topic: 'work', text: 'new' },
    ]);
    await heardApi.until(() => heardApi.messages.length === 2);
    await heardWorker.until(() => heardWorker.messages.length === 1);
    expect(heardApi.messages).toEqual(['progress', 'new']);
    expect(heardWorker.messages).toEqual(['new']);
  });

  it('re-listens by itself after its connection is terminated, and says so', async () => {
    const schema = freshSchemaName();
    schemas.push(schema);
    const appName = `${schema}_app`.slice(0, 63);
    const listener = await open(schema, appName);
    const sender = await open(schema);
    const heard = collector();
    await listener.listen(['work'], heard.handlers);
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      const cut = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [appName],
      );
      expect(cut.rowCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    await heard.until(() => heard.reconnects() === 1);
    await sender.send([{ topic: 'work', text: 'after' }]);
    await heard.until(() => heard.messages.includes('after'));
  });

  it('names channels after the schema, within PostgreSQL’s 63-byte identifiers', () => {
    expect(channelFor('public', 'work')).toBe('squall_work_public');
    const long = channelFor('s'.repeat(63), 'events');
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).not.toBe(channelFor(`${'s'.repeat(62)}t`, 'events'));
    expect(long).not.toBe(channelFor('s'.repeat(63), 'work'));
  });
});
