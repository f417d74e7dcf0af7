/**
 * Carries engine events between the processes sharing one database, over the store's Broadcast
 * (PostgreSQL NOTIFY). What travels is ids, never documents: a NOTIFY payload stops at 8000 bytes,
 * and a result or an output chunk can be far larger. A receiving process reads the rows it was
 * told about (executions and output chunks by id) and emits them on its own bus as `remote`
 * events, so its stream clients see what every worker does. It does so only while it has stream
 * clients (the bus's remote demand): a worker reads nothing, it only gets the cheap signals.
 *
 * Order: a process sends its messages one after the other, and PostgreSQL delivers one sender's
 * notifications in commit order; a receiver handles them one after the other. So one execution's
 * output (written by the one worker running it) arrives in id order, before that execution's
 * completion. Rows are read after the fact, so a relayed execution event shows the row as it is
 * when read, except for its status, which is the one the event announced.
 *
 * Two topics: `work` carries what workers act on (new executions, requeues, cancels); `events`
 * carries the rest (progress, completions, output), which only processes serving streams listen
 * to, so a worker is not woken by every other worker's progress. A worker still learns that one of
 * its runs was completed or taken away from outside: its lease renewal tells it.
 *
 * Delivery is at most once. After the listening connection was lost and re-established, a
 * catch-up read replays what may have been missed: output stored after the last chunk seen, the
 * executions last seen in flight, and executions created since the last message heard.
 */
import { isCompleted, type ExecutionStatus } from '../../domain/status.ts';
import { nowMicros } from '../../domain/time.ts';
import type { ExecutionRecord, JsonObject, OutputChunk } from '../../domain/types.ts';
import type { Broadcast, BroadcastMessage, BroadcastTopic, Store } from '../../store/store.ts';
import type { EngineEvent, EventBus, EventOrigin } from '../events.ts';

/** What a dispatcher needs to hear from other processes; costs no read. */
export type RelaySignal =
  | { kind: 'execution'; id: string; status: ExecutionStatus; created: boolean; delayed: boolean }
  | { kind: 'reconnected' };

/**
 * Entries: an execution created (`c`) or updated (`u`), an output chunk (`o`), all by id; and an
 * announcement (`a`: route, payload, user), which has no row to read and so travels whole.
 */
type Entry =
  | ['c', string, ExecutionStatus, 0 | 1]
  | ['u', string, ExecutionStatus]
  | ['o', number]
  | ['a', string, JsonObject, string | null];

interface Message {
  o: string;
  e: Entry[];
}

export interface EventRelayOptions {
  /** Tells this process's own messages apart (it hears them too). */
  origin: string;
  /** `work` only for a worker; both for a process serving streams. */
  topics: readonly BroadcastTopic[];
  onSignal(signal: RelaySignal): void;
  onError(error: unknown, context: string): void;
}

const SEND_ATTEMPTS = 5;
/** Executions whose last status is remembered for the catch-up read. */
const TRACKED = 10_000;
const CATCH_UP_PAGE = 500;
const CATCH_UP_PAGES = 20;
/** How far before the last message heard the catch-up looks for new executions. */
const CATCH_UP_MARGIN_MICROS = 10_000_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class EventRelay {
  readonly #store: Store;
  readonly #bus: EventBus;
  readonly #broadcast: Broadcast;
  readonly #options: EventRelayOptions;
  #outbox: Entry[] = [];
  #flushQueued = false;
  #sending: Promise<void> = Promise.resolve();
  /** Work on received messages, done one at a time, in order. */
  #inbox: (() => Promise<void>)[] = [];
  #receiving = false;
  readonly #known = new Map<string, ExecutionStatus>();
  #lastOutputId = 0;
  #lastHeardAt = nowMicros();
  #unsubscribe: (() => void) | undefined;
  #stopped = false;

  constructor(store: Store, bus: EventBus, broadcast: Broadcast, options: EventRelayOptions) {
    this.#store = store;
    this.#bus = bus;
    this.#broadcast = broadcast;
    this.#options = options;
  }

  async start(): Promise<void> {
    this.#unsubscribe = this.#bus.subscribe((event, origin) => this.#observe(event, origin));
    await this.#broadcast.listen(this.#options.topics, {
      onMessage: (message) => this.#receive(message),
      onReconnect: () => this.#reconnected(),
    });
  }

  /** Sends what is still waiting, then stops relaying. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    this.#flush();
    await this.#sending;
  }

  #observe(event: EngineEvent, origin: EventOrigin): void {
    if (event.type === 'output.appended') {
      for (const chunk of event.chunks) this.#lastOutputId = Math.max(this.#lastOutputId, chunk.id);
      if (origin === 'local') for (const chunk of event.chunks) this.#outbox.push(['o', chunk.id]);
    } else if (event.type === 'announcement') {
      if (origin === 'local') this.#outbox.push(['a', event.route, event.payload, event.user]);
    } else {
      const { record } = event;
      this.#remember(record.id, record.status);
      if (origin === 'local') {
        this.#outbox.push(
          event.type === 'execution.created'
            ? ['c', record.id, record.status, record.delay > 0 ? 1 : 0]
            : ['u', record.id, record.status],
        );
      }
    }
    if (origin === 'local' && !this.#flushQueued) {
      this.#flushQueued = true;
      // Everything emitted in this turn of the event loop goes out in as few NOTIFYs as fit.
      setImmediate(() => this.#flush());
    }
  }

  #remember(id: string, status: ExecutionStatus): void {
    this.#known.delete(id);
    this.#known.set(id, status);
    if (this.#known.size > TRACKED) {
      const oldest = this.#known.keys().next();
      if (!oldest.done) this.#known.delete(oldest.value);
    }
  }

  #flush(): void {
    this.#flushQueued = false;
    if (this.#outbox.length === 0) return;
    const messages = pack(this.#options.origin, this.#outbox, this.#broadcast.maxMessageBytes);
    this.#outbox = [];
    this.#sending = this.#sending.then(() => this.#send(messages));
  }

  async #send(messages: BroadcastMessage[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#broadcast.send(messages);
        return;
      } catch (error) {
        // The database is unreachable for a moment: listeners lose nothing they cannot catch up
        // on, but a wake-up sent late beats one never sent.
        if (attempt >= SEND_ATTEMPTS) {
          this.#options.onError(error, 'relaying events to other processes failed');
          return;
        }
        await sleep(100 * 2 ** attempt);
      }
    }
  }

  #receive(text: string): void {
    let message: Message;
    try {
      message = JSON.parse(text) as Message;
    } catch (error) {
      this.#options.onError(error, 'unreadable event message');
      return;
    }
    if (message.o === this.#options.origin || !Array.isArray(message.e)) return;
    this.#lastHeardAt = nowMicros();
    for (const entry of message.e) {
      if (entry[0] === 'o' || entry[0] === 'a') continue;
      this.#options.onSignal({
        kind: 'execution',
        id: entry[1],
        status: entry[2],
        created: entry[0] === 'c',
        delayed: entry[0] === 'c' && entry[3] === 1,
      });
    }
    if (this.#bus.remoteDemanded) this.#enqueue(() => this.#deliver(message.e));
  }

  #reconnected(): void {
    this.#options.onSignal({ kind: 'reconnected' });
    if (this.#bus.remoteDemanded) this.#enqueue(() => this.#catchUp());
  }

  #enqueue(work: () => Promise<void>): void {
    this.#inbox.push(work);
    if (!this.#receiving) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#receiving = true;
    try {
      for (let work = this.#inbox.shift(); work && !this.#stopped; work = this.#inbox.shift()) {
        try {
          await work();
        } catch (error) {
          this.#options.onError(error, 'reading relayed events failed');
        }
      }
    } finally {
      this.#receiving = false;
    }
  }

  /** Reads the rows a message names and emits them in the message's order. */
  async #deliver(entries: readonly Entry[]): Promise<void> {
    const executionIds = new Set<string>();
    const outputIds: number[] = [];
    for (const entry of entries) {
      if (entry[0] === 'o') outputIds.push(entry[1]);
      else if (entry[0] !== 'a') executionIds.add(entry[1]);
    }
    const [records, chunks] = await Promise.all([
      this.#store.getExecutions([...executionIds]),
      this.#store.getOutputChunks(outputIds),
    ]);
    const recordById = new Map(records.map((r) => [r.id, r]));
    const chunkById = new Map(chunks.map((c) => [c.id, c]));
    let pending: OutputChunk[] = [];
    const flushOutput = (): void => {
      if (pending.length > 0) this.#bus.emit({ type: 'output.appended', chunks: pending }, 'remote');
      pending = [];
    };
    for (const entry of entries) {
      if (entry[0] === 'o') {
        const chunk = chunkById.get(entry[1]);
        if (chunk) pending.push(chunk);
        continue;
      }
      flushOutput();
      if (entry[0] === 'a') {
        this.#bus.emit(
          { type: 'announcement', route: entry[1], payload: entry[2], user: entry[3] },
          'remote',
        );
        continue;
      }
      const record = recordById.get(entry[1]);
      if (!record) continue; // deleted meanwhile
      this.#bus.emit(
        {
          type: entry[0] === 'c' ? 'execution.created' : 'execution.updated',
          record: asAnnounced(record, entry[2]),
        },
        'remote',
      );
    }
    flushOutput();
  }

  async #catchUp(): Promise<void> {
    let after = this.#lastOutputId;
    for (let page = 0; page < CATCH_UP_PAGES; page++) {
      const chunks = await this.#store.outputAfter(after, CATCH_UP_PAGE);
      if (chunks.length > 0) this.#bus.emit({ type: 'output.appended', chunks }, 'remote');
      const last = chunks.at(-1);
      if (!last || chunks.length < CATCH_UP_PAGE) break;
      after = last.id;
    }
    const inFlight = [...this.#known].filter(([, status]) => !isCompleted(status)).map(([id]) => id);
    for (let i = 0; i < inFlight.length; i += CATCH_UP_PAGE) {
      for (const record of await this.#store.getExecutions(inFlight.slice(i, i + CATCH_UP_PAGE))) {
        if (this.#known.get(record.id) !== record.status) {
          this.#bus.emit({ type: 'execution.updated', record }, 'remote');
        }
      }
    }
    const since = this.#lastHeardAt - CATCH_UP_MARGIN_MICROS;
    const recent = await this.#store.listExecutions({
      where: [{ field: { kind: 'column', column: 'start_ts' }, op: 'gte', value: since }],
      orderBy: [{ column: 'start_ts', descending: true }],
      limit: 1000,
      offset: 0,
      countTotal: false,
    });
    for (const record of recent.items.reverse()) {
      if (this.#known.has(record.id)) continue;
      this.#bus.emit({ type: 'execution.created', record }, 'remote');
      if (isCompleted(record.status)) this.#bus.emit({ type: 'execution.updated', record }, 'remote');
    }
  }
}

/** The row as read, with the status the event announced (a later one may already be stored). */
function asAnnounced(record: ExecutionRecord, status: ExecutionStatus): ExecutionRecord {
  if (record.status === status) return record;
  return { ...record, status, endTimestamp: isCompleted(status) ? record.endTimestamp : null };
}

/** Workers act on these; everything else only matters to streams. */
const WORK_STATUSES: ReadonlySet<ExecutionStatus> = new Set(['requested', 'delayed', 'canceling']);

export function topicOf(entry: Entry): BroadcastTopic {
  if (entry[0] === 'c') return 'work';
  if (entry[0] === 'a') return 'events';
  return entry[0] === 'u' && WORK_STATUSES.has(entry[2]) ? 'work' : 'events';
}

/**
 * Entries as JSON messages of at most `maxBytes` each, each on its entries' topic; a run of
 * entries of one topic shares messages, and the order is kept.
 */
export function pack(origin: string, entries: readonly Entry[], maxBytes: number): BroadcastMessage[] {
  const head = `{"o":${JSON.stringify(origin)},"e":[`;
  const room = maxBytes - Buffer.byteLength(head) - 2;
  const messages: BroadcastMessage[] = [];
  let parts: string[] = [];
  let size = 0;
  let topic: BroadcastTopic = 'work';
  const close = (): void => {
    if (parts.length > 0) messages.push({ topic, text: `${head}${parts.join(',')}]}` });
    parts = [];
    size = 0;
  };
  for (const entry of entries) {
    const text = JSON.stringify(entry);
    const bytes = Buffer.byteLength(text);
    // Only an announcement can outgrow a message (ids are short): it then stays with the
    // process's own stream clients.
    if (bytes > room) continue;
    const entryTopic = topicOf(entry);
    if (entryTopic !== topic || size + bytes + 1 > room) close();
    topic = entryTopic;
    parts.push(text);
    size += bytes + 1;
  }
  close();
  return messages;
}
