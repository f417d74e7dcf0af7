/**
 * Fans engine events out to stream subscribers as StackStorm's events (spec §11.1): execution and
 * liveaction documents, output records. Each event is turned into JSON once, only if some
 * subscriber wants it, and in order: a serial queue keeps the documents' async loading from
 * reordering them. The queue is bounded; if subscribers' demand outruns it, they are disconnected
 * rather than letting memory grow or the engine wait.
 */
import type { ExecutionRecord, OutputChunk } from '../../domain/types.ts';
import { isCompleted, isStatus } from '../../domain/status.ts';
import { formatTimestamp } from '../../domain/time.ts';
import type { Engine } from '../../engine/engine.ts';
import type { EngineEvent } from '../../engine/events.ts';
import { redactText } from '../../domain/masking.ts';
import { loadExecutionParts, secretValuesFor } from '../execution-loader.ts';
import { executionView, liveactionView } from '../execution-view.ts';

export type StreamEventKind = 'execution' | 'liveaction' | 'output' | 'announcement';

/** A StackStorm stream event, serialized once for every subscriber. */
export interface StreamEvent {
  kind: StreamEventKind;
  /** `st2.execution__update`, `st2.execution.output__create`, … */
  name: string;
  actionRef: string;
  /** The execution the event is about (its `id`, or an output record's `execution_id`). */
  executionId: string;
  /** Set on execution and liveaction events. */
  status?: string;
  /** Who the execution runs as (`context.user`): permission isolation filters on it. */
  user?: string | null;
  /** Set on output events: the stored record's id (increasing) and its stream. */
  outputId?: number;
  outputType?: string;
  /** The `data:` line: compact JSON. */
  data: string;
}

/** What output events need from their execution: secrets to redact, the user to isolate on. */
interface ExecutionInfo {
  secrets: readonly string[];
  user: string | null;
}

export interface Subscriber {
  /** Whether this subscriber may want events of this name (checked before any document is built). */
  wants(name: string): boolean;
  deliver(event: StreamEvent): void;
  /** The hub cannot keep up: the subscriber must go. */
  overflow(reason: string): void;
}

export interface StreamHubOptions {
  webUiBaseUrl: string;
  /** Engine events waiting to be turned into stream events before subscribers are shed. */
  maxQueuedEvents: number;
}

export class StreamHub {
  readonly #engine: Engine;
  readonly #info = new Map<string, ExecutionInfo>();
  readonly #options: StreamHubOptions;
  readonly #subscribers = new Set<Subscriber>();
  #queue: EngineEvent[] = [];
  #draining = false;
  readonly #unsubscribe: () => void;

  constructor(engine: Engine, options: StreamHubOptions) {
    this.#engine = engine;
    this.#options = options;
    this.#unsubscribe = engine.bus.subscribe((event) => this.#accept(event));
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  /** While subscribed, other processes' events are relayed here too (when the store is shared). */
  subscribe(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    const release = this.#engine.bus.holdDemand();
    return () => {
      release();
      this.#subscribers.delete(subscriber);
    };
  }

  close(): void {
    this.#unsubscribe();
    this.#subscribers.clear();
    this.#queue = [];
  }

  /** Execution and liveaction events for one record, as the stream would send them. */
  async executionEvents(record: ExecutionRecord, phase: 'create' | 'update'): Promise<StreamEvent[]> {
    const [parts] = await loadExecutionParts(this.#engine, [record], { fields: undefined });
    if (!parts) return [];
    const base = {
      actionRef: record.actionRef,
      executionId: record.id,
      status: record.status,
      user: record.user,
    };
    return [
      {
        ...base,
        kind: 'execution',
        name: `st2.execution__${phase}`,
        data: JSON.stringify(executionView(parts, { mask: true, webUiBaseUrl: this.#options.webUiBaseUrl })),
      },
      {
        ...base,
        kind: 'liveaction',
        name: `st2.liveaction__${phase}`,
        data: JSON.stringify(liveactionView(parts, { mask: true })),
      },
    ];
  }

  #accept(event: EngineEvent): void {
    if (this.#subscribers.size === 0) return;
    if (this.#queue.length >= this.#options.maxQueuedEvents) {
      for (const subscriber of [...this.#subscribers]) {
        subscriber.overflow('The event stream fell too far behind the engine; reconnect to resume.');
      }
      this.#subscribers.clear();
      this.#queue = [];
      return;
    }
    this.#queue.push(event);
    if (!this.#draining) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        const event = this.#queue.shift();
        if (!event || this.#subscribers.size === 0) continue;
        for (const streamEvent of await this.#translate(event)) {
          for (const subscriber of this.#subscribers) {
            if (subscriber.wants(streamEvent.name)) subscriber.deliver(streamEvent);
          }
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  async #translate(event: EngineEvent): Promise<StreamEvent[]> {
    if (event.type === 'output.appended') {
      if (!this.#anyWants('st2.execution.output__create')) return [];
      // Secret parameter values the action printed are redacted (beyond StackStorm).
      const events: StreamEvent[] = [];
      for (const chunk of event.chunks) {
        const { secrets, user } = await this.#infoOf(chunk.executionId);
        events.push({ ...outputEvent({ ...chunk, data: redactText(chunk.data, secrets) }), user });
      }
      return events;
    }
    if (event.type === 'announcement') {
      const name = `st2.announcement__${event.route}`;
      if (!this.#anyWants(name)) return [];
      // No action and no execution: `action_refs` and `execution_ids` filters drop it (spec §11.1).
      return [
        {
          kind: 'announcement',
          name,
          actionRef: '',
          executionId: '',
          user: event.user,
          data: JSON.stringify(event.payload),
        },
      ];
    }
    const phase = event.type === 'execution.created' ? 'create' : 'update';
    if (!this.#anyWants(`st2.execution__${phase}`) && !this.#anyWants(`st2.liveaction__${phase}`)) return [];
    try {
      return await this.executionEvents(event.record, phase);
    } catch {
      // A document that cannot be built (its execution deleted meanwhile) is skipped, not fatal.
      return [];
    }
  }

  /** Parameters and user never change after creation, so they are looked up once per execution. */
  async #infoOf(executionId: string): Promise<ExecutionInfo> {
    const cached = this.#info.get(executionId);
    if (cached) return cached;
    const record = await this.#engine.findExecution(executionId);
    const info: ExecutionInfo = {
      secrets: record ? await secretValuesFor(this.#engine, record) : [],
      user: record?.user ?? null,
    };
    if (this.#info.size >= 10_000) this.#info.clear();
    this.#info.set(executionId, info);
    return info;
  }

  #anyWants(name: string): boolean {
    for (const subscriber of this.#subscribers) if (subscriber.wants(name)) return true;
    return false;
  }
}

/** An output record as StackStorm streams it (spec §3.3); it has no `status` key, on purpose. */
export function outputEvent(chunk: OutputChunk): StreamEvent {
  return {
    kind: 'output',
    name: 'st2.execution.output__create',
    actionRef: chunk.actionRef,
    executionId: chunk.executionId,
    outputId: chunk.id,
    outputType: chunk.outputType,
    data: JSON.stringify({
      id: String(chunk.id),
      execution_id: chunk.executionId,
      action_ref: chunk.actionRef,
      runner_ref: chunk.runnerRef,
      timestamp: formatTimestamp(chunk.timestamp),
      output_type: chunk.outputType,
      data: chunk.data,
    }),
  };
}

/** Whether a stream event reports an execution reaching a completed status. */
export function isCompletion(event: StreamEvent): boolean {
  return event.status !== undefined && isStatus(event.status) && isCompleted(event.status);
}
