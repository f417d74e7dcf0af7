/**
 * Running the examples pack's workflows over HTTP against a real Squall: start one, wait for it,
 * read its result and its children.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

export const EXAMPLE_PACKS = join(import.meta.dirname, '..', 'fixtures', 'packs');

export type Doc = Record<string, unknown>;

export function startWorkflowSquall(): Promise<TestSquall> {
  return startTestSquall({ packsPaths: [EXAMPLE_PACKS] });
}

export async function run(squall: TestSquall, action: string, parameters: Doc = {}): Promise<string> {
  const res = await squall.api('/api/v1/executions', { method: 'POST', json: { action, parameters } });
  const doc = (await res.json()) as Doc;
  expect(res.status, JSON.stringify(doc)).toBe(201);
  return String(doc['id']);
}

export async function runToEnd(squall: TestSquall, action: string, parameters: Doc = {}): Promise<Doc> {
  return squall.waitFor(await run(squall, action, parameters), undefined, 60_000);
}

export async function children(squall: TestSquall, id: string, query = ''): Promise<Doc[]> {
  const res = await squall.api(`/api/v1/executions/${id}/children${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Doc[];
}

export function field(doc: Doc, path: string): unknown {
  let value: unknown = doc;
  for (const key of path.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Doc)[key] : undefined;
  }
  return value;
}

/** Task names of children, in the order listed. */
export function taskNames(list: readonly Doc[]): unknown[] {
  return list.map((c) => field(c, 'context.orquesta.task_name') ?? field(c, 'context.chain.name'));
}

export async function put(squall: TestSquall, id: string, status: string): Promise<Doc> {
  const res = await squall.api(`/api/v1/executions/${id}`, { method: 'PUT', json: { status } });
  const doc = (await res.json()) as Doc;
  expect(res.status, JSON.stringify(doc)).toBe(200);
  return doc;
}

/** Polls until `check` holds for the execution, returning it. */
export async function until(
  squall: TestSquall,
  id: string,
  check: (doc: Doc) => boolean,
  timeoutMs = 30_000,
): Promise<Doc> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const doc = (await (await squall.api(`/api/v1/executions/${id}`)).json()) as Doc;
    if (check(doc)) return doc;
    if (Date.now() > deadline)
      throw new Error(`execution ${id} never matched; now ${JSON.stringify(doc['status'])}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const statusIs =
  (...statuses: string[]) =>
  (doc: Doc): boolean =>
    statuses.includes(String(doc['status']));

/**
 * Waits until `id` has `count` children for task `task` (an Orquesta task or a chain node) in
 * `status`, and returns them.
 */
export async function taskChildren(
  squall: TestSquall,
  id: string,
  task: string,
  status: string,
  count = 1,
): Promise<Doc[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const list = (await children(squall, id)).filter(
      (c) => taskNames([c])[0] === task && c['status'] === status,
    );
    if (list.length >= count) return list;
    if (Date.now() > deadline) throw new Error(`task ${task} of ${id} never had ${count} ${status} children`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Files the examples' `tempfile` tasks wait on: a task loops until its file is removed. One folder
 * per test file, removed with `cleanUp`.
 */
export function gateFiles(prefix: string): { create(): string; remove(path: string): void; cleanUp(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let count = 0;
  return {
    create() {
      const path = join(dir, `f${count++}`);
      writeFileSync(path, '');
      return path;
    },
    remove(path) {
      rmSync(path);
      expect(existsSync(path)).toBe(false);
    },
    cleanUp() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
