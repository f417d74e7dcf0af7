/**
 * StackStorm's remote runner results (spec §7.3): one object per host, keyed by hostname, and the
 * execution's status decided from them.
 */
import type { ExecutionStatus } from '../../domain/status.ts';
import type { JsonObject } from '../../domain/types.ts';
import type { CappedText } from '../process/capped-text.ts';
import { parseShellOutput, stripShellChars } from '../process/shell-result.ts';

/** What a command printed on one host, and whether a pseudo-terminal turned its "\n" into "\r\n". */
export interface HostOutput {
  stdout: CappedText;
  stderr: CappedText;
  pty: boolean;
}

const TIMEOUT_RETURN_CODE = -9;
const ERROR_RETURN_CODE = 255;
/** Paramiko's exit status when the command reported none (it died of a signal). */
const NO_EXIT_STATUS = -1;

/** A command that ran to its end (or was stopped by a cancel). */
export function commandResult(output: HostOutput, exitCode: number | undefined): JsonObject {
  const returnCode = exitCode ?? NO_EXIT_STATUS;
  const succeeded = returnCode === 0;
  const result: JsonObject = {
    stdout: parseShellOutput(text(output.stdout, output.pty)),
    stderr: parseShellOutput(text(output.stderr, output.pty)),
    return_code: returnCode,
    succeeded,
    failed: !succeeded,
  };
  // As the local runners: present only when the result lost output (it is in the stored output).
  if (output.stdout.truncated) result.stdout_truncated_bytes = output.stdout.droppedBytes;
  if (output.stderr.truncated) result.stderr_truncated_bytes = output.stderr.droppedBytes;
  return result;
}

/**
 * A host where something went wrong: `message` says what Squall was doing, `reason` why it failed
 * (StackStorm joins the two with a space). Output printed before a timeout is kept.
 */
export function hostError(
  message: string,
  reason: Error,
  extra: { timeout?: boolean; output?: HostOutput } = {},
): JsonObject {
  const timeout = extra.timeout === true;
  return {
    failed: true,
    succeeded: false,
    timeout,
    return_code: timeout ? TIMEOUT_RETURN_CODE : ERROR_RETURN_CODE,
    stdout: extra.output ? stripShellChars(text(extra.output.stdout, extra.output.pty)) : '',
    stderr: extra.output ? stripShellChars(text(extra.output.stderr, extra.output.pty)) : '',
    error: `${message} ${reason.message}`,
    traceback: reason.stack ?? '',
  };
}

const BAD_SUDO_PASSWORD = /sudo: \d+ incorrect password attempts/;
const SUDO_PROMPT_USER = /\[sudo\] password for (.+?):/;

/**
 * StackStorm's check for a wrong sudo password. Its prompt goes to stderr, or to stdout under the
 * pseudo-terminal sudo runs with, so both are searched (StackStorm searches stderr only, where a
 * pty never leaves it).
 */
export function badSudoPassword(output: HostOutput): Error | undefined {
  const printed = `${output.stderr.text()}\n${output.stdout.text()}`;
  if (!BAD_SUDO_PASSWORD.test(printed)) return undefined;
  const user = SUDO_PROMPT_USER.exec(printed)?.[1] ?? 'unknown';
  return new Error(`Invalid sudo password provided or sudo is not configured for this user (${user})`);
}

/**
 * StackStorm's `_get_result_status`, quirk included: hosts are examined in result order and the
 * loop stops at the first failure (or, allowing partial failure, the first success), so `timeout`
 * means "every host examined timed out".
 */
export function remoteStatus(
  results: Record<string, JsonObject>,
  allowPartialFailure: boolean,
): ExecutionStatus {
  let success = !allowPartialFailure;
  let timeout = true;
  for (const result of Object.values(results)) {
    timeout &&= result.timeout === true;
    if (allowPartialFailure) {
      success ||= result.succeeded === true;
      if (success) break;
    } else {
      success &&= result.succeeded === true;
      if (!success) break;
    }
  }
  if (success) return 'succeeded';
  return timeout ? 'timeout' : 'failed';
}

function text(capture: CappedText, pty: boolean): string {
  const value = capture.text();
  return pty ? value.replaceAll('\r\n', '\n') : value;
}
