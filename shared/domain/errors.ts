// Typed errors of the domain. Each one is mapped to an HTTP status in one place
// (shared/http/errors.ts); anything else is masked as a 500.

export interface FieldIssue {
  /** Dotted path of the offending field, e.g. `modules.hosting.monthlyFeeCents`. */
  path: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details: FieldIssue[];

  constructor(message: string, details: FieldIssue[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

/** Input that breaks a rule; subclasses name the rule in a more precise `code`. */
export class ValidationError extends DomainError {
  readonly code: string = 'ValidationError';
}

/** A body of a type or charset the route does not take: the same bytes read otherwise would be something else. */
export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'UnsupportedMediaType';
}

export class NotFoundError extends DomainError {
  readonly code = 'NotFound';
}

export class ConflictError extends DomainError {
  readonly code = 'Conflict';
}

/**
 * A guard or item changed between our read and our conditional write. Nothing was written, and every check is
 * recomputed from a fresh read, so retrying the whole read-check-write is safe. Still a Conflict (409) when retries
 * run out. A stale version the caller sent (If-Match) is a plain ConflictError: retrying cannot fix it.
 */
export class ConcurrentUpdateError extends ConflictError {}

/** The store refused the request for lack of capacity (throttling): nothing was written, the caller may try again later. */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'ServiceUnavailable';
}

/** A conditional write was attempted without the precondition (If-Match) it requires. */
export class PreconditionRequiredError extends DomainError {
  readonly code = 'PreconditionRequired';
}

/** The caller is authenticated but the resource lies outside what it may touch. */
export class ForbiddenError extends DomainError {
  readonly code = 'Forbidden';
}
