import { gtiDeadline, isBuiltInCalendarName, UnknownCalendarError, type CalendarInput } from '../calendar';
import type { Contract } from '../../schemas/contract';

type ContractCalendars = Pick<Contract, 'calendars' | 'calendarRegion' | 'modules'>;

/** A calendar a contract names: one of its own first, else a built-in one. */
export function calendarOf(contract: Pick<Contract, 'calendars'>, name: string): CalendarInput {
  const own = contract.calendars.find((calendar) => calendar.name === name);
  if (own) return own;
  if (isBuiltInCalendarName(name)) return name;
  throw new UnknownCalendarError(`the contract names an unknown calendar "${name}"`);
}

/**
 * The GTI deadline of an alert received at `receivedAt` (000 VI.1.f): the contract's GTI in business
 * minutes of its service calendar, in its holiday region. None when Pro Contrôle is not active.
 */
export function contractGtiDeadline(contract: ContractCalendars, receivedAt: Date): Date | undefined {
  const proControle = contract.modules.proControle;
  if (!proControle?.active) return undefined;
  return gtiDeadline(receivedAt, {
    calendar: calendarOf(contract, proControle.serviceCalendar),
    region: contract.calendarRegion,
    hours: proControle.gtiMinutes / 60,
  });
}
