import { DateTime } from 'luxon';

/** Every contractual wall-clock rule is stated in Paris time (the contracts count in French business hours). */
export const PARIS_ZONE = 'Europe/Paris';

const MINUTES_PER_DAY = 24 * 60;

/**
 * The instant at which Paris wall clocks show `minuteOfDay` on the given local date.
 * Luxon resolves daylight-saving edge cases: a time inside the spring-forward gap
 * moves forward by the gap, an ambiguous autumn time takes one of its two instants;
 * callers that need monotonicity clamp (see timeline).
 */
export function parisWallClockToEpochMs(year: number, month: number, day: number, minuteOfDay: number): number {
  if (minuteOfDay >= MINUTES_PER_DAY) {
    // 24:00 is the next day's midnight; let UTC arithmetic roll the date over.
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    return parisWallClockToEpochMs(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), 0);
  }
  return DateTime.fromObject(
    { year, month, day, hour: Math.floor(minuteOfDay / 60), minute: minuteOfDay % 60 },
    { zone: PARIS_ZONE },
  ).toMillis();
}

const yearStartCache = new Map<number, number>();

/** The instant of 1 January 00:00 in Paris: the boundary of SLA years. */
export function parisYearStartMs(year: number): number {
  let start = yearStartCache.get(year);
  if (start === undefined) {
    start = parisWallClockToEpochMs(year, 1, 1, 0);
    yearStartCache.set(year, start);
  }
  return start;
}

/** The Paris calendar year an instant falls in. */
export function parisYearOf(epochMs: number): number {
  // The UTC year is right except within the Paris offset of a year boundary.
  let year = new Date(epochMs).getUTCFullYear();
  if (epochMs >= parisYearStartMs(year + 1)) year += 1;
  else if (epochMs < parisYearStartMs(year)) year -= 1;
  return year;
}

export interface ParisDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** The Paris calendar day of an instant, "YYYY-MM-DD" (the day a contract date or a backup counts for). */
export function parisDateOf(instant: Date): string {
  return DateTime.fromMillis(instant.getTime(), { zone: PARIS_ZONE }).toISODate()!;
}
