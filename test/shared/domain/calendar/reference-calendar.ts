// An independent, deliberately naive model of the business calendars, used as an oracle:
// hand-written holidays, Paris wall clock from Intl (not luxon), minute-by-minute walks.
// Slow, but it shares no code with shared/domain/calendar.

const EASTER_BASED: Record<number, { goodFriday: string; easterMonday: string; ascension: string; whitMonday: string }> = {
  2025: { goodFriday: '2025-04-18', easterMonday: '2025-04-21', ascension: '2025-05-29', whitMonday: '2025-06-09' },
  2026: { goodFriday: '2026-04-03', easterMonday: '2026-04-06', ascension: '2026-05-14', whitMonday: '2026-05-25' },
  2027: { goodFriday: '2027-03-26', easterMonday: '2027-03-29', ascension: '2027-05-06', whitMonday: '2027-05-17' },
  2028: { goodFriday: '2028-04-14', easterMonday: '2028-04-17', ascension: '2028-05-25', whitMonday: '2028-06-05' },
  2029: { goodFriday: '2029-03-30', easterMonday: '2029-04-02', ascension: '2029-05-10', whitMonday: '2029-05-21' },
  2030: { goodFriday: '2030-04-19', easterMonday: '2030-04-22', ascension: '2030-05-30', whitMonday: '2030-06-10' },
};

export const REFERENCE_YEARS = [2025, 2026, 2027, 2028, 2029, 2030] as const;

/** REQUIREMENTS §4, written out by hand for 2025–2030. */
export function referenceHolidays(year: number, region: 'national' | 'alsace-moselle'): string[] {
  const easter = EASTER_BASED[year];
  if (!easter) throw new Error(`no reference holidays for ${year}`);
  const national = [
    `${year}-01-01`,
    easter.easterMonday,
    `${year}-05-01`,
    `${year}-05-08`,
    easter.ascension,
    easter.whitMonday,
    `${year}-07-14`,
    `${year}-08-15`,
    `${year}-11-01`,
    `${year}-11-11`,
    `${year}-12-25`,
  ];
  const all = region === 'alsace-moselle' ? [...national, easter.goodFriday, `${year}-12-26`] : national;
  return all.sort();
}

export interface ReferenceCalendar {
  windows: Array<[startMinute: number, endMinute: number]>;
  weekdays: number[];
}

export const REFERENCE_CALENDARS: Record<'heures-ouvrees' | 'service' | 'bureau', ReferenceCalendar> = {
  'heures-ouvrees': { windows: [[8 * 60 + 30, 12 * 60], [14 * 60, 18 * 60]], weekdays: [1, 2, 3, 4, 5] },
  service: { windows: [[7 * 60, 22 * 60]], weekdays: [1, 2, 3, 4, 5] },
  bureau: { windows: [[8 * 60 + 30, 18 * 60]], weekdays: [1, 2, 3, 4, 5] },
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const parisParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const offsetByUtcHour = new Map<number, number>();

/** Paris UTC offset in ms at an instant; offsets only change on whole UTC hours, so cache per hour. */
function parisOffsetMs(epochMs: number): number {
  const hour = Math.floor(epochMs / HOUR);
  let offset = offsetByUtcHour.get(hour);
  if (offset === undefined) {
    const parts = Object.fromEntries(parisParts.formatToParts(new Date(hour * HOUR)).map((p) => [p.type, p.value]));
    const wallAsUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
    offset = wallAsUtc - hour * HOUR;
    offsetByUtcHour.set(hour, offset);
  }
  return offset;
}

const holidaySets = new Map<string, Set<string>>();

/** Whether the minute starting at `epochMs` (a whole minute) is business time. */
export function isBusinessMinute(epochMs: number, calendar: ReferenceCalendar, region: 'national' | 'alsace-moselle'): boolean {
  const local = new Date(epochMs + parisOffsetMs(epochMs));
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  if (!calendar.weekdays.includes(weekday)) return false;
  const date = local.toISOString().slice(0, 10);
  const key = `${region}|${local.getUTCFullYear()}`;
  let holidays = holidaySets.get(key);
  if (!holidays) {
    holidays = new Set(referenceHolidays(local.getUTCFullYear(), region));
    holidaySets.set(key, holidays);
  }
  if (holidays.has(date)) return false;
  const minuteOfDay = local.getUTCHours() * 60 + local.getUTCMinutes();
  return calendar.windows.some(([start, end]) => minuteOfDay >= start && minuteOfDay < end);
}

/** Business minutes between two whole-minute instants, by walking every minute. */
export function referenceMinutesBetween(
  startMs: number,
  endMs: number,
  calendar: ReferenceCalendar,
  region: 'national' | 'alsace-moselle',
): number {
  let count = 0;
  for (let t = startMs; t < endMs; t += MINUTE) if (isBusinessMinute(t, calendar, region)) count += 1;
  return count;
}

/** The end of the `minutes`-th business minute after a whole-minute start (minutes >= 1). */
export function referenceDeadline(
  startMs: number,
  minutes: number,
  calendar: ReferenceCalendar,
  region: 'national' | 'alsace-moselle',
): number {
  let remaining = minutes;
  let t = startMs;
  for (;;) {
    if (isBusinessMinute(t, calendar, region)) {
      remaining -= 1;
      if (remaining === 0) return t + MINUTE;
    }
    t += MINUTE;
  }
}
