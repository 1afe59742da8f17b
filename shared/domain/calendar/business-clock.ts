import { getCalendar, type CalendarDefinitionInput, type ResolvedCalendar } from './definitions';
import { InvalidDurationError, InvalidInstantError } from './errors';
import { parseHolidayRegion, type HolidayRegion } from './regions';
import { BusinessTimeline } from './timeline';

const MS_PER_MINUTE = 60_000;

/** A calendar as callers name it: a built-in name, a contract's own definition, or an already resolved one. */
export type CalendarInput = string | CalendarDefinitionInput | ResolvedCalendar;

/** Business-time arithmetic for one calendar in one holiday region. */
export interface BusinessClock {
  readonly calendar: ResolvedCalendar;
  readonly region: HolidayRegion;
  /**
   * Business minutes between two instants, fractional when seconds are involved.
   * Signed: negative when `end` is before `start` (minutesBetween(a, b) = -minutesBetween(b, a)),
   * so a reversed pair is visible instead of silently counting 0.
   */
  minutesBetween(start: Date, end: Date): number;
  /** Same as minutesBetween in integer milliseconds, for exact comparisons against thresholds. */
  millisecondsBetween(start: Date, end: Date): number;
  /**
   * The instant reached after `minutes` business minutes from `start` (minutes >= 0, fractional allowed,
   * rounded to the millisecond).
   * A budget ending exactly at a window's end gives that end; 0 minutes gives `start` inside a window,
   * else the next window's start.
   */
  addMinutes(start: Date, minutes: number): Date;
}

/** Guards the timeline against budgets that would build centuries of windows by mistake. */
export const MAX_BUSINESS_MINUTES = 100 * 366 * 24 * 60;

const timelines = new Map<string, BusinessTimeline>();

export function businessClock(calendarInput: CalendarInput, region: HolidayRegion | string = 'national'): BusinessClock {
  const calendar = getCalendar(calendarInput);
  const holidayRegion = parseHolidayRegion(region);
  const timeline = timelineFor(calendar, holidayRegion);
  return {
    calendar,
    region: holidayRegion,
    millisecondsBetween: (start, end) => timeline.businessMsBetween(...spanMs(start, end)),
    minutesBetween: (start, end) => timeline.businessMsBetween(...spanMs(start, end)) / MS_PER_MINUTE,
    addMinutes: (start, minutes) => {
      assertBusinessMinutes(minutes);
      return new Date(timeline.addBusinessMs(instantMs(start, 'start'), minutes * MS_PER_MINUTE));
    },
  };
}

export function businessMinutesBetween(
  calendar: CalendarInput,
  region: HolidayRegion | string,
  start: Date,
  end: Date,
): number {
  return businessClock(calendar, region).minutesBetween(start, end);
}

export function addBusinessMinutes(calendar: CalendarInput, region: HolidayRegion | string, start: Date, minutes: number): Date {
  return businessClock(calendar, region).addMinutes(start, minutes);
}

function timelineFor(calendar: ResolvedCalendar, region: HolidayRegion): BusinessTimeline {
  const cacheKey = `${region}|${calendar.key}`;
  let timeline = timelines.get(cacheKey);
  if (!timeline) {
    timeline = new BusinessTimeline(calendar, region);
    timelines.set(cacheKey, timeline);
  }
  return timeline;
}

function instantMs(value: Date, label: string): number {
  const epochMs = value instanceof Date ? value.getTime() : Number.NaN;
  if (Number.isNaN(epochMs)) throw new InvalidInstantError(`${label} is not a valid date`);
  return epochMs;
}

/** Longest span a duration may cover: like budgets, a typo must not build centuries of windows. */
export const MAX_SPAN_MS = 100 * 366 * 24 * 60 * MS_PER_MINUTE;

function spanMs(start: Date, end: Date): [number, number] {
  const startMs = instantMs(start, 'start');
  const endMs = instantMs(end, 'end');
  if (Math.abs(endMs - startMs) > MAX_SPAN_MS) throw new InvalidDurationError('the span between start and end must not exceed 100 years');
  return [startMs, endMs];
}

function assertBusinessMinutes(minutes: number): void {
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 0) {
    throw new InvalidDurationError(`minutes must be a finite number >= 0, got ${String(minutes)}`);
  }
  if (minutes > MAX_BUSINESS_MINUTES) {
    throw new InvalidDurationError(`minutes must not exceed ${MAX_BUSINESS_MINUTES} (100 years)`);
  }
}
