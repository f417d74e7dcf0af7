/**
 * Turns a finished shell process into StackStorm's local-runner result and status (spec §7.1).
 */
import { constants } from 'node:os';
import type { ExecutionStatus } from '../../domain/status.ts';
import type { Json, JsonObject } from '../../domain/types.ts';
import type { RunnerResult } from '../runner.ts';
import { abortStatus, errorResult } from '../shared/runner-results.ts';
import type { ProcessOutcome } from './run-process.ts';

/** What the process was run with that the result needs to describe it. */
export interface ShellRunInfo {
  timeoutSeconds: number;
  /** Set when sudo got a password, which makes a failed sudo login recognisable. */
  sudoPassword: string | undefined;
  /** `signal.reason` of the execution's abort signal, read after the process ended. */
  abortReason: unknown;
}

const SIGKILL_RETURN_CODE = -9;
const BAD_SUDO_PASSWORD = /sudo: \d+ incorrect password attempts/;
const SUDO_PROMPT_USER = /\[sudo\] password for (.+?):/;

export function shellResult(outcome: ProcessOutcome, info: ShellRunInfo): RunnerResult {
  if (outcome.spawnError) return errorResult(outcome.spawnError);

  const stderrText = outcome.stderr.text();
  let returnCode = outcome.returnCode;
  let error: string | undefined;
  if (outcome.timedOut) {
    error = `Action failed to complete in ${info.timeoutSeconds} seconds`;
    returnCode = SIGKILL_RETURN_CODE;
  }
  if (!outcome.timedOut && !outcome.aborted && returnCode < -1) {
    error = `The action's process was killed by ${signalName(-returnCode)}, which Squall did not send.`;
  }
  if (info.sudoPassword && BAD_SUDO_PASSWORD.test(stderrText)) {
    const user = SUDO_PROMPT_USER.exec(stderrText)?.[1] ?? 'unknown';
    error = `Invalid sudo password provided or sudo is not configured for this user (${user})`;
    returnCode = -1;
  }

  const succeeded = returnCode === 0;
  const result: JsonObject = {
    failed: !succeeded,
    succeeded,
    return_code: returnCode,
    stdout: parseShellOutput(outcome.stdout.text()),
    stderr: parseShellOutput(stderrText),
  };
  if (error !== undefined) result.error = error;
  // Not in StackStorm (which never caps); present only when output was cut, so nothing is lost
  // silently: the full output is still in the streamed output records.
  if (outcome.stdout.truncated) result.stdout_truncated_bytes = outcome.stdout.droppedBytes;
  if (outcome.stderr.truncated) result.stderr_truncated_bytes = outcome.stderr.droppedBytes;

  return { status: shellStatus(outcome, returnCode, info.abortReason), result };
}

function shellStatus(outcome: ProcessOutcome, returnCode: number, abortReason: unknown): ExecutionStatus {
  if (outcome.aborted) return abortStatus(abortReason);
  if (outcome.timedOut) return 'timeout';
  if (returnCode === 0) return 'succeeded';
  // A process killed by a signal Squall did not send (an operator's kill, the OOM killer) died
  // from outside: its work is abandoned, not failed. StackStorm does this for SIGTERM only.
  if (returnCode < -1) return 'abandoned';
  return 'failed';
}

function signalName(signo: number): string {
  const name = Object.entries(constants.signals).find(([, n]) => n === signo)?.[0];
  return name ?? `signal ${signo}`;
}

/** StackStorm's `strip_shell_chars`: one trailing "\n" goes, then one "\r". */
export function stripShellChars(text: string): string {
  let end = text.length;
  if (text.charCodeAt(end - 1) === 10) end--;
  if (text.charCodeAt(end - 1) === 13) end--;
  return end === text.length ? text : text.slice(0, end);
}

/**
 * StackStorm strips the last line ending (`stripShellChars`), then replaces the text by its JSON
 * value when it is valid JSON (so `echo 5` yields the number 5).
 */
export function parseShellOutput(text: string): Json {
  const stripped = stripShellChars(text);
  if (!mayBeJson(stripped)) return stripped;
  let value: Json;
  try {
    value = JSON.parse(stripped) as Json;
  } catch {
    return stripped;
  }
  // A JavaScript number would silently round a large integer (an id, say) that Python keeps exact;
  // the text is the faithful value then.
  if (typeof value === 'number' && !Number.isSafeInteger(value) && /^\s*-?\d+\s*$/.test(stripped)) {
    return stripped;
  }
  return value;
}

/** Cheap pre-check so large plain-text output does not go through a doomed JSON.parse. */
function mayBeJson(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    // { [ " - 0-9 t f n
    return (
      c === 123 ||
      c === 91 ||
      c === 34 ||
      c === 45 ||
      (c >= 48 && c <= 57) ||
      c === 116 ||
      c === 102 ||
      c === 110
    );
  }
  return false;
}
