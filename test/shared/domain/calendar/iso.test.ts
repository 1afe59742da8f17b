import { describe, expect, it } from 'vitest';
import { formatParisIso, InvalidInstantError, parseIsoInstant } from '../../../../shared/domain/calendar';

describe('parseIsoInstant', () => {
  it.each([
    ['2026-03-02T16:00:00+01:00', '2026-03-02T15:00:00.000Z'],
    ['2026-07-02T16:00:00+02:00', '2026-07-02T14:00:00.000Z'],
    ['2026-03-02T15:00:00Z', '2026-03-02T15:00:00.000Z'],
    ['2026-03-02T15:00Z', '2026-03-02T15:00:00.000Z'],
    ['2026-03-02T15:00:00.250-05:00', '2026-03-02T20:00:00.250Z'],
  ])('%s is %s', (text, utc) => {
    expect(parseIsoInstant(text).toISOString()).toBe(utc);
  });

  it.each([
    '',
    'tomorrow',
    '2026-03-02',
    '2026-03-02T16:00:00',
    '2026-03-02 16:00:00+01:00',
    '2026-02-30T10:00:00+01:00',
    '2026-03-02T24:30:00+01:00',
    '2026-03-02T16:00:00+1:00',
    '1772463600000',
    '2026-03-02T24:00:00Z',
    '2026-03-02T16:60:00Z',
    '2026-03-02T16:00:60Z',
    '2026-03-02T16:00:00+99:99',
    '2026-03-02T16:00:00+15:00',
    '2026-03-02T16:00:00+01:60',
    '0001-03-02T16:00:00+01:00',
    '1899-12-31T12:00:00Z',
    '3000-01-01T12:00:00Z',
    '1900-01-01T00:00:00+14:00', // 1899 in Paris: the year of the instant counts, not the one written
  ])('rejects %j with InvalidInstantError', (text) => {
    expect(() => parseIsoInstant(text)).toThrow(InvalidInstantError);
  });
});

describe('formatParisIso', () => {
  it.each([
    ['2026-03-03T10:00:00Z', '2026-03-03T11:00:00+01:00'],
    ['2026-07-03T10:00:00Z', '2026-07-03T12:00:00+02:00'],
    ['2026-03-29T01:00:00Z', '2026-03-29T03:00:00+02:00'],
    ['2026-10-25T00:30:00Z', '2026-10-25T02:30:00+02:00'],
    ['2026-10-25T01:30:00Z', '2026-10-25T02:30:00+01:00'],
    ['2026-03-03T10:00:00.5Z', '2026-03-03T11:00:00.500+01:00'],
  ])('%s is shown as %s', (utc, paris) => {
    expect(formatParisIso(new Date(utc))).toBe(paris);
  });

  it('round-trips through parseIsoInstant', () => {
    const instant = new Date('2026-10-25T01:30:00Z');
    expect(parseIsoInstant(formatParisIso(instant)).getTime()).toBe(instant.getTime());
  });
});
