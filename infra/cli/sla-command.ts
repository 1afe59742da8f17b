import { Command, InvalidArgumentError } from 'commander';
import {
  businessClock,
  BUILT_IN_CALENDAR_NAMES,
  formatParisIso,
  HOLIDAY_REGIONS,
  MAX_BUSINESS_MINUTES,
  parseIsoInstant,
} from '../../shared/domain/calendar';
import type { CliIo } from './cli-io';

interface CalendarOptions {
  calendar: string;
  region: string;
}

/** `vigie sla …`: business-time arithmetic on the contracts' calendars. */
export function slaCommand(io: CliIo): Command {
  const sla = new Command('sla').description('business-time computations on the contracts\' calendars (Europe/Paris)');

  withCalendarOptions(sla.command('deadline'))
    .description('print the instant reached after N business minutes (ISO-8601, Europe/Paris offset)')
    .requiredOption('--start <iso>', 'start instant, ISO-8601 with offset, e.g. 2026-03-02T16:00:00+01:00', parseInstantOption)
    .requiredOption('--minutes <n>', 'business minutes to add (>= 0, decimals allowed)', parseMinutesOption)
    .action((options: CalendarOptions & { start: Date; minutes: number }) => {
      const clock = businessClock(options.calendar, options.region);
      io.out(formatParisIso(clock.addMinutes(options.start, options.minutes)));
    });

  withCalendarOptions(sla.command('duration'))
    .description('print the business minutes between two instants (negative when --end is before --start)')
    .requiredOption('--start <iso>', 'start instant, ISO-8601 with offset', parseInstantOption)
    .requiredOption('--end <iso>', 'end instant, ISO-8601 with offset', parseInstantOption)
    .action((options: CalendarOptions & { start: Date; end: Date }) => {
      const clock = businessClock(options.calendar, options.region);
      io.out(formatMinutes(clock.minutesBetween(options.start, options.end)));
    });

  return sla;
}

function withCalendarOptions(command: Command): Command {
  return command
    .requiredOption('--calendar <name>', `business calendar: ${BUILT_IN_CALENDAR_NAMES.join(', ')}`)
    .option('--region <region>', `public holidays: ${HOLIDAY_REGIONS.join(', ')}`, 'national');
}

function parseInstantOption(value: string): Date {
  try {
    return parseIsoInstant(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function parseMinutesOption(value: string): number {
  const minutes = /^\d+(?:\.\d+)?$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isFinite(minutes)) throw new InvalidArgumentError('expected a number of minutes >= 0.');
  if (minutes > MAX_BUSINESS_MINUTES) throw new InvalidArgumentError(`must not exceed ${MAX_BUSINESS_MINUTES}.`);
  return minutes;
}

/** Up to 6 decimals: enough for milliseconds, without binary float noise like 0.30000000000000004. */
function formatMinutes(minutes: number): string {
  return String(Number(minutes.toFixed(6)));
}
