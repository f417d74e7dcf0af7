/**
 * Loads what execution documents need beyond their rows — embedded snapshots, children, results —
 * in one query per kind for a whole page, and only what the requested fields use: a page that does
 * not show `result` never reads one.
 */
import { ValidationError } from '../domain/errors.ts';
import type { ExecutionRecord, Json, JsonObject } from '../domain/types.ts';
import type { Engine } from '../engine/engine.ts';
import {
  EXECUTION_FIELD_SET,
  EXECUTION_FIELDS,
  executionView,
  secretValuesOf,
  type ExecutionParts,
} from './execution-view.ts';

/** Fields `exclude_attributes` may drop (dropping `action`/`runner` would defeat masking). */
const EXCLUDABLE = new Set(['result', 'trigger_instance', 'status']);

export const MUTUALLY_EXCLUSIVE_LIST =
  'exclude_fields and include_fields arguments are mutually exclusive. You need to provide either one or another, but not both.';
export const MUTUALLY_EXCLUSIVE_ONE =
  'exclude_attributes and include_attributes arguments are mutually exclusive. You need to provide either one or another, but not both.';

/** Checks `exclude_attributes` and returns the top-level fields it leaves. */
export function fieldsExcluding(exclude: readonly string[] | undefined): Set<string> | undefined {
  const wanted = (exclude ?? []).filter((f) => f !== '');
  if (wanted.length === 0) return undefined;
  for (const field of wanted) {
    if (!EXCLUDABLE.has(field))
      throw new ValidationError(`Invalid or unsupported exclude attribute specified: ${field}`);
  }
  return new Set(EXECUTION_FIELDS.filter((f) => !wanted.includes(f)));
}

/** Checks `include_attributes` (dotted paths allowed) and returns the top-level fields they name. */
export function fieldsIncluding(
  include: readonly string[] | undefined,
  style: 'list' | 'one',
): Set<string> | undefined {
  const wanted = (include ?? []).filter((f) => f !== '');
  if (wanted.length === 0) return undefined;
  const fields = new Set<string>(['id']);
  for (const path of wanted) {
    const head = path.split('.')[0] ?? '';
    if (!EXECUTION_FIELD_SET.has(head)) {
      throw new ValidationError(
        style === 'list'
          ? `Invalid or unsupported include attribute specified: ${path}`
          : `Invalid or unsupported include attribute specified: Cannot resolve field "${path}"`,
      );
    }
    fields.add(head);
  }
  return fields;
}

export interface LoadOptions {
  fields: ReadonlySet<string> | undefined;
  mask: boolean;
  webUiBaseUrl: string;
  /** Ids whose result must not be loaded (over `max_result_size`). */
  skipResultOf?: ReadonlySet<string>;
  /** The records were just created by this request: no children, and no result beyond the request's. */
  fresh?: boolean;
}

export async function loadExecutionViews(
  engine: Engine,
  records: readonly ExecutionRecord[],
  options: LoadOptions,
): Promise<JsonObject[]> {
  const parts = await loadExecutionParts(engine, records, options);
  const view = {
    mask: options.mask,
    webUiBaseUrl: options.webUiBaseUrl,
    ...(options.fields ? { fields: options.fields } : {}),
  };
  return parts.map((p) => executionView(p, view));
}

/** The rows plus what their documents embed, loaded with one query per kind for all of them. */
export async function loadExecutionParts(
  engine: Engine,
  records: readonly ExecutionRecord[],
  options: Omit<LoadOptions, 'mask' | 'webUiBaseUrl'>,
): Promise<ExecutionParts[]> {
  if (records.length === 0) return [];
  const wants = (field: string): boolean => !options.fields || options.fields.has(field);
  const ids = records.map((r) => r.id);
  const snapshotIds = records.flatMap((r) => [r.actionSnapshotId, r.runnerSnapshotId]);
  const [snapshots, children, results] = await Promise.all([
    engine.snapshots(snapshotIds),
    wants('children') && !options.fresh
      ? engine.childrenOf(ids)
      : Promise.resolve(new Map<string, string[]>()),
    wants('result') && (!options.fresh || records.some((r) => r.resultSize > 0))
      ? engine.getResults(options.skipResultOf ? ids.filter((id) => !options.skipResultOf?.has(id)) : ids)
      : Promise.resolve(new Map<string, string>()),
  ]);
  return records.map((record) => {
    const resultText = results.get(record.id);
    return {
      record,
      action: snapshots.get(record.actionSnapshotId),
      runner: snapshots.get(record.runnerSnapshotId),
      ...(resultText === undefined ? {} : { result: JSON.parse(resultText) as Json }),
      children: children.get(record.id) ?? [],
    };
  });
}

/** The text forms of an execution's secret parameter values (redacted from its output). */
export async function secretValuesFor(engine: Engine, record: ExecutionRecord): Promise<string[]> {
  const snapshots = await engine.snapshots([record.actionSnapshotId, record.runnerSnapshotId]);
  return secretValuesOf({
    record,
    action: snapshots.get(record.actionSnapshotId),
    runner: snapshots.get(record.runnerSnapshotId),
  });
}
