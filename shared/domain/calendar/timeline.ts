import type { ResolvedCalendar } from './definitions';
import { InvalidDurationError, InvalidInstantError } from './errors';
import { publicHolidays, type HolidayRegion } from './regions';
import { parisWallClockToEpochMs, parisYearOf, parisYearStartMs } from './wall-clock';

/** Years for which wall-clock and holiday rules are trusted; outside, inputs are refused rather than guessed. */
export const FIRST_SUPPORTED_YEAR = 1900;
export const LAST_SUPPORTED_YEAR = 2999;

/**
 * The business windows of one calendar in one holiday region, laid out as sorted,
 * disjoint instant intervals [starts[i], ends[i]) with `before[i]` = business ms of all
 * earlier intervals. Any instant then maps to its cumulative business time by one binary
 * search, and both clock operations become differences of cumulative times.
 *
 * Years are built lazily, only when an instant or a budget needs them, and kept as one
 * contiguous range so a single search covers multi-year spans.
 */
export class BusinessTimeline {
  private firstYear = 0;
  private lastYear = -1;
  private starts = new Float64Array(0);
  private ends = new Float64Array(0);
  private before = new Float64Array(0);
  private coveredFromMs = 0;
  private coveredUntilMs = 0;
  private readonly yearIntervals = new Map<number, { starts: number[]; ends: number[] }>();

  constructor(
    private readonly calendar: ResolvedCalendar,
    private readonly region: HolidayRegion,
  ) {}

  /** Business milliseconds from `fromMs` to `toMs`; negative when `toMs` is earlier. */
  businessMsBetween(fromMs: number, toMs: number): number {
    this.cover(fromMs);
    this.cover(toMs);
    return this.cumulativeAt(toMs) - this.cumulativeAt(fromMs);
  }

  /**
   * The earliest instant at or after `fromMs`, inside a (closed) business window, by which
   * `businessMs` of business time have elapsed. Closed windows give the contractual
   * end-of-window rule: a budget running out at 12:00 ends at 12:00, not at 14:00.
   *
   * The budget is rounded to whole milliseconds first: instants have millisecond
   * resolution, and integer arithmetic keeps the result exact (no float drift near
   * window edges, deadline(s, a + b) = deadline(deadline(s, a), b) for whole ms).
   */
  addBusinessMs(fromMs: number, businessMs: number): number {
    if (!Number.isFinite(businessMs) || businessMs < 0) {
      throw new InvalidDurationError(`a business duration must be a finite number >= 0, got ${businessMs}`);
    }
    this.cover(fromMs);
    const budgetMs = Math.round(businessMs);
    if (budgetMs === 0) return this.nextBusinessInstant(fromMs);
    const target = this.cumulativeAt(fromMs) + budgetMs;
    this.coverCumulative(target);
    const index = this.firstIntervalEndingAtOrAfter(target);
    return this.starts[index]! + (target - this.before[index]!);
  }

  /** `fromMs` itself when inside a closed window, else the start of the next window. */
  private nextBusinessInstant(fromMs: number): number {
    const index = this.lastIntervalStartingAtOrBefore(fromMs);
    if (index >= 0 && fromMs <= this.ends[index]!) return fromMs;
    while (index + 1 >= this.starts.length) this.extendTo(this.firstYear, this.lastYear + 1);
    return this.starts[index + 1]!;
  }

  private cumulativeAt(epochMs: number): number {
    const index = this.lastIntervalStartingAtOrBefore(epochMs);
    if (index < 0) return 0;
    const start = this.starts[index]!;
    const length = this.ends[index]! - start;
    return this.before[index]! + Math.min(epochMs - start, length);
  }

  private lastIntervalStartingAtOrBefore(epochMs: number): number {
    const starts = this.starts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (starts[middle]! <= epochMs) low = middle + 1;
      else high = middle;
    }
    return low - 1;
  }

  private firstIntervalEndingAtOrAfter(cumulativeMs: number): number {
    const before = this.before;
    const starts = this.starts;
    const ends = this.ends;
    let low = 0;
    let high = before.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (before[middle]! + (ends[middle]! - starts[middle]!) < cumulativeMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  private cover(epochMs: number): void {
    if (epochMs >= this.coveredFromMs && epochMs < this.coveredUntilMs) return;
    if (!Number.isFinite(epochMs)) throw new InvalidInstantError('invalid instant (not a valid date)');
    const year = parisYearOf(epochMs);
    if (year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
      throw new InvalidInstantError(
        `instant ${new Date(epochMs).toISOString()} is outside the supported years ${FIRST_SUPPORTED_YEAR}-${LAST_SUPPORTED_YEAR}`,
      );
    }
    if (this.lastYear < this.firstYear) this.extendTo(year, year);
    else this.extendTo(Math.min(year, this.firstYear), Math.max(year, this.lastYear));
  }

  /** Extends forward until the cumulative business time reaches `cumulativeMs`. */
  private coverCumulative(cumulativeMs: number): void {
    while (this.totalMs() < cumulativeMs) {
      const yearsBuilt = this.lastYear - this.firstYear + 1;
      const averagePerYear = this.totalMs() / yearsBuilt;
      // Jump by the estimated number of missing years at once: each extension rebuilds the arrays.
      const missingYears = averagePerYear > 0 ? Math.ceil((cumulativeMs - this.totalMs()) / averagePerYear) : 1;
      const lastYear = this.lastYear + Math.max(1, missingYears);
      if (lastYear > LAST_SUPPORTED_YEAR) {
        throw new InvalidDurationError(`the business duration reaches beyond year ${LAST_SUPPORTED_YEAR}`);
      }
      this.extendTo(this.firstYear, lastYear);
    }
  }

  private totalMs(): number {
    const last = this.before.length - 1;
    return last < 0 ? 0 : this.before[last]! + (this.ends[last]! - this.starts[last]!);
  }

  private extendTo(firstYear: number, lastYear: number): void {
    if (lastYear > LAST_SUPPORTED_YEAR) {
      throw new InvalidDurationError(`no business time left before the end of year ${LAST_SUPPORTED_YEAR}`);
    }
    const starts: number[] = [];
    const ends: number[] = [];
    for (let year = firstYear; year <= lastYear; year += 1) {
      const intervals = this.intervalsOfYear(year);
      for (let i = 0; i < intervals.starts.length; i += 1) {
        const start = Math.max(intervals.starts[i]!, ends[ends.length - 1] ?? -Infinity);
        const end = intervals.ends[i]!;
        if (end <= start) continue;
        // Contiguous windows (e.g. 00:00–24:00 day after day) merge, so an instant has one interval.
        if (ends.length > 0 && ends[ends.length - 1] === start) ends[ends.length - 1] = end;
        else {
          starts.push(start);
          ends.push(end);
        }
      }
    }
    const before = new Float64Array(starts.length);
    let cumulative = 0;
    for (let i = 0; i < starts.length; i += 1) {
      before[i] = cumulative;
      cumulative += ends[i]! - starts[i]!;
    }
    this.starts = Float64Array.from(starts);
    this.ends = Float64Array.from(ends);
    this.before = before;
    this.firstYear = firstYear;
    this.lastYear = lastYear;
    this.coveredFromMs = parisYearStartMs(firstYear);
    this.coveredUntilMs = parisYearStartMs(lastYear + 1);
  }

  private intervalsOfYear(year: number): { starts: number[]; ends: number[] } {
    let intervals = this.yearIntervals.get(year);
    if (intervals) return intervals;
    intervals = { starts: [], ends: [] };
    const holidays = publicHolidays(this.region, year);
    const weekdays = new Set(this.calendar.weekdays);
    for (let day = new Date(Date.UTC(year, 0, 1)); day.getUTCFullYear() === year; day = nextUtcDay(day)) {
      const isoWeekday = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
      if (!weekdays.has(isoWeekday) || holidays.has(day.toISOString().slice(0, 10))) continue;
      const month = day.getUTCMonth() + 1;
      const date = day.getUTCDate();
      for (const window of this.calendar.windows) {
        intervals.starts.push(parisWallClockToEpochMs(year, month, date, window.startMinute));
        intervals.ends.push(parisWallClockToEpochMs(year, month, date, window.endMinute));
      }
    }
    this.yearIntervals.set(year, intervals);
    return intervals;
  }
}

function nextUtcDay(day: Date): Date {
  return new Date(day.getTime() + 86_400_000);
}
