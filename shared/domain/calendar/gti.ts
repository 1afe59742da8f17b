import { businessClock, type CalendarInput } from './business-clock';
import type { HolidayRegion } from './regions';

/** Contract 000 VI.1.f: work starts within 2 hours of receiving an alert. */
export const DEFAULT_GTI_HOURS = 2;

export interface GtiOptions {
  /** The contract's service calendar; Pro Contrôle's 07:00–22:00 window by default. */
  calendar?: CalendarInput;
  region?: HolidayRegion;
  hours?: number;
}

/**
 * The GTI deadline: `hours` business hours of the service calendar after reception.
 * An alert received outside the window starts counting at the next window's start.
 */
export function gtiDeadline(receivedAt: Date, options: GtiOptions = {}): Date {
  const clock = businessClock(options.calendar ?? 'service', options.region ?? 'national');
  return clock.addMinutes(receivedAt, (options.hours ?? DEFAULT_GTI_HOURS) * 60);
}
