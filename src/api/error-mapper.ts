/**
 * The one place errors become HTTP: each error code has a status, every body is StackStorm's
 * `{"faultstring": "…"}`. Anything unexpected is a 500 whose details go to the log, not the client.
 */
import { ConflictError, ErrorCode, SquallError } from '../domain/errors.ts';

const STATUS: Record<ErrorCode, number> = {
  [ErrorCode.invalid]: 400,
  [ErrorCode.notFound]: 404,
  [ErrorCode.unknownResource]: 404,
  [ErrorCode.conflict]: 409,
  [ErrorCode.unauthorized]: 401,
  [ErrorCode.forbidden]: 403,
  [ErrorCode.payloadTooLarge]: 413,
  [ErrorCode.refusedWithOk]: 200,
  [ErrorCode.internal]: 500,
};

export interface MappedError {
  status: number;
  body: { faultstring: string; 'conflict-id'?: string };
  /** Whether the failure is ours (to be logged with its stack). */
  unexpected: boolean;
}

export function mapError(error: unknown): MappedError {
  if (error instanceof SquallError) {
    const body: MappedError['body'] = { faultstring: error.message };
    if (error instanceof ConflictError && error.conflictId) body['conflict-id'] = error.conflictId;
    return { status: STATUS[error.code], body, unexpected: error.code === ErrorCode.internal };
  }
  return { status: 500, body: { faultstring: 'Internal Server Error' }, unexpected: true };
}
