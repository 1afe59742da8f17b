import { describe, expect, it } from 'vitest';
import {
  addBusinessMinutes,
  businessClock,
  businessMinutesBetween,
  formatParisIso,
  gtiDeadline,
  InvalidCalendarDefinitionError,
  InvalidDurationError,
  InvalidInstantError,
  parseIsoInstant,
  UnknownCalendarError,
  UnknownRegionError,
} from '../../../../shared/domain/calendar';

type Region = 'national' | 'alsace-moselle';
const at = parseIsoInstant;

describe('addBusinessMinutes (deadline)', () => {
  const cases: Array<[what: string, calendar: string, region: Region, start: string, minutes: number, expected: string]> = [
    ['the issue example', 'heures-ouvrees', 'national', '2026-03-02T16:00:00+01:00', 270, '2026-03-03T11:00:00+01:00'],
    ['same example given in UTC', 'heures-ouvrees', 'national', '2026-03-02T15:00:00Z', 270, '2026-03-03T11:00:00+01:00'],
    ['budget ending at 12:00 stays at 12:00, not 14:00', 'heures-ouvrees', 'national', '2026-03-03T11:00:00+01:00', 60, '2026-03-03T12:00:00+01:00'],
    ['budget ending at 18:00 stays at 18:00', 'heures-ouvrees', 'national', '2026-03-03T17:00:00+01:00', 60, '2026-03-03T18:00:00+01:00'],
    ['one minute past noon jumps the lunch break', 'heures-ouvrees', 'national', '2026-03-03T11:00:00+01:00', 61, '2026-03-03T14:01:00+01:00'],
    ['start during lunch counts from 14:00', 'heures-ouvrees', 'national', '2026-03-03T12:30:00+01:00', 30, '2026-03-03T14:30:00+01:00'],
    ['start before opening counts from 08:30', 'heures-ouvrees', 'national', '2026-03-03T07:00:00+01:00', 30, '2026-03-03T09:00:00+01:00'],
    ['start after closing counts from next morning', 'heures-ouvrees', 'national', '2026-03-03T19:00:00+01:00', 30, '2026-03-04T09:00:00+01:00'],
    ['Friday evening over the spring-forward weekend', 'heures-ouvrees', 'national', '2026-03-27T17:00:00+01:00', 120, '2026-03-30T09:30:00+02:00'],
    ['Saturday start on the spring-forward weekend', 'heures-ouvrees', 'national', '2026-03-28T10:00:00+01:00', 30, '2026-03-30T09:00:00+02:00'],
    ['Friday evening over the fall-back weekend', 'heures-ouvrees', 'national', '2026-10-23T17:30:00+02:00', 60, '2026-10-26T09:00:00+01:00'],
    ['fall-back weekend, start given in UTC', 'heures-ouvrees', 'national', '2026-10-23T15:30:00Z', 60, '2026-10-26T09:00:00+01:00'],
    ['Sunday 02:30 UTC+02 input on the fall-back night', 'heures-ouvrees', 'national', '2026-10-25T02:30:00+02:00', 30, '2026-10-26T09:00:00+01:00'],
    ['2025 spring-forward weekend, bureau', 'bureau', 'national', '2025-03-28T17:00:00+01:00', 90, '2025-03-31T09:00:00+02:00'],
    ['Ascension Thursday is skipped', 'heures-ouvrees', 'national', '2026-05-13T17:00:00+02:00', 90, '2026-05-15T09:00:00+02:00'],
    ['Easter Monday is skipped, Good Friday worked nationally', 'heures-ouvrees', 'national', '2026-04-03T17:00:00+02:00', 120, '2026-04-07T09:30:00+02:00'],
    ['Good Friday off in Alsace-Moselle', 'heures-ouvrees', 'alsace-moselle', '2026-04-03T17:00:00+02:00', 120, '2026-04-07T10:30:00+02:00'],
    ['26 December worked nationally', 'heures-ouvrees', 'national', '2025-12-24T17:00:00+01:00', 120, '2025-12-26T09:30:00+01:00'],
    ['26 December off in Alsace-Moselle', 'heures-ouvrees', 'alsace-moselle', '2025-12-24T17:00:00+01:00', 120, '2025-12-29T09:30:00+01:00'],
    ['Whit Monday is skipped', 'heures-ouvrees', 'national', '2026-05-22T17:00:00+02:00', 120, '2026-05-26T09:30:00+02:00'],
    ['New Year: 31 Dec evening to 2 Jan', 'heures-ouvrees', 'national', '2025-12-31T17:30:00+01:00', 60, '2026-01-02T09:00:00+01:00'],
    ['service window 07:00–22:00', 'service', 'national', '2026-03-02T21:00:00+01:00', 120, '2026-03-03T08:00:00+01:00'],
    ['bureau has no lunch break', 'bureau', 'national', '2026-03-02T11:00:00+01:00', 120, '2026-03-02T13:00:00+01:00'],
    ['one full week of heures ouvrées', 'heures-ouvrees', 'national', '2026-03-02T08:30:00+01:00', 5 * 450, '2026-03-06T18:00:00+01:00'],
    ['fractional minutes land on seconds', 'heures-ouvrees', 'national', '2026-03-02T10:00:00+01:00', 1.5, '2026-03-02T10:01:30+01:00'],
    ['zero inside a window is the instant itself', 'heures-ouvrees', 'national', '2026-03-02T10:15:00+01:00', 0, '2026-03-02T10:15:00+01:00'],
    ['zero at a window end is that end', 'heures-ouvrees', 'national', '2026-03-02T12:00:00+01:00', 0, '2026-03-02T12:00:00+01:00'],
    ['zero during lunch is the next window start', 'heures-ouvrees', 'national', '2026-03-02T12:30:00+01:00', 0, '2026-03-02T14:00:00+01:00'],
    ['zero on Friday night is Monday morning', 'heures-ouvrees', 'national', '2026-03-06T19:00:00+01:00', 0, '2026-03-09T08:30:00+01:00'],
  ];

  for (const [what, calendar, region, start, minutes, expected] of cases) {
    it(`${what}: ${start} + ${minutes} min ${calendar}/${region} = ${expected}`, () => {
      expect(formatParisIso(addBusinessMinutes(calendar, region, at(start), minutes))).toBe(expected);
    });
  }
});

describe('businessMinutesBetween (duration)', () => {
  const cases: Array<[what: string, calendar: string, region: Region, start: string, end: string, expected: number]> = [
    ['a whole working day', 'heures-ouvrees', 'national', '2026-03-02T08:00:00+01:00', '2026-03-02T20:00:00+01:00', 450],
    ['across the lunch break', 'heures-ouvrees', 'national', '2026-03-02T11:00:00+01:00', '2026-03-02T15:00:00+01:00', 120],
    ['both ends inside the lunch break', 'heures-ouvrees', 'national', '2026-03-02T12:10:00+01:00', '2026-03-02T13:50:00+01:00', 0],
    ['same instants in mixed offsets', 'heures-ouvrees', 'national', '2026-03-02T10:00:00Z', '2026-03-02T15:00:00+01:00', 120],
    ['over the spring-forward weekend', 'heures-ouvrees', 'national', '2026-03-27T17:00:00+01:00', '2026-03-30T09:30:00+02:00', 120],
    ['over the fall-back weekend', 'heures-ouvrees', 'national', '2026-10-23T17:30:00+02:00', '2026-10-26T09:00:00+01:00', 60],
    ['a week', 'heures-ouvrees', 'national', '2026-03-02T00:00:00+01:00', '2026-03-09T00:00:00+01:00', 2250],
    ['a week with Ascension', 'service', 'national', '2026-05-11T00:00:00+02:00', '2026-05-18T00:00:00+02:00', 4 * 900],
    ['seconds give fractions', 'heures-ouvrees', 'national', '2026-03-02T10:00:00+01:00', '2026-03-02T10:00:30+01:00', 0.5],
    ['reversed instants give a negative duration', 'heures-ouvrees', 'national', '2026-03-02T15:00:00+01:00', '2026-03-02T11:00:00+01:00', -120],
    ['weekend only', 'bureau', 'alsace-moselle', '2026-03-07T00:00:00+01:00', '2026-03-09T00:00:00+01:00', 0],
  ];

  for (const [what, calendar, region, start, end, expected] of cases) {
    it(`${what}: ${calendar}/${region} ${start} → ${end} = ${expected}`, () => {
      expect(businessMinutesBetween(calendar, region, at(start), at(end))).toBeCloseTo(expected, 9);
    });
  }
});

describe('contract-defined calendars', () => {
  const everyDayAllDay = { name: 'h24-7j', windows: [{ start: '00:00', end: '24:00' }], weekdays: [1, 2, 3, 4, 5, 6, 7] };

  it('count real elapsed time on DST days: 23 h in March, 25 h in October', () => {
    const clock = businessClock(everyDayAllDay, 'national');
    expect(clock.minutesBetween(at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(23 * 60);
    expect(clock.minutesBetween(at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(25 * 60);
  });

  it('still skip public holidays', () => {
    const clock = businessClock(everyDayAllDay, 'national');
    expect(clock.minutesBetween(at('2026-07-13T00:00:00+02:00'), at('2026-07-16T00:00:00+02:00'))).toBe(2 * 24 * 60);
  });

  it('default to Monday–Friday', () => {
    const clock = businessClock({ name: 'matin', windows: [{ start: '09:00', end: '10:00' }] }, 'national');
    expect(clock.minutesBetween(at('2026-03-02T00:00:00+01:00'), at('2026-03-09T00:00:00+01:00'))).toBe(5 * 60);
    expect(formatParisIso(clock.addMinutes(at('2026-03-06T09:30:00+01:00'), 45))).toBe('2026-03-09T09:15:00+01:00');
  });

  it('are rejected when windows overlap, are reversed, or weekdays are out of range', () => {
    expect(() => businessClock({ name: 'x', windows: [{ start: '10:00', end: '09:00' }] })).toThrow(InvalidCalendarDefinitionError);
    expect(() =>
      businessClock({ name: 'x', windows: [{ start: '08:00', end: '12:00' }, { start: '11:00', end: '13:00' }] }),
    ).toThrow(InvalidCalendarDefinitionError);
    expect(() => businessClock({ name: 'x', windows: [{ start: '08:00', end: '25:00' }] })).toThrow(InvalidCalendarDefinitionError);
    expect(() => businessClock({ name: 'x', windows: [{ start: '08:00', end: '09:00' }], weekdays: [0] })).toThrow(
      InvalidCalendarDefinitionError,
    );
  });
});

describe('gtiDeadline', () => {
  it('is 2 business hours of the service calendar after reception', () => {
    expect(formatParisIso(gtiDeadline(at('2026-03-02T10:00:00+01:00')))).toBe('2026-03-02T12:00:00+01:00');
  });
  it('carries over the night and the spring-forward weekend', () => {
    expect(formatParisIso(gtiDeadline(at('2026-03-27T21:00:00+01:00')))).toBe('2026-03-30T08:00:00+02:00');
  });
  it('starts at the window opening for an alert received at night', () => {
    expect(formatParisIso(gtiDeadline(at('2026-03-03T02:00:00+01:00')))).toBe('2026-03-03T09:00:00+01:00');
  });
  it('accepts another calendar, region and duration', () => {
    // Good Friday and Easter Monday are off in Alsace-Moselle: 3 h 30 on Tuesday morning, 30 min after lunch.
    const deadline = gtiDeadline(at('2026-04-03T09:00:00+02:00'), { calendar: 'heures-ouvrees', region: 'alsace-moselle', hours: 4 });
    expect(formatParisIso(deadline)).toBe('2026-04-07T14:30:00+02:00');
  });
});

describe('years are built on demand, far from 2025–2030', () => {
  it('works in 2040 and across 2099 → 2100', () => {
    // 2040-12-24 is a Monday; 25 Dec off; 26 Dec worked nationally.
    expect(formatParisIso(addBusinessMinutes('heures-ouvrees', 'national', at('2040-12-24T17:00:00+01:00'), 120))).toBe(
      '2040-12-26T09:30:00+01:00',
    );
    // 2099-12-31 is a Thursday, 2100-01-01 a Friday (holiday).
    expect(businessMinutesBetween('bureau', 'national', at('2099-12-31T00:00:00+01:00'), at('2100-01-05T00:00:00+01:00'))).toBe(
      2 * 570,
    );
  });
});

describe('typed errors', () => {
  it('unknown calendar', () => {
    expect(() => businessClock('24-7')).toThrow(UnknownCalendarError);
  });
  it('unknown region', () => {
    expect(() => businessClock('service', 'corse')).toThrow(UnknownRegionError);
  });
  it('negative, infinite or NaN minutes', () => {
    const clock = businessClock('service');
    const start = at('2026-03-02T10:00:00+01:00');
    for (const minutes of [-1, -0.001, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => clock.addMinutes(start, minutes)).toThrow(InvalidDurationError);
    }
  });
  it('spans over 100 years, either way (a typo must not build centuries of windows)', () => {
    const clock = businessClock('service');
    const from = at('1901-01-01T00:00:00+01:00');
    const to = at('2999-12-31T00:00:00+01:00');
    expect(() => clock.minutesBetween(from, to)).toThrow(InvalidDurationError);
    expect(() => clock.millisecondsBetween(to, from)).toThrow(InvalidDurationError);
    expect(clock.minutesBetween(at('2026-01-05T07:00:00+01:00'), at('2026-01-05T08:00:00+01:00'))).toBe(60);
  });
  it('invalid dates and instants outside the supported years', () => {
    const clock = businessClock('service');
    expect(() => clock.minutesBetween(new Date(Number.NaN), at('2026-03-02T10:00:00+01:00'))).toThrow(InvalidInstantError);
    expect(() => clock.addMinutes(new Date('1850-01-01T00:00:00Z'), 1)).toThrow(InvalidInstantError);
  });
  it('errors keep a stable code and their cause', () => {
    try {
      businessClock({ name: 'x', windows: [] });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidCalendarDefinitionError);
      expect((error as InvalidCalendarDefinitionError).code).toBe('InvalidCalendarDefinition');
      expect((error as Error).cause).toBeDefined();
    }
  });
});
