import { describe, expect, it } from 'vitest';
import {
  feeChangesSchema,
  invoicedMonthsOfYear,
  monthlyFeeCentsOf,
  multipleOfMeanCents,
  SlaContractTermsSchema,
} from '../../../../shared/domain/sla';

describe('monthlyFeeCentsOf', () => {
  const schedule = {
    monthlyFeeCents: 40_000,
    feeChanges: [
      { effectiveMonth: '2026-07', monthlyFeeCents: 50_000 },
      { effectiveMonth: '2027-01', monthlyFeeCents: 45_000 },
      { effectiveMonth: '2028-03', monthlyFeeCents: 0 },
    ],
  };

  it.each([
    ['2020-01', 40_000, 'long before the first change: the initial fee'],
    ['2026-06', 40_000, 'the month before the first change'],
    ['2026-07', 50_000, 'the month of a change: the new fee'],
    ['2026-12', 50_000, 'after a change, until the next one'],
    ['2027-01', 45_000, 'a later change, across a year boundary'],
    ['2028-02', 45_000, 'still the second change'],
    ['2028-03', 0, 'a change to a free month'],
    ['2031-05', 0, 'after the last change'],
  ])('%s → %i cents (%s)', (month, fee) => {
    expect(monthlyFeeCentsOf(schedule, month)).toBe(fee);
  });

  it('is the initial fee every month without changes', () => {
    for (const month of ['1999-12', '2026-01', '2099-12']) expect(monthlyFeeCentsOf({ monthlyFeeCents: 12_345, feeChanges: [] }, month)).toBe(12_345);
  });
});

describe('feeChangesSchema', () => {
  const schema = feeChangesSchema(100_000_000);
  const issuesOf = (value: unknown) => {
    const result = schema.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  };

  it('accepts strictly increasing months', () => {
    expect(issuesOf([{ effectiveMonth: '2026-07', monthlyFeeCents: 50_000 }, { effectiveMonth: '2026-08', monthlyFeeCents: 0 }])).toEqual([]);
  });

  it('names the change whose month repeats or goes back', () => {
    const same = issuesOf([
      { effectiveMonth: '2026-07', monthlyFeeCents: 50_000 },
      { effectiveMonth: '2026-07', monthlyFeeCents: 55_000 },
    ]);
    expect(same).toEqual([{ path: '1.effectiveMonth', message: expect.stringContaining('after the previous change') }]);
    const backwards = issuesOf([
      { effectiveMonth: '2026-07', monthlyFeeCents: 50_000 },
      { effectiveMonth: '2027-01', monthlyFeeCents: 55_000 },
      { effectiveMonth: '2026-12', monthlyFeeCents: 60_000 },
    ]);
    expect(backwards.map((issue) => issue.path)).toEqual(['2.effectiveMonth']);
    expect(backwards[0]?.message).toContain('2027-01');
  });

  it.each(['2026-13', '2026-00', '2026-7', '2026-07-01', '26-07', ''])('refuses the month %j', (effectiveMonth) => {
    expect(issuesOf([{ effectiveMonth, monthlyFeeCents: 50_000 }]).map((issue) => issue.path)).toEqual(['0.effectiveMonth']);
  });

  it('refuses negative, fractional and oversized fees, and more than 120 changes', () => {
    for (const monthlyFeeCents of [-1, 10.5, 100_000_001]) {
      expect(issuesOf([{ effectiveMonth: '2026-07', monthlyFeeCents }]).map((issue) => issue.path)).toEqual(['0.monthlyFeeCents']);
    }
    const tooMany = Array.from({ length: 121 }, (_, index) => ({
      effectiveMonth: `${2030 + Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`,
      monthlyFeeCents: index,
    }));
    expect(issuesOf(tooMany).map((issue) => issue.path)).toEqual(['']);
    expect(issuesOf(tooMany.slice(0, 120))).toEqual([]);
  });

  it('defaults to no changes in the SLA terms', () => {
    expect(SlaContractTermsSchema.parse({ monthlyFeeCents: 1, startDate: '2026-01-01' }).feeChanges).toEqual([]);
  });
});

describe('invoicedMonthsOfYear', () => {
  it('lists every month with a day under contract, in order', () => {
    expect(invoicedMonthsOfYear(2026, '2026-04-15', '2026-07-01')).toEqual(['2026-04', '2026-05', '2026-06', '2026-07']);
    expect(invoicedMonthsOfYear(2026, '2020-01-01', undefined)).toHaveLength(12);
    expect(invoicedMonthsOfYear(2026, '2027-01-01', undefined)).toEqual([]);
  });
});

describe('multipleOfMeanCents', () => {
  it('rounds to the nearest cent, half up', () => {
    expect(multipleOfMeanCents([100_000, 100_000], 3)).toBe(300_000);
    // (100 000 + 11 × 100 002) × 3 / 12 = 300 005.5 → 300 006
    expect(multipleOfMeanCents([100_000, ...Array<number>(11).fill(100_002)], 3)).toBe(300_006);
    // (100 000 + 100 001 + 100 001) × 3 / 3 = 300 002 exactly; (1 + 2) × 3 / 2 = 4.5 → 5
    expect(multipleOfMeanCents([100_000, 100_001, 100_001], 3)).toBe(300_002);
    expect(multipleOfMeanCents([1, 2], 3)).toBe(5);
    expect(multipleOfMeanCents([1, 1, 2], 1)).toBe(1); // 1.333…
  });

  it('refuses an empty list (the mean of nothing)', () => {
    expect(() => multipleOfMeanCents([], 3)).toThrow(RangeError);
  });
});
