/**
 * What a backend hands the contract suite, and the per-test lifecycle. Every test gets a fresh,
 * empty database.
 */
import { afterEach, beforeEach } from 'vitest';
import type { Store } from '../store.ts';

export interface OpenedStore {
  store: Store;
  /** Opens another, independent Store on the same database, as a second process would. */
  connectAgain: () => Promise<Store>;
  /** Records a schema version newer than this code knows, so that the next open must refuse. */
  pretendNewerSchema: () => Promise<void>;
  /** Closes every store opened for this test and removes the database. */
  cleanup: () => Promise<void>;
}

export type OpenStore = () => Promise<OpenedStore>;

/** Opens a fresh store before each test of the enclosing describe and cleans up after it. */
export function useStore(open: OpenStore): () => OpenedStore {
  let opened: OpenedStore | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    await opened?.cleanup();
    opened = undefined;
  });
  return () => {
    if (!opened) throw new Error('The store is only open inside a test');
    return opened;
  };
}

/** Ids of records, for compact assertions on membership and order. */
export function idsOf(records: readonly { id: string }[]): string[] {
  return records.map((r) => r.id);
}

/** A 24-hex id whose order is obvious: hexId(1) < hexId(2) < … */
export function hexId(n: number): string {
  return n.toString(16).padStart(24, '0');
}
