import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { businessClock } from '../../../../shared/domain/calendar';
import { REFERENCE_CALENDARS, referenceDeadline, referenceMinutesBetween } from './reference-calendar';

const FROM_2025 = Date.UTC(2024, 11, 31, 23);
const UNTIL_2031 = Date.UTC(2030, 11, 31, 23);
const MINUTE = 60_000;
/** Budgets are rounded to whole milliseconds: a duration read back is within half a millisecond. */
const HALF_MS_IN_MINUTES = 0.5 / MINUTE;

const instant = fc.integer({ min: FROM_2025, max: UNTIL_2031 }).map((ms) => new Date(ms));
const wholeMinuteInstant = fc.integer({ min: FROM_2025 / MINUTE, max: UNTIL_2031 / MINUTE - 30 * 1440 }).map((m) => m * MINUTE);
const calendarName = fc.constantFrom('heures-ouvrees' as const, 'service' as const, 'bureau' as const);
const region = fc.constantFrom('national' as const, 'alsace-moselle' as const);
const budget = fc.double({ min: 0, max: 200_000, noNaN: true, noDefaultInfinity: true });
const wholeBudget = fc.integer({ min: 0, max: 200_000 });
const seed = 20260302;

describe('business clock properties (fast-check)', () => {
  it('duration(start, deadline(start, m)) = m', () => {
    fc.assert(
      fc.property(calendarName, region, instant, budget, (name, holidayRegion, start, minutes) => {
        const clock = businessClock(name, holidayRegion);
        const measured = clock.minutesBetween(start, clock.addMinutes(start, minutes));
        expect(Math.abs(measured - minutes)).toBeLessThanOrEqual(HALF_MS_IN_MINUTES + 1e-12);
      }),
      { seed, numRuns: 2000 },
    );
  });

  it('deadline(s, a + b) = deadline(deadline(s, a), b) for whole minutes', () => {
    fc.assert(
      fc.property(calendarName, region, instant, wholeBudget, wholeBudget, (name, holidayRegion, start, a, b) => {
        const clock = businessClock(name, holidayRegion);
        expect(clock.addMinutes(clock.addMinutes(start, a), b).getTime()).toBe(clock.addMinutes(start, a + b).getTime());
      }),
      { seed, numRuns: 2000 },
    );
  });

  it('deadline(s, a + b) = deadline(deadline(s, a), b) within 1 ms for fractional minutes', () => {
    fc.assert(
      fc.property(calendarName, region, instant, budget, budget, (name, holidayRegion, start, a, b) => {
        const clock = businessClock(name, holidayRegion);
        const chained = clock.addMinutes(clock.addMinutes(start, a), b).getTime();
        expect(Math.abs(chained - clock.addMinutes(start, a + b).getTime())).toBeLessThanOrEqual(1);
      }),
      { seed, numRuns: 1000 },
    );
  });

  it('deadline is monotonic in the start and in the budget, and never before the start', () => {
    fc.assert(
      fc.property(calendarName, region, instant, instant, budget, budget, (name, holidayRegion, s1, s2, m1, m2) => {
        const clock = businessClock(name, holidayRegion);
        const [early, late] = s1 <= s2 ? [s1, s2] : [s2, s1];
        const [small, large] = m1 <= m2 ? [m1, m2] : [m2, m1];
        expect(clock.addMinutes(early, small).getTime()).toBeLessThanOrEqual(clock.addMinutes(late, small).getTime());
        expect(clock.addMinutes(early, small).getTime()).toBeLessThanOrEqual(clock.addMinutes(early, large).getTime());
        expect(clock.addMinutes(early, small).getTime()).toBeGreaterThanOrEqual(early.getTime());
      }),
      { seed, numRuns: 2000 },
    );
  });

  it('duration is monotonic in the end, antisymmetric and additive over a middle instant', () => {
    fc.assert(
      fc.property(calendarName, region, instant, instant, instant, (name, holidayRegion, a, b, c) => {
        const clock = businessClock(name, holidayRegion);
        const [start, middle, end] = [a, b, c].sort((x, y) => x.getTime() - y.getTime()) as [Date, Date, Date];
        expect(clock.minutesBetween(start, middle)).toBeLessThanOrEqual(clock.minutesBetween(start, end));
        expect(clock.minutesBetween(start, middle)).toBeGreaterThanOrEqual(0);
        expect(clock.minutesBetween(end, start) + clock.minutesBetween(start, end)).toBe(0);
        expect(clock.millisecondsBetween(start, middle) + clock.millisecondsBetween(middle, end)).toBe(
          clock.millisecondsBetween(start, end),
        );
      }),
      { seed, numRuns: 2000 },
    );
  });
});

describe('business clock against a minute-by-minute walk of the Paris wall clock', () => {
  const span = fc.integer({ min: 0, max: 4 * 1440 });

  it('duration matches the walk', () => {
    fc.assert(
      fc.property(calendarName, region, wholeMinuteInstant, span, (name, holidayRegion, startMs, minutes) => {
        const endMs = startMs + minutes * MINUTE;
        const expected = referenceMinutesBetween(startMs, endMs, REFERENCE_CALENDARS[name], holidayRegion);
        expect(businessClock(name, holidayRegion).minutesBetween(new Date(startMs), new Date(endMs))).toBe(expected);
      }),
      { seed, numRuns: 400 },
    );
  });

  it('deadline matches the walk', () => {
    fc.assert(
      fc.property(calendarName, region, wholeMinuteInstant, fc.integer({ min: 1, max: 3000 }), (name, holidayRegion, startMs, minutes) => {
        const expected = referenceDeadline(startMs, minutes, REFERENCE_CALENDARS[name], holidayRegion);
        expect(businessClock(name, holidayRegion).addMinutes(new Date(startMs), minutes).getTime()).toBe(expected);
      }),
      { seed, numRuns: 400 },
    );
  });

  it('DST weekends of every year 2025–2030 agree with the walk', () => {
    // Last Sundays of March and October, from Friday 00:00 UTC to Tuesday 00:00 UTC.
    for (const year of [2025, 2026, 2027, 2028, 2029, 2030]) {
      for (const month of [2, 9]) {
        const lastSunday = new Date(Date.UTC(year, month + 1, 0));
        lastSunday.setUTCDate(lastSunday.getUTCDate() - lastSunday.getUTCDay());
        const fromMs = lastSunday.getTime() - 2 * 1440 * MINUTE;
        const toMs = lastSunday.getTime() + 2 * 1440 * MINUTE;
        for (const name of ['heures-ouvrees', 'service', 'bureau'] as const) {
          const expected = referenceMinutesBetween(fromMs, toMs, REFERENCE_CALENDARS[name], 'national');
          expect(businessClock(name).minutesBetween(new Date(fromMs), new Date(toMs)), `${name} ${year}-${month + 1}`).toBe(expected);
        }
      }
    }
  });
});
