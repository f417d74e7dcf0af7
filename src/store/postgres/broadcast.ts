/**
 * LISTEN/NOTIFY between the processes sharing one schema. Sending goes through the store's pool,
 * one statement per call and one call at a time, so a process's messages arrive in the order it
 * sent them. Listening needs a connection of its own, kept for the process's lifetime: when it
 * breaks (server restart, terminated backend, network) it is replaced, LISTEN issued again, and
 * the owner told, so it can read what it may have missed.
 */
import { createHash } from 'node:crypto';
import pg, { type Pool } from 'pg';
import type { Broadcast, BroadcastMessage, BroadcastTopic } from '../store.ts';

/** PostgreSQL refuses payloads of 8000 bytes or more; a little room is left for safety. */
const MAX_MESSAGE_BYTES = 7900;
const MAX_RETRY_DELAY_MS = 2000;

/**
 * Channels are database-wide, schemas are not: a topic's channel is named after the schema too, so
 * that Squalls in different schemas of one database never hear each other. Identifiers stop at 63
 * bytes.
 */
export function channelFor(schema: string, topic: BroadcastTopic): string {
  const name = `squall_${topic}_${schema}`;
  if (name.length <= 63) return name;
  return `squall_${topic}_${createHash('sha256').update(schema).digest('hex').slice(0, 40)}`;
}

export class PostgresBroadcast implements Broadcast {
  readonly maxMessageBytes = MAX_MESSAGE_BYTES;
  readonly #pool: Pool;
  readonly #url: string;
  readonly #schema: string;
  /** Channel → topic, for the topics listened to. */
  readonly #listening = new Map<string, BroadcastTopic>();
  #sending: Promise<unknown> = Promise.resolve();
  #client: pg.Client | undefined;
  #handlers: { onMessage(message: string): void; onReconnect(): void } | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(pool: Pool, url: string, schema: string) {
    this.#pool = pool;
    this.#url = url;
    this.#schema = schema;
  }

  send(messages: readonly BroadcastMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    const channels = messages.map((m) => channelFor(this.#schema, m.topic));
    const texts = messages.map((m) => m.text);
    const sent = this.#sending.then(
      async () => {
        // One statement: the notifications go out in array order when it commits.
        await this.#pool.query('SELECT pg_notify(c, m) FROM unnest($1::text[], $2::text[]) AS t (c, m)', [
          channels,
          texts,
        ]);
      },
      () => undefined,
    );
    this.#sending = sent.catch(() => undefined);
    return sent;
  }

  async listen(
    topics: readonly BroadcastTopic[],
    handlers: { onMessage(message: string): void; onReconnect(): void },
  ): Promise<void> {
    for (const topic of topics) this.#listening.set(channelFor(this.#schema, topic), topic);
    this.#handlers = handlers;
    await this.#connect();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await this.#sending;
    await client?.end().catch(() => undefined);
  }

  async #connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url, application_name: 'squall' });
    client.on('notification', (message) => {
      if (this.#listening.has(message.channel) && message.payload !== undefined) {
        this.#handlers?.onMessage(message.payload);
      }
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      for (const channel of this.#listening.keys()) await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.#closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.#client = client;
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client || this.#closed) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
    this.#reconnect(100);
  }

  #reconnect(delayMs: number): void {
    this.#retry = setTimeout(() => {
      this.#connect().then(
        () => {
          if (!this.#closed) this.#handlers?.onReconnect();
        },
        () => {
          if (!this.#closed) this.#reconnect(Math.min(delayMs * 2, MAX_RETRY_DELAY_MS));
        },
      );
    }, delayMs);
    this.#retry.unref();
  }
}
