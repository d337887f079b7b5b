import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailableError } from './db-errors';

/**
 * The error classes of the project. Each carries its HTTP status and a stable `code` that clients can
 * branch on (docs/errors.md lists them), so no error reaches a client as an accidental 500.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  readonly details?: unknown;
  /** Extra response headers this error implies (Retry-After, WWW-Authenticate, ...). */
  readonly headers?: Record<string, string>;

  constructor(
    message: string,
    options: { details?: unknown; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
    this.headers = options.headers;
  }
}

export class ValidationError extends AppError {
  readonly status = 400;
  readonly code: string = 'VALIDATION_FAILED';
}

/** A pagination cursor that is not one of ours, is garbled, or belongs to another query. */
export class InvalidCursorError extends ValidationError {
  override readonly code = 'INVALID_CURSOR';
}

export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly code: string = 'UNAUTHORIZED';
}

export class InvalidCredentialsError extends UnauthorizedError {
  override readonly code = 'INVALID_CREDENTIALS';
}

export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly code: string = 'FORBIDDEN';
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly code: string = 'CONFLICT';
}

export class PreconditionFailedError extends AppError {
  readonly status = 412;
  readonly code = 'PRECONDITION_FAILED';
}

export class PayloadTooLargeError extends AppError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** A body in a Content-Encoding or charset the API does not take. */
export class UnsupportedMediaTypeError extends AppError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

export class UnprocessableError extends AppError {
  readonly status = 422;
  readonly code: string = 'UNPROCESSABLE';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly code: string = 'RATE_LIMITED';
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly code = 'SERVICE_UNAVAILABLE';
}

/**
 * The BFF did not answer within the request's deadline (REQUEST_TIMEOUT_MS). The work may still finish
 * after the answer: retry only what is safe to repeat (orders with the same Idempotency-Key).
 */
export class DeadlineExceededError extends AppError {
  readonly status = 503;
  readonly code = 'DEADLINE_EXCEEDED';
}

/**
 * Runs a call to a dependency (Redis, the job queue) on a request path: its failure becomes a 503 with
 * Retry-After that the client can retry, never a 500 or a hung request. AppErrors pass through unchanged.
 */
export async function unavailableOnFailure<T>(
  dependency: string,
  retryAfterSeconds: number,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new ServiceUnavailableError(`${dependency} is unavailable; try again shortly`, {
      cause: error,
      headers: { 'Retry-After': String(retryAfterSeconds) },
    });
  }
}

/** The JSON error body every endpoint (and the gateway) answers with. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string };
}

/**
 * Maps any thrown value to a status and body: a database that cannot serve right now is a 503 with
 * Retry-After; other unknown errors become a 500 that leaks nothing.
 */
export function toErrorResponse(
  error: unknown,
  requestId: string | undefined,
): { status: number; body: ErrorBody; headers: Record<string, string> } {
  if (error instanceof AppError) {
    return {
      status: error.status,
      headers: error.headers ?? {},
      body: {
        error: {
          code: error.code,
          message: error.message,
          ...(error.details === undefined ? {} : { details: error.details }),
          requestId,
        },
      },
    };
  }
  if (isDatabaseUnavailableError(error)) {
    return {
      status: 503,
      headers: { 'Retry-After': String(DATABASE_RETRY_AFTER_SECONDS) },
      body: {
        error: {
          code: 'SERVICE_UNAVAILABLE',
          message: 'The database is unavailable; try again shortly',
          requestId,
        },
      },
    };
  }
  return {
    status: 500,
    headers: {},
    body: { error: { code: 'INTERNAL', message: 'Internal server error', requestId } },
  };
}
