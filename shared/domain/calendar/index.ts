export {
  addBusinessMinutes,
  businessClock,
  businessMinutesBetween,
  MAX_BUSINESS_MINUTES,
  type BusinessClock,
  type CalendarInput,
} from './business-clock';
export {
  BUILT_IN_CALENDAR_NAMES,
  BuiltInCalendarNameSchema,
  CalendarDefinitionSchema,
  CalendarWindowSchema,
  getCalendar,
  isBuiltInCalendarName,
  type BuiltInCalendarName,
  type CalendarDefinition,
  type CalendarDefinitionInput,
  type MinuteWindow,
  type ResolvedCalendar,
} from './definitions';
export {
  CalendarDomainError,
  InvalidCalendarDefinitionError,
  InvalidDurationError,
  InvalidInstantError,
  UnknownCalendarError,
  UnknownRegionError,
} from './errors';
export { DEFAULT_GTI_HOURS, gtiDeadline, type GtiOptions } from './gti';
export { formatParisIso, parseIsoInstant, readIsoInstant } from './iso';
export { HOLIDAY_REGIONS, HolidayRegionSchema, parseHolidayRegion, publicHolidays, type HolidayRegion } from './regions';
export { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR } from './timeline';
export { PARIS_ZONE, parisYearOf, parisYearStartMs } from './wall-clock';
