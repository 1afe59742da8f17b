import { DateTime } from 'luxon';
import { InvalidInstantError } from './errors';
import { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR } from './timeline';
import { PARIS_ZONE, parisYearOf } from './wall-clock';

// Full date, time to at least minutes, optional seconds and milliseconds, and a mandatory offset:
// an instant without offset is ambiguous (whose wall clock?), so it is refused. More than three fractional
// digits are refused rather than truncated: instants are stored to the millisecond, and a value we cannot keep
// exactly is the caller's to round.
// Hours 00–23, minutes and seconds 00–59, offsets within ±14:59 (the widest real offset is +14:00).
const STRICT_ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:\.\d{1,3})?)?(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)$/;

type ParsedInstant = { ok: true; instant: Date } | { ok: false; problem: string };

/** Reads an instant, or says in plain words what is wrong with it (the API shows that sentence as is). */
export function readIsoInstant(text: unknown): ParsedInstant {
  if (typeof text !== 'string' || !STRICT_ISO_INSTANT.test(text)) {
    return { ok: false, problem: 'an instant in ISO-8601 with an offset and at most milliseconds, e.g. 2026-03-02T16:00:00+01:00' };
  }
  const parsed = DateTime.fromISO(text, { setZone: true });
  if (!parsed.isValid) return { ok: false, problem: `${text.slice(0, 10)} is not a day of the calendar` };
  // The year of the instant in Paris, as the timelines count it, not as written in the caller's offset.
  const parisYear = parisYearOf(parsed.toMillis());
  if (parisYear < FIRST_SUPPORTED_YEAR || parisYear > LAST_SUPPORTED_YEAR) {
    return { ok: false, problem: `an instant in the years ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR}` };
  }
  return { ok: true, instant: new Date(parsed.toMillis()) };
}

/**
 * Parses an ISO-8601 instant with an explicit offset ("2026-03-02T16:00:00+01:00", "…Z").
 * Throws InvalidInstantError for anything else, including impossible dates (2026-02-30).
 */
export function parseIsoInstant(text: string): Date {
  const read = readIsoInstant(text);
  if (!read.ok) throw new InvalidInstantError(`invalid instant "${String(text)}": ${read.problem}`);
  return read.instant;
}

/** ISO-8601 in the Europe/Paris offset of that instant, e.g. 2026-03-03T11:00:00+01:00 (milliseconds only when present). */
export function formatParisIso(instant: Date): string {
  const epochMs = instant.getTime();
  if (Number.isNaN(epochMs)) throw new InvalidInstantError('cannot format an invalid date');
  const formatted = DateTime.fromMillis(epochMs, { zone: PARIS_ZONE }).toISO({ suppressMilliseconds: true });
  if (formatted === null) throw new InvalidInstantError(`cannot format instant ${epochMs}`);
  return formatted;
}
