/**
 * `st2kv()` in Orquesta workflows, as StackStorm's integration tests use it (examples
 * `orquesta-st2kv` and `orquesta-st2kv-default`): system and user items, decryption, a missing
 * key's error, and a default.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSquall } from '../helpers/squall.ts';
import { runToEnd, startWorkflowSquall } from './workflow-helpers.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startWorkflowSquall();
  const put = async (name: string, body: Record<string, unknown>): Promise<void> => {
    const res = await squall.api(`/api/v1/keys/${name}`, { method: 'PUT', json: { name, ...body } });
    expect(res.status).toBe(200);
  };
  await put('matt', { value: 'stone-cold', secret: true });
  await put('plain', { value: 'in-the-clear' });
  await put('mine', { value: 'only-for-stanley', scope: 'st2kv.user' });
});
afterAll(async () => {
  await squall.close();
});

describe('st2kv() in workflows', () => {
  it('reads a system item, decrypted when asked', async () => {
    const doc = await runToEnd(squall, 'examples.orquesta-st2kv', { key_name: 'system.matt', decrypt: true });
    expect(doc['status']).toBe('succeeded');
    expect(doc['result']).toEqual({ output: { value: 'stone-cold' } });
    const plain = await runToEnd(squall, 'examples.orquesta-st2kv', { key_name: 'system.plain' });
    expect(plain['result']).toEqual({ output: { value: 'in-the-clear' } });
  });

  it("reads the workflow user's own items without a prefix", async () => {
    const doc = await runToEnd(squall, 'examples.orquesta-st2kv', { key_name: 'mine' });
    expect(doc['result']).toEqual({ output: { value: 'only-for-stanley' } });
  });

  it('fails with StackStorm’s message for a missing key, unless a default is given', async () => {
    const missing = await runToEnd(squall, 'examples.orquesta-st2kv', { key_name: 'system.nobody' });
    expect(missing['status']).toBe('failed');
    const errors = (missing['result'] as { errors: { message: string }[] }).errors;
    expect(errors[0]?.message).toContain('The key "nobody" does not exist in the StackStorm datastore.');
    const defaulted = await runToEnd(squall, 'examples.orquesta-st2kv-default', {
      key_name: 'system.nobody',
      default: 'stone',
    });
    expect(defaulted['status']).toBe('succeeded');
    expect(defaulted['result']).toEqual({ output: { value: 'stone' } });
  });
});
