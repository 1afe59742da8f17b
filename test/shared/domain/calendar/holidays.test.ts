import { describe, expect, it } from 'vitest';
import { businessClock, parseIsoInstant, publicHolidays } from '../../../../shared/domain/calendar';
import { REFERENCE_YEARS, referenceHolidays } from './reference-calendar';

const parisMidnight = (date: string): Date => parseIsoInstant(`${date}T00:00:00${date.slice(5, 7) >= '04' && date.slice(5, 7) <= '10' ? '+02:00' : '+01:00'}`);
const nextDay = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const isWeekday = (date: string): boolean => [1, 2, 3, 4, 5].includes(new Date(`${date}T00:00:00Z`).getUTCDay());

/** Business minutes of heures-ouvrees on one Paris day, measured through the public clock. */
function businessMinutesOnDay(date: string, region: 'national' | 'alsace-moselle'): number {
  // 06:00 to 20:00 local stays clear of midnight and of DST switches (02:00/03:00).
  const start = new Date(parisMidnight(date).getTime() + 6 * 3_600_000);
  const end = new Date(parisMidnight(date).getTime() + 20 * 3_600_000);
  return businessClock('heures-ouvrees', region).minutesBetween(start, end);
}

describe('public holidays come from date-holidays and match the French list exactly', () => {
  for (const year of REFERENCE_YEARS) {
    it(`national ${year}: the 11 jours fériés of REQUIREMENTS §4`, () => {
      expect([...publicHolidays('national', year)].sort()).toEqual(referenceHolidays(year, 'national'));
    });
    it(`alsace-moselle ${year}: national plus Good Friday and 26 December`, () => {
      expect([...publicHolidays('alsace-moselle', year)].sort()).toEqual(referenceHolidays(year, 'alsace-moselle'));
    });
  }
});

describe('a holiday on a weekday has no business hours; the next weekday is normal', () => {
  for (const year of REFERENCE_YEARS) {
    for (const region of ['national', 'alsace-moselle'] as const) {
      it(`${region} ${year}`, () => {
        const holidays = new Set(referenceHolidays(year, region));
        for (const holiday of holidays) {
          if (!isWeekday(holiday)) continue;
          expect(businessMinutesOnDay(holiday, region), holiday).toBe(0);
          const after = nextDay(holiday);
          if (isWeekday(after) && !holidays.has(after)) expect(businessMinutesOnDay(after, region), after).toBe(450);
        }
      });
    }
  }

  it('Good Friday and 26 December are working days outside Alsace-Moselle', () => {
    expect(businessMinutesOnDay('2026-04-03', 'national')).toBe(450);
    expect(businessMinutesOnDay('2026-04-03', 'alsace-moselle')).toBe(0);
    expect(businessMinutesOnDay('2025-12-26', 'national')).toBe(450);
    expect(businessMinutesOnDay('2025-12-26', 'alsace-moselle')).toBe(0);
  });

  it('a whole year: 252 working days in 2026 nationally, 251 in Alsace-Moselle (26 Dec is a Saturday)', () => {
    const from = parseIsoInstant('2026-01-01T00:00:00+01:00');
    const to = parseIsoInstant('2027-01-01T00:00:00+01:00');
    expect(businessClock('heures-ouvrees', 'national').minutesBetween(from, to)).toBe(252 * 450);
    expect(businessClock('heures-ouvrees', 'alsace-moselle').minutesBetween(from, to)).toBe(251 * 450);
  });
});
