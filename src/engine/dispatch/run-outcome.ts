/** What the dispatcher records when a run ends: the runner's answer as a status change. */
import type { ExecutionStatus } from '../../domain/status.ts';
import { isCompleted } from '../../domain/status.ts';
import type { JsonObject } from '../../domain/types.ts';
import type { RunnerResult } from '../../runners/runner.ts';
import type { Transition } from '../../store/store.ts';
import { serializeResult } from '../executions/result.ts';
import type { OutputTruncation } from './output-writer.ts';

/** A run that could not start or broke: `failed`, with StackStorm's `error` and `traceback`. */
export function failure(message: string, error?: unknown): RunnerResult {
  const traceback = error instanceof Error && error.stack ? error.stack : message;
  return { status: 'failed' satisfies ExecutionStatus, result: { error: message, traceback } };
}

/**
 * The change from `running` to the runner's status, with its result; output past the storage cap
 * is recorded on the execution, so nobody mistakes what was stored for all of it. Only from
 * `running`: a late result never overwrites a cancel.
 */
export function runEnded(
  id: string,
  outcome: RunnerResult,
  truncation: OutputTruncation,
  maxOutputBytesPerStream: number,
  at: number,
): Transition {
  const contextPatch: JsonObject | undefined =
    Object.keys(truncation).length > 0
      ? { output_truncated: { max_bytes_per_stream: maxOutputBytesPerStream, dropped_bytes: truncation } }
      : undefined;
  return {
    id,
    from: ['running'],
    to: outcome.status,
    at,
    result: serializeResult(outcome.result),
    ...(isCompleted(outcome.status) ? { endTimestamp: at } : {}),
    ...(contextPatch ? { contextPatch } : {}),
    owner: null,
  };
}
