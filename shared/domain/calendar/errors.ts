// Typed errors of the business-calendar domain. Each carries a stable `code` so
// callers (HTTP mapper, CLI) can react without parsing messages, and keeps the
// original `cause` for diagnosis.

export abstract class CalendarDomainError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A calendar name that is neither built in nor defined by the contract. */
export class UnknownCalendarError extends CalendarDomainError {
  readonly code = 'UnknownCalendar';
}

/** A contract-defined calendar whose shape is invalid (overlapping windows, bad times, …). */
export class InvalidCalendarDefinitionError extends CalendarDomainError {
  readonly code = 'InvalidCalendarDefinition';
}

/** A holiday region other than `national` or `alsace-moselle`. */
export class UnknownRegionError extends CalendarDomainError {
  readonly code = 'UnknownRegion';
}

/** Unparsable ISO-8601 text, an invalid Date, or an instant outside the supported years. */
export class InvalidInstantError extends CalendarDomainError {
  readonly code = 'InvalidInstant';
}

/** A business duration that is negative, not finite, or beyond the supported maximum. */
export class InvalidDurationError extends CalendarDomainError {
  readonly code = 'InvalidDuration';
}
