/** Durability across connections and the guard against a database migrated by newer code. */
import { describe, expect, it } from 'vitest';
import { SchemaTooNewError } from '../schema-too-new-error.ts';
import { makeAction, makeExecution } from './fixtures.ts';
import { useStore, type OpenStore } from './harness.contract.ts';

export function schemaContract(open: OpenStore): void {
  describe('schema', () => {
    const ctx = useStore(open);

    it('shows what one connection wrote to another', async () => {
      const { store, connectAgain } = ctx();
      const record = makeExecution();
      await store.createExecution(record, { json: '{"a":1}', size: 7 });
      const stored = await store.saveAction(makeAction());
      const other = await connectAgain();
      expect(await other.getExecution(record.id)).toEqual({ ...record, resultSize: 7 });
      expect(await other.getResults([record.id])).toEqual(new Map([[record.id, '{"a":1}']]));
      expect(await other.getAction('core.local')).toEqual(stored);
    });

    it('refuses to open a database migrated by a newer version', async () => {
      const { store, connectAgain, pretendNewerSchema } = ctx();
      await store.createExecution(makeExecution());
      await pretendNewerSchema();
      await expect(connectAgain()).rejects.toBeInstanceOf(SchemaTooNewError);
    });
  });
}
