import { z } from 'zod';
import { InvalidCalendarDefinitionError, UnknownCalendarError } from './errors';

const MINUTES_PER_DAY = 24 * 60;

/** "HH:MM" from 00:00 to 24:00 (24:00 only makes sense as a window end, checked below). */
const WallClockTimeSchema = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a wall-clock time "HH:MM" between 00:00 and 24:00');

export const CalendarWindowSchema = z.strictObject({ start: WallClockTimeSchema, end: WallClockTimeSchema });

/** A calendar's name, built in (`heures-ouvrees`) or a contract's own: a lowercase slug. */
export const CalendarNameSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'a calendar name: lowercase letters, digits and inner hyphens, 1 to 64 characters');

/** ISO weekdays: 1 = Monday … 7 = Sunday. */
export const IsoWeekdaySchema = z.int().min(1).max(7);

/**
 * A business calendar as a contract states it: daily windows of Europe/Paris wall-clock
 * time on the given weekdays, minus the public holidays of the contract's region.
 */
export const CalendarDefinitionSchema = z
  .strictObject({
    name: CalendarNameSchema,
    windows: z.array(CalendarWindowSchema).min(1).max(24),
    weekdays: z.array(IsoWeekdaySchema).min(1).max(7).default([1, 2, 3, 4, 5]),
  })
  .superRefine((definition, context) => {
    const windows = definition.windows.map(toMinuteWindow);
    windows.forEach((window, index) => {
      if (window.startMinute >= window.endMinute) {
        context.addIssue({ code: 'custom', path: ['windows', index], message: 'a window must end after it starts' });
      }
      const previous = windows[index - 1];
      if (previous && window.startMinute < previous.endMinute) {
        context.addIssue({
          code: 'custom',
          path: ['windows', index],
          message: 'windows must be listed in order and must not overlap',
        });
      }
    });
    if (new Set(definition.weekdays).size !== definition.weekdays.length) {
      context.addIssue({ code: 'custom', path: ['weekdays'], message: 'weekdays must not repeat' });
    }
  });
export type CalendarDefinition = z.infer<typeof CalendarDefinitionSchema>;
export type CalendarDefinitionInput = z.input<typeof CalendarDefinitionSchema>;

export const BUILT_IN_CALENDAR_NAMES = ['heures-ouvrees', 'service', 'bureau'] as const;
export const BuiltInCalendarNameSchema = z.enum(BUILT_IN_CALENDAR_NAMES);
export type BuiltInCalendarName = z.infer<typeof BuiltInCalendarNameSchema>;

/** What callers may pass where a calendar is expected: a built-in name or a contract's own definition. */

/** A validated calendar with its windows in minutes since local midnight, ready for the timeline. */
export interface ResolvedCalendar {
  readonly name: string;
  readonly windows: readonly MinuteWindow[];
  /** ISO weekdays, sorted. */
  readonly weekdays: readonly number[];
  /** Identifies the calendar's shape, so two contracts defining the same calendar share one cached timeline. */
  readonly key: string;
}

export interface MinuteWindow {
  readonly startMinute: number;
  readonly endMinute: number;
}

const BUILT_IN_DEFINITIONS: Record<BuiltInCalendarName, CalendarDefinitionInput> = {
  // Contract 001 art. 1: heures ouvrées, with the lunch break excluded.
  'heures-ouvrees': {
    name: 'heures-ouvrees',
    windows: [
      { start: '08:30', end: '12:00' },
      { start: '14:00', end: '18:00' },
    ],
  },
  // Contract 000 VI.1.a: the Pro Contrôle monitoring window.
  service: { name: 'service', windows: [{ start: '07:00', end: '22:00' }] },
  // Contract 003 III.2: office hours for restores.
  bureau: { name: 'bureau', windows: [{ start: '08:30', end: '18:00' }] },
};

const resolvedBuiltIns = new Map<BuiltInCalendarName, ResolvedCalendar>();

export function isBuiltInCalendarName(name: string): name is BuiltInCalendarName {
  return (BUILT_IN_CALENDAR_NAMES as readonly string[]).includes(name);
}

/**
 * Resolves a built-in calendar name or validates a contract's own definition.
 * Throws UnknownCalendarError for an unknown name, InvalidCalendarDefinitionError for a bad definition.
 */
export function getCalendar(reference: string | CalendarDefinitionInput | ResolvedCalendar): ResolvedCalendar {
  if (typeof reference === 'string') {
    if (!isBuiltInCalendarName(reference)) {
      throw new UnknownCalendarError(
        `unknown calendar "${reference}" (known: ${BUILT_IN_CALENDAR_NAMES.join(', ')})`,
      );
    }
    let resolved = resolvedBuiltIns.get(reference);
    if (!resolved) {
      resolved = resolveDefinition(BUILT_IN_DEFINITIONS[reference]);
      resolvedBuiltIns.set(reference, resolved);
    }
    return resolved;
  }
  if (isResolvedCalendar(reference)) return reference;
  return resolveDefinition(reference);
}

/** A definition carries "HH:MM" windows and no key; a resolved calendar carries minute windows and a key. */
function isResolvedCalendar(value: CalendarDefinitionInput | ResolvedCalendar): value is ResolvedCalendar {
  return 'key' in value;
}

function resolveDefinition(input: CalendarDefinitionInput): ResolvedCalendar {
  const parsed = CalendarDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const summary = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new InvalidCalendarDefinitionError(`invalid calendar definition: ${summary.join('; ')}`, {
      cause: parsed.error,
    });
  }
  const windows = parsed.data.windows.map(toMinuteWindow);
  const weekdays = [...parsed.data.weekdays].sort((a, b) => a - b);
  const shape = `${weekdays.join('')}|${windows.map((w) => `${w.startMinute}-${w.endMinute}`).join(',')}`;
  return { name: parsed.data.name, windows, weekdays, key: shape };
}

function toMinuteWindow(window: { start: string; end: string }): MinuteWindow {
  return { startMinute: parseWallClockMinutes(window.start), endMinute: parseWallClockMinutes(window.end) };
}

function parseWallClockMinutes(hhmm: string): number {
  const minutes = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return Math.min(minutes, MINUTES_PER_DAY);
}
