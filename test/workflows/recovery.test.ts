/**
 * Recovery at the exact points a crash can hit, which a SIGKILL from outside cannot aim at: the
 * first process freezes (every store call hangs, as if it died) right after saving a step, before
 * carrying it out; a second process on the same database continues the workflow from what was saved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../src/domain/types.ts';
import { registerPacks } from '../../src/engine/catalog/pack-loader.ts';
import { Engine } from '../../src/engine/engine.ts';
import { RUNNER_TYPES } from '../../src/runners/catalog.ts';
import { createRunners } from '../../src/runners/registry.ts';
import { BUILTIN_PACKS } from '../../src/server.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import type { Store } from '../../src/store/store.ts';
import { EXAMPLE_PACKS } from './workflow-helpers.ts';

const dirs: string[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A store that, once `freezeWhen` matches a call, never answers again: the process "died" there. */
function freezing(
  store: Store,
  freezeWhen: (method: string, args: unknown[]) => boolean,
): {
  store: Store;
  frozen: () => boolean;
} {
  let frozen = false;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!frozen && freezeWhen(String(prop), args)) frozen = true;
        if (frozen) return new Promise(() => undefined);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, frozen: () => frozen };
}

async function engineOn(store: Store): Promise<Engine> {
  const engine = await Engine.create(
    { store, runnerTypes: RUNNER_TYPES, runners: createRunners({ baseEnv: process.env }) },
    { runnerPoolSize: 8, owner: 'test', apiUrl: 'http://127.0.0.1:9/api/v1', onError: () => undefined },
  );
  await registerPacks(store, [BUILTIN_PACKS, EXAMPLE_PACKS], (name) => engine.runnerTypes.byNameOrId(name));
  return engine;
}

async function until<T>(probe: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const taskOf = (r: ExecutionRecord): unknown =>
  (r.context['orquesta'] as { task_name?: unknown } | undefined)?.task_name ??
  (r.context['chain'] as { name?: unknown } | undefined)?.name;

describe('workflow recovery', () => {
  it.each([
    [
      'an Orquesta workflow',
      'before the next task is created',
      'examples.orquesta-sequential',
      'createExecution',
    ],
    [
      'an Orquesta workflow',
      'before the completion is recorded',
      'examples.orquesta-sequential',
      'transition',
    ],
    ['an ActionChain', 'before the next task is created', 'examples.chain-sequential', 'createExecution'],
    ['an ActionChain', 'before the completion is recorded', 'examples.chain-sequential', 'transition'],
  ])('continues %s from the saved state when the process dies %s', async (_kind, _title, action, where) => {
    const dir = mkdtempSync(join(tmpdir(), 'squall-wf-recovery-'));
    dirs.push(dir);
    const path = join(dir, 'squall.db');
    const first = openSqliteStore({ path });
    // Freeze on creating task2's child, or on recording the workflow's own success.
    const { store, frozen } = freezing(first, (method, args) => {
      const record = args[0] as (ExecutionRecord & { to?: string }) | undefined;
      if (method !== where || !record) return false;
      if (where === 'createExecution') return taskOf(record) === 'task2';
      return record.to === 'succeeded' && record.id === workflowId;
    });
    let workflowId = '';
    const dead = await engineOn(store);
    await dead.start();
    const created = await dead.createExecution(
      { action, parameters: { name: 'Ada' } },
      { requester: 'stanley' },
    );
    workflowId = created.id;
    await until(async () => frozen(), Boolean);

    const second = openSqliteStore({ path });
    const engine = await engineOn(second);
    cleanups.push(async () => {
      await engine.shutdown(1000);
      await second.close();
    });
    await engine.start();
    const done = await until(
      () => engine.getExecution(created.id),
      (r) => r.status === 'succeeded',
    );
    expect(done.status).toBe('succeeded');
    const result = JSON.parse((await engine.getResults([created.id])).get(created.id) ?? '{}') as {
      output?: unknown;
      published?: unknown;
    };
    expect(result.output ?? result.published).toEqual({ greeting: 'Ada, All your base are belong to us!' });
    const children = await engine.descendants(created.id, 1);
    expect(children.map(taskOf)).toEqual(['task1', 'task2', 'task3']);
    expect(children.every((c) => c.status === 'succeeded')).toBe(true);
  });
});
