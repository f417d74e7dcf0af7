/**
 * The two races of a workflow's start, made certain by holding the start at a store call until
 * the other party has acted: a cancel while the start is under way, and two re-runs of one
 * original at once (StackStorm refuses a re-run of a workflow that is not completed:
 * st2common/services/workflows.py request_rerun).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/**
 * A store whose calls matching `holdWhen` wait until `release()`; `held` counts them, and
 * `calls` lists every call made after the release (method and first argument).
 */
function holding(store: Store, holdWhen: (method: string, args: unknown[]) => boolean) {
  let open: () => void = () => undefined;
  let released = false;
  const gate = new Promise<void>((resolve) => (open = resolve));
  let held = 0;
  const calls: [string, unknown][] = [];
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        if (released) calls.push([String(prop), args[0]]);
        if (holdWhen(String(prop), args)) {
          held += 1;
          await gate;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const release = (): void => {
    released = true;
    open();
  };
  return { store: proxy, held: () => held, release, calls };
}

async function engineOn(store: Store): Promise<Engine> {
  const engine = await Engine.create(
    { store, runnerTypes: RUNNER_TYPES, runners: createRunners({ baseEnv: process.env }) },
    { runnerPoolSize: 8, owner: 'test', apiUrl: 'http://127.0.0.1:9/api/v1', onError: () => undefined },
  );
  await registerPacks(store, [BUILTIN_PACKS, EXAMPLE_PACKS], (name) => engine.runnerTypes.byNameOrId(name));
  await engine.start();
  return engine;
}

async function until<T>(probe: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'squall-wf-race-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function setUp(holdWhen: (method: string, args: unknown[]) => boolean) {
  const dir = tempDir();
  const raw = openSqliteStore({ path: join(dir, 'squall.db') });
  const gated = holding(raw, holdWhen);
  const engine = await engineOn(gated.store);
  cleanups.push(async () => {
    gated.release();
    await engine.shutdown(1000);
    await raw.close();
  });
  return { engine, dir, ...gated };
}

const completed = (r: ExecutionRecord): boolean =>
  ['succeeded', 'failed', 'canceled', 'abandoned', 'timeout'].includes(r.status);

describe('workflow start races', () => {
  it('creates no child once the workflow execution was canceled while its start was under way', async () => {
    // The start inspects the definition, looking up core.echo: hold it there (no child exists yet).
    let holdNext = false;
    const { engine, held, release, calls } = await setUp((method, args) => {
      if (method !== 'getAction' || args[0] !== 'core.echo' || !holdNext) return false;
      holdNext = false;
      return true;
    });
    holdNext = true;
    const created = await engine.createExecution(
      { action: 'examples.orquesta-sequential', parameters: { name: 'Ada' } },
      { requester: 'stanley' },
    );
    await until(
      async () => held(),
      (n) => n === 1,
    );
    const running = await engine.getExecution(created.id);
    expect(running.status).toBe('running');
    await engine.control.cancel(running, 'stanley');
    const canceled = await until(() => engine.getExecution(created.id), completed);
    expect(canceled.status).toBe('canceled');

    release();
    // The start reads the execution again once it holds the workflow's lock (to save the
    // workflow and create children, or to give up): wait for that read, then for the lock.
    await until(
      async () => calls.some(([method, id]) => method === 'getExecution' && id === created.id),
      Boolean,
    );
    await engine.workflows.idle();
    expect(await engine.descendants(created.id, 1)).toEqual([]);
    expect((await engine.getExecution(created.id)).status).toBe('canceled');
  }, 60_000);

  it('lets one of two simultaneous re-runs continue the workflow; the other fails as StackStorm’s', async () => {
    let holding = false;
    const { engine, dir, held, release } = await setUp((method) => holding && method === 'getWorkflow');
    const path = join(dir, 'exit-code');
    writeFileSync(path, '1');
    const original = await engine.createExecution(
      { action: 'examples.orquesta-test-rerun', parameters: { tempfile: path } },
      { requester: 'stanley' },
    );
    expect((await until(() => engine.getExecution(original.id), completed)).status).toBe('failed');
    writeFileSync(path, '0');

    // Both re-runs read the finished workflow before either has claimed it.
    holding = true;
    const request = { tasks: ['task2'], reset: [], parameters: {}, user: 'stanley' };
    const first = await engine.control.reRun(original, original.id, request, 'stanley');
    const second = await engine.control.reRun(original, original.id, request, 'stanley');
    await until(
      async () => held(),
      (n) => n === 2,
    );
    holding = false;
    release();

    const ends = await Promise.all(
      [first, second].map((r) => until(() => engine.getExecution(r.id), completed)),
    );
    expect(ends.map((r) => r.status).sort()).toEqual(['failed', 'succeeded']);
    const loser = ends.find((r) => r.status === 'failed') as ExecutionRecord;
    const winner = ends.find((r) => r.status === 'succeeded') as ExecutionRecord;
    const wfId = String(original.context['workflow_execution']);
    const results = await engine.getResults([loser.id]);
    expect(JSON.parse(results.get(loser.id) ?? '{}')).toEqual({
      errors: [
        { message: `Unable to rerun workflow execution "${wfId}" because it is not in a completed state.` },
      ],
      output: null,
    });
    // The loser created nothing; the winner ran the failed task and the rest of the workflow.
    expect(await engine.descendants(loser.id, 1)).toEqual([]);
    const tasks = (await engine.descendants(winner.id, 1)).map(
      (c) => (c.context['orquesta'] as { task_name?: unknown } | undefined)?.task_name,
    );
    expect(tasks).toEqual(['task2', 'task3']);
  }, 60_000);
});
