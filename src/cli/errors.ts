/**
 * What a command can end with besides success, and the exit code each one gives. Execution
 * statuses map to distinct codes so scripts can tell a failed action from a refused request.
 */
export const EXIT = {
  ok: 0,
  /** The execution failed. */
  failed: 1,
  /** Bad command line: unknown command or option, malformed value. */
  usage: 2,
  timeout: 3,
  canceled: 4,
  abandoned: 5,
  /** The execution stopped short of a final status: paused, pending, or still running (-a aside). */
  incomplete: 6,
  /** The server refused the request, or could not be reached. */
  error: 7,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export function exitCodeForStatus(status: unknown): ExitCode {
  switch (status) {
    case 'succeeded':
      return EXIT.ok;
    case 'failed':
      return EXIT.failed;
    case 'timeout':
      return EXIT.timeout;
    case 'canceled':
      return EXIT.canceled;
    case 'abandoned':
      return EXIT.abandoned;
    default:
      return EXIT.incomplete;
  }
}

/** A mistake on the command line; printed with a hint to `--help`. */
export class UsageError extends Error {}

/** The server answered with an error, or could not be reached; the message is shown as is. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
