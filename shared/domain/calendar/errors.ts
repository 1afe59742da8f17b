import { ValidationError } from '../errors';

// Typed errors of the business-calendar domain. They are validation errors (the HTTP mapper answers
// 400); each carries a stable `code` so callers (HTTP mapper, CLI) can react without parsing messages,
// and keeps the original `cause` for diagnosis.

export abstract class CalendarDomainError extends ValidationError {
  abstract override readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, [], options);
  }
}

/** A calendar name that is neither built in nor defined by the contract. */
export class UnknownCalendarError extends CalendarDomainError {
  override readonly code = 'UnknownCalendar';
}

/** A contract-defined calendar whose shape is invalid (overlapping windows, bad times, …). */
export class InvalidCalendarDefinitionError extends CalendarDomainError {
  override readonly code = 'InvalidCalendarDefinition';
}

/** A holiday region other than `national` or `alsace-moselle`. */
export class UnknownRegionError extends CalendarDomainError {
  override readonly code = 'UnknownRegion';
}

/** Unparsable ISO-8601 text, an invalid Date, or an instant outside the supported years. */
export class InvalidInstantError extends CalendarDomainError {
  override readonly code = 'InvalidInstant';
}

/** A business duration that is negative, not finite, or beyond the supported maximum. */
export class InvalidDurationError extends CalendarDomainError {
  override readonly code = 'InvalidDuration';
}
