/**
 * Errors with stable codes. The API maps each code to an HTTP status in one place
 * (`src/api/error-mapper.ts`); nothing recognises an error by its message text.
 */
export const ErrorCode = {
  /** Bad input: a request, parameter or definition that fails validation. */
  invalid: 'invalid',
  /** A route or resource that does not exist (StackStorm's generic 404 text). */
  notFound: 'not_found',
  /** A request for a resource by id that does not exist (message names the id). */
  unknownResource: 'unknown_resource',
  conflict: 'conflict',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  payloadTooLarge: 'payload_too_large',
  /** StackStorm answers some refusals with 200 and a faultstring (e.g. cancel of a finished run). */
  refusedWithOk: 'refused_with_ok',
  internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class SquallError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export class ValidationError extends SquallError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(ErrorCode.invalid, message, options);
  }
}

export class NotFoundError extends SquallError {
  constructor(message = 'The resource could not be found.') {
    super(ErrorCode.notFound, message);
  }
}

export class UnknownResourceError extends SquallError {
  constructor(id: string) {
    super(ErrorCode.unknownResource, `Unable to identify resource with id "${id}".`);
  }
}

export class ConflictError extends SquallError {
  readonly conflictId: string | undefined;
  constructor(message: string, conflictId?: string) {
    super(ErrorCode.conflict, message);
    this.conflictId = conflictId;
  }
}

export class RefusedWithOkError extends SquallError {
  constructor(message: string) {
    super(ErrorCode.refusedWithOk, message);
  }
}

export class PayloadTooLargeError extends SquallError {
  constructor(message: string) {
    super(ErrorCode.payloadTooLarge, message);
  }
}

export class InternalError extends SquallError {
  constructor(message = 'Internal Server Error', options?: { cause?: unknown }) {
    super(ErrorCode.internal, message, options);
  }
}

/** Missing or invalid credentials (401); the message is StackStorm's. */
export class UnauthorizedError extends SquallError {
  constructor(message = 'Unauthorized') {
    super(ErrorCode.unauthorized, message);
  }
}

/** Authenticated, but not allowed (403); the message is StackStorm's. */
export class ForbiddenError extends SquallError {
  constructor(message: string) {
    super(ErrorCode.forbidden, message);
  }
}
