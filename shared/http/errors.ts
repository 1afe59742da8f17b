import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  PreconditionRequiredError,
  ServiceUnavailableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors';
import type { ErrorBody } from '../schemas/common';

/** The one place where errors become HTTP statuses. Anything unknown is a 500 whose cause is only logged. */
const STATUS_BY_ERROR: ReadonlyArray<[abstract new (...args: never[]) => DomainError, number]> = [
  [ValidationError, 400],
  [ForbiddenError, 403],
  [NotFoundError, 404],
  [ConflictError, 409],
  [UnsupportedMediaTypeError, 415],
  [PreconditionRequiredError, 428],
  [ServiceUnavailableError, 503],
];

export interface MappedError {
  statusCode: number;
  body: ErrorBody;
  /** True when the error was not one of ours: the caller logs it with its stack. */
  unexpected: boolean;
}

/**
 * Requests are parsed into ValidationErrors (shared/http/request.ts), so a bare ZodError here comes from our own
 * data (a stored item that no longer fits its schema): a 500, never "your request is invalid".
 */
export function mapError(error: unknown): MappedError {
  if (error instanceof DomainError) {
    const status = STATUS_BY_ERROR.find(([type]) => error instanceof type)?.[1];
    if (status !== undefined) {
      return { statusCode: status, body: { error: error.code, message: error.message, details: error.details }, unexpected: false };
    }
  }
  return {
    statusCode: 500,
    body: { error: 'InternalError', message: 'an unexpected error occurred; it has been logged', details: [] },
    unexpected: true,
  };
}
