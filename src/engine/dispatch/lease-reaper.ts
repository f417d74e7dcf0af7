/**
 * Ends the executions of workers that stopped renewing their leases (killed, hung, cut off from the
 * database): what never started goes back to the queue, what was running ends `abandoned` (its
 * outcome is unknown: StackStorm's meaning of the status), a cancel in progress ends `canceled`.
 * Every process sharing the database runs one; the store makes sure each expired lease is ended
 * by exactly one of them. A process never reaps its own leases: it is alive, so it renews them.
 * The leases of a process of this machine that is gone end at once, expired or not.
 */
import { nowMicros } from '../../domain/time.ts';
import type { Store } from '../../store/store.ts';
import type { EventBus } from '../events.ts';
import { serializeResult } from '../executions/result.ts';

const BATCH = 100;

export const LEASE_EXPIRED_RESULT = serializeResult({
  error:
    'The worker running this action stopped renewing its lease (it was stopped, killed or cut off from ' +
    'the database); the outcome of the action is unknown.',
});

export interface LeaseReaperOptions {
  intervalMs: number;
  /** This process's owner id: its own leases are left alone. */
  owner: string;
  /** Owners known dead (a crashed process of this machine): their leases end before expiry. */
  deadOwner?: ((owner: string) => boolean) | undefined;
  onError: (error: unknown) => void;
}

export class LeaseReaper {
  readonly #store: Store;
  readonly #bus: EventBus;
  readonly #options: LeaseReaperOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(store: Store, bus: EventBus, options: LeaseReaperOptions) {
    this.#store = store;
    this.#bus = bus;
    this.#options = options;
  }

  start(): void {
    this.#timer = setInterval(() => this.#pass(), this.#options.intervalMs);
    this.#timer.unref();
    this.#pass();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One pass: ends every lease expired by now; how many executions it changed. */
  async reap(): Promise<number> {
    const { deadOwner } = this.#options;
    const dead = deadOwner ? (await this.#store.leaseOwners()).filter(deadOwner) : [];
    let total = 0;
    for (;;) {
      const changed = await this.#store.expireLeases(
        nowMicros(),
        BATCH,
        LEASE_EXPIRED_RESULT,
        this.#options.owner,
        dead,
      );
      for (const record of changed) this.#bus.emit({ type: 'execution.updated', record });
      total += changed.length;
      if (changed.length < BATCH) return total;
    }
  }

  #pass(): void {
    if (this.#running) return;
    this.#running = this.reap()
      .then(
        () => undefined,
        (error: unknown) => this.#options.onError(error),
      )
      .finally(() => {
        this.#running = undefined;
      });
  }
}
