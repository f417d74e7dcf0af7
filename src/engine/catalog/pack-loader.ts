/**
 * Registers packs laid out as StackStorm lays them out: `<packs dir>/<pack>/pack.yaml` and
 * `<pack>/actions/<name>.yaml` (entry points beside them). A broken action is reported and skipped,
 * never fatal, so one bad file cannot keep Squall from starting.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { JsonObject, RunnerType } from '../../domain/types.ts';
import type { Store } from '../../store/store.ts';
import { buildAction } from './action-document.ts';

export interface PackLoadReport {
  packs: string[];
  actions: number;
  problems: string[];
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function listDirs(path: string): Promise<string[]> {
  try {
    const entries = await readdir(path, { withFileTypes: true });
    return entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

async function readYaml(path: string): Promise<unknown> {
  return parseYaml(await readFile(path, 'utf8'));
}

/** Loads every pack under each of `packsDirs` in order; a later pack of the same name wins. */
export async function registerPacks(
  store: Store,
  packsDirs: readonly string[],
  findRunner: (name: string) => RunnerType | undefined,
): Promise<PackLoadReport> {
  const report: PackLoadReport = { packs: [], actions: 0, problems: [] };
  for (const dir of packsDirs) {
    for (const folder of await listDirs(dir)) {
      const packPath = join(dir, folder);
      let metadata: unknown;
      try {
        metadata = await readYaml(join(packPath, 'pack.yaml'));
      } catch (error) {
        report.problems.push(`${packPath}: no readable pack.yaml (${(error as Error).message})`);
        continue;
      }
      if (!isObject(metadata)) {
        report.problems.push(`${packPath}/pack.yaml: not a mapping`);
        continue;
      }
      const ref =
        typeof metadata['ref'] === 'string'
          ? metadata['ref']
          : typeof metadata['name'] === 'string'
            ? metadata['name']
            : folder;
      await store.savePack({ ref, path: packPath, metadata });
      report.packs.push(ref);
      report.actions += await registerActions(store, ref, packPath, findRunner, report.problems);
    }
  }
  return report;
}

async function registerActions(
  store: Store,
  pack: string,
  packPath: string,
  findRunner: (name: string) => RunnerType | undefined,
  problems: string[],
): Promise<number> {
  const actionsDir = join(packPath, 'actions');
  let files: string[];
  try {
    files = (await readdir(actionsDir)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  } catch {
    return 0;
  }
  let count = 0;
  for (const file of files) {
    const metadataFile = `actions/${file}`;
    try {
      const meta = await readYaml(join(actionsDir, file));
      if (!isObject(meta)) throw new Error('not a mapping');
      const existing = await store.getAction(`${pack}.${String(meta['name'])}`);
      const action = buildAction(
        { ...meta, pack },
        { pack, metadataFile, ...(existing ? { id: existing.action.id } : {}) },
        findRunner,
      );
      await store.saveAction(action);
      count++;
    } catch (error) {
      problems.push(`${packPath}/${metadataFile}: ${(error as Error).message}`);
    }
  }
  return count;
}
