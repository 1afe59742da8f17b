import { describe, expect, it } from 'vitest';
import {
  daysInYear,
  daysUnderContractInYear,
  formatEuros,
  gtrPenaltyBracket,
  imsPenaltyBracket,
  invoicedMonthsOfYear,
  percentOfCents,
} from '../../../../shared/domain/sla';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe('GTR brackets (inclusive upper bounds)', () => {
  const gtr = 270 * MINUTE;
  it.each([
    ['zero', 0, 0],
    ['exactly GTR', gtr, 0],
    ['GTR + 1 ms', gtr + 1, 1],
    ['GTR + 1 s', gtr + SECOND, 1],
    ['GTR + 4 h', gtr + 4 * HOUR, 1],
    ['GTR + 4 h + 1 s', gtr + 4 * HOUR + SECOND, 2],
    ['GTR + 4 h + 1 min', gtr + 4 * HOUR + MINUTE, 2],
    ['GTR + 8 h', gtr + 8 * HOUR, 2],
    ['GTR + 8 h + 1 s', gtr + 8 * HOUR + SECOND, 3],
    ['a week', 7 * 24 * HOUR, 3],
  ])('%s → bracket %i', (_what, businessMs, bracket) => {
    expect(gtrPenaltyBracket(businessMs, 270)).toBe(bracket);
  });

  it('follows a configured GTR', () => {
    expect(gtrPenaltyBracket(60 * MINUTE, 60)).toBe(0);
    expect(gtrPenaltyBracket(60 * MINUTE + 1, 60)).toBe(1);
  });
});

describe('IMS brackets', () => {
  const fullYear = { fullYearMs: 30 * HOUR, daysUnderContract: 365, daysInYear: 365 };
  it.each([
    ['exactly the allowance', 30 * HOUR, 0],
    ['allowance + 1 s', 30 * HOUR + SECOND, 1],
    ['allowance + 10 h', 40 * HOUR, 1],
    ['allowance + 10 h + 1 s', 40 * HOUR + SECOND, 2],
    ['allowance + 30 h', 60 * HOUR, 2],
    ['allowance + 30 h + 1 s', 60 * HOUR + SECOND, 3],
  ])('full year, %s → bracket %i', (_what, usedMs, bracket) => {
    expect(imsPenaltyBracket(usedMs, fullYear)).toBe(bracket);
  });

  it('compares exactly against a prorated allowance that is not a whole millisecond', () => {
    // 30 h × 184/365 = 54 443 835.616… ms.
    const half = { fullYearMs: 30 * HOUR, daysUnderContract: 184, daysInYear: 365 };
    expect(imsPenaltyBracket(54_443_835, half)).toBe(0);
    expect(imsPenaltyBracket(54_443_836, half)).toBe(1);
    // The +10 h margin is absolute, added to the prorated allowance.
    expect(imsPenaltyBracket(54_443_835 + 10 * HOUR, half)).toBe(1);
    expect(imsPenaltyBracket(54_443_836 + 10 * HOUR, half)).toBe(2);
    expect(imsPenaltyBracket(54_443_836 + 30 * HOUR, half)).toBe(3);
  });

  it('no contract days means no allowance', () => {
    expect(imsPenaltyBracket(0, { fullYearMs: 30 * HOUR, daysUnderContract: 0, daysInYear: 365 })).toBe(0);
    expect(imsPenaltyBracket(1, { fullYearMs: 30 * HOUR, daysUnderContract: 0, daysInYear: 365 })).toBe(1);
  });
});

describe('contract period arithmetic', () => {
  it.each([
    [2026, '2020-01-01', undefined, 365],
    [2028, '2020-01-01', undefined, 366],
    [2026, '2026-07-01', undefined, 184],
    [2026, '2026-07-15', undefined, 170],
    [2026, '2025-05-01', '2026-03-31', 90],
    [2026, '2026-02-10', '2026-02-10', 1],
    [2026, '2027-01-01', undefined, 0],
    [2026, '2020-01-01', '2025-12-31', 0],
  ])('year %i, contract %s → %s: %i days', (year, start, end, days) => {
    expect(daysUnderContractInYear(year, start, end)).toBe(days);
  });

  it.each([
    [2026, '2020-01-01', undefined, 12],
    [2026, '2026-07-01', undefined, 6],
    [2026, '2026-07-31', undefined, 6],
    [2026, '2026-06-30', undefined, 7],
    [2026, '2025-05-01', '2026-03-01', 3],
    [2026, '2026-02-10', '2026-02-10', 1],
    [2026, '2027-01-01', undefined, 0],
  ])('year %i, contract %s → %s: %i months invoiced (started months count in full)', (year, start, end, months) => {
    expect(invoicedMonthsOfYear(year, start, end)).toHaveLength(months);
  });

  it('days in year', () => {
    expect([daysInYear(2026), daysInYear(2028), daysInYear(2100)]).toEqual([365, 366, 365]);
  });
});

describe('money', () => {
  it.each([
    [100_000, 10, 10_000],
    [12_345, 10, 1_235],
    [12_345, 30, 3_704],
    [999, 1, 10],
    [949, 1, 9],
    [0, 30, 0],
  ])('%i cents × %i %% = %i cents (nearest cent, half up)', (cents, percent, expected) => {
    expect(percentOfCents(cents, percent)).toBe(expected);
  });

  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [1_235, '12.35'],
    [123_456_789, '1234567.89'],
  ])('%i cents is %s euros', (cents, text) => {
    expect(formatEuros(cents)).toBe(text);
  });
});
