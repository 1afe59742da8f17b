import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../../../shared/domain/calendar';
import {
  buildSlaReport,
  InvalidSlaInputError,
  slaReportToCsv,
  type InterruptionInput,
  type SlaContractTermsInput,
} from '../../../../shared/domain/sla';

const at = parseIsoInstant;
const FEE = 100_000; // 1 000 € per month
const terms: SlaContractTermsInput = { monthlyFeeCents: FEE, startDate: '2020-01-01', region: 'national' };
const endOf2026 = at('2027-01-15T00:00:00+01:00');

function restoredAfter(id: string, notified: string, restored: string): InterruptionInput {
  return { id, notifiedAt: at(notified), restoredAt: at(restored) };
}

/** Whole heures-ouvrées days (08:30–18:00, 450 min) on the working days of 2–13 March 2026. */
function fullDays(count: number, prefix = 'day'): InterruptionInput[] {
  const days = ['02', '03', '04', '05', '06', '09', '10', '11', '12', '13'];
  return days.slice(0, count).map((day) => restoredAfter(`${prefix}-${day}`, `2026-03-${day}T08:30:00+01:00`, `2026-03-${day}T18:00:00+01:00`));
}

describe('GTR outcome and penalty at and around every bracket boundary', () => {
  // Notified Monday 2 March 2026 08:30: GTR (270 min) ends 15:00; +4 h Tuesday 09:30; +8 h Tuesday 15:30.
  const notified = '2026-03-02T08:30:00+01:00';
  const cases: Array<[restored: string, minutes: number, outcome: string, bracket: number, percent: number]> = [
    ['2026-03-02T14:59:00+01:00', 269, 'met', 0, 0],
    ['2026-03-02T15:00:00+01:00', 270, 'met', 0, 0],
    ['2026-03-02T15:00:01+01:00', 270 + 1 / 60, 'breached', 1, 10],
    ['2026-03-03T09:30:00+01:00', 510, 'breached', 1, 10],
    ['2026-03-03T09:31:00+01:00', 511, 'breached', 2, 20],
    ['2026-03-03T15:30:00+01:00', 750, 'breached', 2, 20],
    ['2026-03-03T15:30:01+01:00', 750 + 1 / 60, 'breached', 3, 30],
    ['2026-03-03T15:31:00+01:00', 751, 'breached', 3, 30],
  ];
  for (const [restored, minutes, outcome, bracket, percent] of cases) {
    it(`restored ${restored}: ${minutes.toFixed(2)} min → ${outcome}, ${percent} %`, () => {
      const report = buildSlaReport({ terms, interruptions: [restoredAfter('x', notified, restored)], year: 2026, asOf: endOf2026 });
      const [line] = report.interruptions;
      expect(line?.gtrBusinessMinutes).toBeCloseTo(minutes, 9);
      expect(line?.outcome).toBe(outcome);
      expect(line?.bracket).toBe(bracket);
      expect(line?.penaltyPercent).toBe(percent);
      expect(line?.penaltyCents).toBe((FEE * percent) / 100);
      expect(line?.gtrDeadline).toEqual(at('2026-03-02T15:00:00+01:00'));
      expect(line?.notifiedMonth).toBe('2026-03');
    });
  }

  it('follows a configured GTR', () => {
    const report = buildSlaReport({
      terms: { ...terms, gtrMinutes: 60 },
      interruptions: [restoredAfter('x', notified, '2026-03-02T09:31:00+01:00')],
      year: 2026,
      asOf: endOf2026,
    });
    expect(report.interruptions[0]?.penaltyPercent).toBe(10);
  });
});

describe('planned, excluded and open interruptions', () => {
  const long = ['2026-03-02T08:30:00+01:00', '2026-03-06T18:00:00+01:00'] as const;

  it('planned and excluded ones are reported without penalty and do not count in IMS', () => {
    const report = buildSlaReport({
      terms,
      interruptions: [
        { id: 'p', notifiedAt: at(long[0]), restoredAt: at(long[1]), planned: true },
        { id: 'e', notifiedAt: at(long[0]), restoredAt: at(long[1]), exclusion: 'third-party', exclusionReason: 'opérateur télécom' },
      ],
      year: 2026,
      asOf: endOf2026,
    });
    expect(report.interruptions.map((line) => [line.id, line.outcome, line.penaltyCents, line.gtrBusinessMinutes])).toEqual([
      ['e', 'excluded', 0, 2250],
      ['p', 'planned', 0, 2250],
    ]);
    expect(report.ims.usedMinutes).toBe(0);
    expect(report.totals.dueCents).toBe(0);
  });

  it('an open interruption is running: time counted up to asOf, no GTR penalty yet, IMS counted', () => {
    const asOf = at('2026-03-03T10:00:00+01:00');
    const report = buildSlaReport({ terms, interruptions: [{ id: 'o', notifiedAt: at(long[0]) }], year: 2026, asOf });
    const [line] = report.interruptions;
    expect(line).toMatchObject({ outcome: 'running', bracket: null, penaltyCents: 0, gtrBusinessMinutes: 540, restoredAt: null });
    expect(report.ims.usedMinutes).toBe(540);
  });

  it('an interruption restored after asOf is still running as of asOf', () => {
    const asOf = at('2026-03-02T10:00:00+01:00');
    const report = buildSlaReport({ terms, interruptions: [restoredAfter('r', long[0], long[1])], year: 2026, asOf });
    expect(report.interruptions[0]).toMatchObject({ outcome: 'running', gtrBusinessMinutes: 90 });
    expect(report.ims.usedMinutes).toBe(90);
  });

  it('interruptions notified after asOf are not reported yet', () => {
    const report = buildSlaReport({ terms, interruptions: [restoredAfter('later', long[0], long[1])], year: 2026, asOf: at('2026-03-01T00:00:00+01:00') });
    expect(report.interruptions).toEqual([]);
    expect(report.ims.usedMinutes).toBe(0);
  });
});

describe('IMS', () => {
  const imsOf = (interruptions: InterruptionInput[], contract: SlaContractTermsInput = terms) =>
    buildSlaReport({ terms: contract, interruptions, year: 2026, asOf: endOf2026 }).ims;
  const oneMinute = (day: string, from: string, to: string): InterruptionInput =>
    restoredAfter(`extra-${day}-${from}`, `2026-03-${day}T${from}:00+01:00`, `2026-03-${day}T${to}:00+01:00`);

  it.each([
    ['exactly the 30 h allowance', () => fullDays(4), 1800, 0],
    ['allowance + 1 min', () => [...fullDays(4), oneMinute('09', '08:30', '08:31')], 1801, 1],
    ['allowance + 10 h', () => [...fullDays(5), oneMinute('09', '08:30', '11:00')], 2400, 1],
    ['allowance + 10 h + 1 min', () => [...fullDays(5), oneMinute('09', '08:30', '11:01')], 2401, 2],
    ['allowance + 30 h', () => fullDays(8), 3600, 2],
    ['allowance + 30 h + 1 min', () => [...fullDays(8), oneMinute('12', '08:30', '08:31')], 3601, 3],
  ])('%s', (_what, interruptions, used, bracket) => {
    const ims = imsOf(interruptions());
    expect(ims.usedMinutes).toBe(used);
    expect(ims.allowedMinutes).toBe(1800);
    expect(ims.leftMinutes).toBe(Math.max(0, 1800 - used));
    expect(ims.bracket).toBe(bracket);
    expect(ims.annualFeeCents).toBe(12 * FEE);
    expect(ims.penaltyCents).toBe((12 * FEE * [0, 1, 2, 3][bracket]!) / 100);
  });

  it('an allowance of fractional hours is exact: 4.1 h used is within an allowance of 4.1 h', () => {
    // 08:30 → 12:00 (210 min) + 14:00 → 14:36 (36 min) = 246 min = 4.1 h, which 4.1 × 3 600 000 misses in floating point.
    const ims = imsOf([restoredAfter('frac', '2026-03-02T08:30:00+01:00', '2026-03-02T14:36:00+01:00')], { ...terms, imsHours: 4.1 });
    expect(ims.usedMinutes).toBe(246);
    expect(ims.allowedMinutes).toBe(246);
    expect(ims.bracket).toBe(0);
    expect(ims.penaltyCents).toBe(0);
  });

  it('overlapping interruptions count the down time once', () => {
    const ims = imsOf([
      restoredAfter('a', '2026-03-02T09:00:00+01:00', '2026-03-02T11:00:00+01:00'),
      restoredAfter('b', '2026-03-02T10:00:00+01:00', '2026-03-02T15:00:00+01:00'),
    ]);
    expect(ims.usedMinutes).toBe(180 + 60);
  });

  it('prorates the allowance on calendar days and the fee base on started months', () => {
    const contract = { ...terms, startDate: '2026-07-01' };
    // 30 h × 184 / 365 = 907.397… min; June is before the contract and does not count.
    const june = restoredAfter('june', '2026-06-30T08:30:00+02:00', '2026-06-30T18:00:00+02:00');
    const twoDays = [
      restoredAfter('jul-1', '2026-07-01T08:30:00+02:00', '2026-07-01T18:00:00+02:00'),
      restoredAfter('jul-2', '2026-07-02T08:30:00+02:00', '2026-07-02T18:00:00+02:00'),
    ];
    const within = imsOf([june, ...twoDays], contract);
    expect(within).toMatchObject({ usedMinutes: 900, daysUnderContract: 184, daysInYear: 365, monthsInvoiced: 6, bracket: 0 });
    expect(within.allowedMinutes).toBeCloseTo((1800 * 184) / 365, 9);
    expect(within.annualFeeCents).toBe(6 * FEE);

    const over = imsOf([...twoDays, restoredAfter('jul-3', '2026-07-03T08:30:00+02:00', '2026-07-03T08:38:00+02:00')], contract);
    expect(over).toMatchObject({ usedMinutes: 908, bracket: 1, penaltyPercent: 1, penaltyCents: 6_000 });
  });

  it('splits an interruption crossing 1 January between the two years', () => {
    const crossing = restoredAfter('x', '2025-12-31T17:00:00+01:00', '2026-01-02T10:00:00+01:00');
    const in2025 = buildSlaReport({ terms, interruptions: [crossing], year: 2025, asOf: endOf2026 });
    const in2026 = buildSlaReport({ terms, interruptions: [crossing], year: 2026, asOf: endOf2026 });
    expect(in2025.ims.usedMinutes).toBe(60);
    expect(in2026.ims.usedMinutes).toBe(90);
    // The GTR line belongs to the year (and month) of notification, with its whole time.
    expect(in2025.interruptions.map((line) => [line.id, line.gtrBusinessMinutes, line.notifiedMonth])).toEqual([['x', 150, '2025-12']]);
    expect(in2026.interruptions).toEqual([]);
    // …and the year it runs into names it, so its IMS minutes can be traced.
    expect(in2026.ims.carriedOverIds).toEqual(['x']);
    expect(in2025.ims.carriedOverIds).toEqual([]);
  });

  it('gives no GTR line to an interruption notified before the contract started, but counts its time under contract in IMS', () => {
    const contract = { ...terms, startDate: '2026-03-02' };
    const early = restoredAfter('early', '2026-02-27T16:00:00+01:00', '2026-03-02T10:30:00+01:00');
    const report = buildSlaReport({ terms: contract, interruptions: [early], year: 2026, asOf: endOf2026 });
    expect(report.interruptions).toEqual([]);
    expect(report.totals.gtrPenaltiesCents).toBe(0);
    expect(report.ims.usedMinutes).toBe(120); // Monday 08:30–10:30, the contract's first morning
    expect(report.ims.carriedOverIds).toEqual(['early']);
  });
});

describe('liability cap: three monthly fees per year', () => {
  it('caps the sum of GTR and IMS penalties', () => {
    // Eleven week-long interruptions: each 30 % of the monthly fee, and IMS far beyond +30 h.
    const weeks = Array.from({ length: 11 }, (_, index) =>
      restoredAfter(`w${index}`, `2026-0${3 + Math.floor(index / 4)}-0${1 + (index % 4)}T09:00:00+0${index < 1 ? 1 : 2}:00`, '2026-09-30T12:00:00+02:00'),
    );
    const report = buildSlaReport({ terms, interruptions: weeks, year: 2026, asOf: endOf2026 });
    expect(report.totals.gtrPenaltiesCents).toBe(11 * 30_000);
    expect(report.totals.imsPenaltyCents).toBe(36_000);
    expect(report.totals.beforeCapCents).toBe(11 * 30_000 + 36_000);
    expect(report.totals).toMatchObject({ capCents: 3 * FEE, capApplied: true, dueCents: 3 * FEE });
  });

  it('leaves totals under the cap untouched', () => {
    const report = buildSlaReport({
      terms,
      interruptions: [restoredAfter('x', '2026-03-02T08:30:00+01:00', '2026-03-02T15:01:00+01:00')],
      year: 2026,
      asOf: endOf2026,
    });
    expect(report.totals).toMatchObject({ gtrPenaltiesCents: 10_000, imsPenaltyCents: 0, beforeCapCents: 10_000, capApplied: false, dueCents: 10_000 });
  });
});

describe('input validation', () => {
  it('rejects a restoration before the notification', () => {
    const backwards = restoredAfter('x', '2026-03-02T10:00:00+01:00', '2026-03-02T09:00:00+01:00');
    expect(() => buildSlaReport({ terms, interruptions: [backwards], year: 2026, asOf: endOf2026 })).toThrow(InvalidSlaInputError);
  });
  it('rejects bad terms, year and asOf', () => {
    expect(() => buildSlaReport({ terms: { ...terms, monthlyFeeCents: 10.5 }, interruptions: [], year: 2026, asOf: endOf2026 })).toThrow(
      InvalidSlaInputError,
    );
    expect(() => buildSlaReport({ terms: { ...terms, endDate: '2019-12-31' }, interruptions: [], year: 2026, asOf: endOf2026 })).toThrow(
      InvalidSlaInputError,
    );
    expect(() => buildSlaReport({ terms, interruptions: [], year: 26.5, asOf: endOf2026 })).toThrow(InvalidSlaInputError);
    expect(() => buildSlaReport({ terms, interruptions: [], year: 2026, asOf: new Date(Number.NaN) })).toThrow(InvalidSlaInputError);
  });
});

describe('slaReportToCsv', () => {
  const report = buildSlaReport({
    terms: { ...terms, monthlyFeeCents: 12_345 },
    interruptions: [
      restoredAfter('a', '2026-03-02T08:30:00+01:00', '2026-03-02T15:01:00+01:00'),
      {
        id: 'b',
        notifiedAt: at('2026-07-01T10:00:00+02:00'),
        restoredAt: at('2026-07-01T11:00:00+02:00'),
        exclusion: 'other',
        exclusionReason: 'câble coupé, "chantier" voisin\nrue Foch',
      },
      { id: '=HYPERLINK("x")', notifiedAt: at('2026-07-02T10:00:00+02:00') },
    ],
    year: 2026,
    asOf: at('2026-07-02T11:30:00+02:00'),
  });
  const csv = slaReportToCsv(report);
  const lines = csv.split('\r\n');

  it('has a header, one row per interruption, summary rows, CRLF line ends', () => {
    expect(lines[0]).toBe(
      'record,id,notified_at,restored_at,notified_month,planned,exclusion,exclusion_reason,gtr_business_minutes,gtr_deadline,outcome,bracket,penalty_percent,penalty_eur,metric,value',
    );
    expect(lines[1]).toBe(
      'interruption,a,2026-03-02T08:30:00+01:00,2026-03-02T15:01:00+01:00,2026-03,false,,,271.00,2026-03-02T15:00:00+01:00,breached,1,10,12.35,,',
    );
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines.filter((line) => line.startsWith('summary,'))).toContain('summary,,,,,,,,,,,,,,penalties_due_eur,12.35');
    // 271 min for 'a' plus 90 min of the open one; the excluded one does not count.
    expect(lines).toContain('summary,,,,,,,,,,,,,,ims_used_minutes,361.00');
  });

  it('quotes commas, quotes and newlines (RFC 4180) and defuses formulas', () => {
    expect(csv).toContain('"câble coupé, ""chantier"" voisin\nrue Foch"');
    expect(csv).toContain(`interruption,"'=HYPERLINK(""x"")",2026-07-02T10:00:00+02:00,,2026-07,false,,,90.00,`);
  });
});
