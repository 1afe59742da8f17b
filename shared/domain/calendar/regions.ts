import Holidays from 'date-holidays';
import { z } from 'zod';
import { UnknownRegionError } from './errors';

export const HOLIDAY_REGIONS = ['national', 'alsace-moselle'] as const;
export const HolidayRegionSchema = z.enum(HOLIDAY_REGIONS);
export type HolidayRegion = z.infer<typeof HolidayRegionSchema>;

// date-holidays knows the local law of Alsace-Moselle per department (57 Moselle,
// 67 Bas-Rhin, 68 Haut-Rhin — identical rules); Moselle stands for all three.
const DATE_HOLIDAYS_STATE: Record<HolidayRegion, string | undefined> = {
  national: undefined,
  'alsace-moselle': '57',
};

const calendarsByRegion = new Map<HolidayRegion, Holidays>();
const holidaysByRegionYear = new Map<string, ReadonlySet<string>>();

export function parseHolidayRegion(value: string): HolidayRegion {
  const parsed = HolidayRegionSchema.safeParse(value);
  if (!parsed.success) {
    throw new UnknownRegionError(`unknown region "${value}" (known: ${HOLIDAY_REGIONS.join(', ')})`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/**
 * The public holidays (jours fériés) of a region for one year, as Europe/Paris calendar
 * dates "YYYY-MM-DD". Only type 'public' is kept: date-holidays also lists observances
 * (Pentecost Sunday, Mother's Day) that are not days off.
 */
export function publicHolidays(region: HolidayRegion, year: number): ReadonlySet<string> {
  const cacheKey = `${region}|${year}`;
  let dates = holidaysByRegionYear.get(cacheKey);
  if (!dates) {
    dates = new Set(
      holidayCalendar(region)
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    holidaysByRegionYear.set(cacheKey, dates);
  }
  return dates;
}

function holidayCalendar(region: HolidayRegion): Holidays {
  let calendar = calendarsByRegion.get(region);
  if (!calendar) {
    const state = DATE_HOLIDAYS_STATE[region];
    // The rules are those of mainland France; the zone only matters for date-holidays'
    // own instants, which we do not use (we keep the local calendar date).
    calendar = state === undefined ? new Holidays('FR') : new Holidays('FR', state);
    calendarsByRegion.set(region, calendar);
  }
  return calendar;
}
