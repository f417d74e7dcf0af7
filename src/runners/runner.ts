/**
 * The runner contract. A runner gets rendered parameters and a context, runs the action, and
 * returns a structured result. A non-zero exit, an HTTP 500 or a timeout is data (a status and a
 * result), never an exception; an exception means the runner itself broke.
 */
import type { ExecutionStatus } from '../domain/status.ts';
import type { Action, JsonObject } from '../domain/types.ts';

export type OutputStream = 'stdout' | 'stderr';

/** Receives output as it is produced; implementations buffer and cap, so calls are cheap. */
export interface OutputSink {
  write(stream: OutputStream, data: string): void;
  /**
   * False once the sink keeps nothing more of `stream`. A runner that keeps nothing more either
   * may then stop decoding that stream and only report how many bytes went by.
   */
  accepting(stream: OutputStream): boolean;
  /** Bytes of `stream` the runner passed over without decoding (see `accepting`). */
  skipped(stream: OutputStream, bytes: number): void;
}

export interface RunContext {
  executionId: string;
  liveactionId: string;
  action: Action;
  /** Absolute path of the action's pack folder (entry points resolve against `<pack>/actions`). */
  packPath: string | undefined;
  /** Aborted on cancel or shutdown; `signal.reason` says which. Runners stop the work when it fires. */
  signal: AbortSignal;
  output: OutputSink;
  /** Extra environment variables StackStorm passes to actions (`ST2_ACTION_*`). */
  env: Record<string, string>;
  /** Publishes an announcement on the event stream (`st2.announcement__<route>`). */
  announce?: (route: string, payload: JsonObject) => void;
}

export interface RunnerResult {
  status: ExecutionStatus;
  result: JsonObject;
}

export interface Runner {
  /**
   * @param runnerParameters the runner type's parameters, defaults applied
   * @param actionParameters every other parameter of the action, defaults applied
   */
  run(runnerParameters: JsonObject, actionParameters: JsonObject, ctx: RunContext): Promise<RunnerResult>;
}
