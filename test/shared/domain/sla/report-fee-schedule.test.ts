import { describe, expect, it } from 'vitest';
import { parseIsoInstant } from '../../../../shared/domain/calendar';
import { buildSlaReport, slaReportToCsv, type InterruptionInput, type SlaContractTermsInput } from '../../../../shared/domain/sla';

const at = parseIsoInstant;
const endOf2026 = at('2027-01-15T00:00:00+01:00');

function restoredAfter(id: string, notified: string, restored: string): InterruptionInput {
  return { id, notifiedAt: at(notified), restoredAt: at(restored) };
}

describe('GTR penalties use the fee of the month the interruption was notified', () => {
  // 1 000 € a month until June 2026, 1 500 € from July 2026.
  const terms: SlaContractTermsInput = {
    monthlyFeeCents: 100_000,
    feeChanges: [{ effectiveMonth: '2026-07', monthlyFeeCents: 150_000 }],
    startDate: '2020-01-01',
  };
  // Each restored 271 business minutes after notification (GTR 270 + 1) → 10 % of the month's fee.
  const march = restoredAfter('march', '2026-03-02T08:30:00+01:00', '2026-03-02T15:01:00+01:00');
  const july = restoredAfter('july', '2026-07-06T08:30:00+02:00', '2026-07-06T15:01:00+02:00');
  // Tuesday 30 June 16:00 → Wednesday 1 July 15:00: 120 + 210 + 60 = 390 min, notified in June.
  const lateJune = restoredAfter('late-june', '2026-06-30T16:00:00+02:00', '2026-07-01T15:00:00+02:00');
  // 22:30 UTC on 30 June is 00:30 on 1 July in Paris: the Paris month decides; counted from 08:30 → 271 min.
  const parisJuly = restoredAfter('paris-july', '2026-06-30T22:30:00Z', '2026-07-01T15:01:00+02:00');

  const report = buildSlaReport({ terms, interruptions: [march, july, lateJune, parisJuly], year: 2026, asOf: endOf2026 });
  const lineOf = (id: string) => report.interruptions.find((line) => line.id === id);

  it('a month after a change uses the new fee, a month before it the old one', () => {
    expect(lineOf('march')).toMatchObject({ notifiedMonth: '2026-03', feeCents: 100_000, bracket: 1, penaltyPercent: 10, penaltyCents: 10_000 });
    expect(lineOf('july')).toMatchObject({ notifiedMonth: '2026-07', feeCents: 150_000, bracket: 1, penaltyPercent: 10, penaltyCents: 15_000 });
  });

  it('the notification month counts, not the restoration month, and in Paris time', () => {
    expect(lineOf('late-june')).toMatchObject({ notifiedMonth: '2026-06', gtrBusinessMinutes: 390, feeCents: 100_000, penaltyCents: 10_000 });
    expect(lineOf('paris-july')).toMatchObject({ notifiedMonth: '2026-07', gtrBusinessMinutes: 271, feeCents: 150_000, penaltyCents: 15_000 });
    expect(report.totals.gtrPenaltiesCents).toBe(10_000 + 15_000 + 10_000 + 15_000);
  });

  it('adding a fee change leaves the months before it as they were invoiced', () => {
    const before = buildSlaReport({ terms: { ...terms, feeChanges: [] }, interruptions: [march, lateJune], year: 2026, asOf: endOf2026 });
    const after = buildSlaReport({ terms, interruptions: [march, lateJune], year: 2026, asOf: endOf2026 });
    expect(after.interruptions).toEqual(before.interruptions);
    const in2025 = (feeChanges: SlaContractTermsInput['feeChanges']) =>
      buildSlaReport({ terms: { ...terms, feeChanges }, interruptions: [], year: 2025, asOf: endOf2026 });
    expect(in2025(terms.feeChanges).ims).toEqual(in2025([]).ims);
    expect(in2025(terms.feeChanges).totals).toEqual(in2025([]).totals);
  });

  it('shows the fee changes in the terms, and leaves them out when the fee never changed', () => {
    expect(report.terms).toEqual({
      gtrMinutes: 270,
      imsHours: 30,
      monthlyFeeCents: 100_000,
      feeChanges: [{ effectiveMonth: '2026-07', monthlyFeeCents: 150_000 }],
      startDate: '2020-01-01',
      endDate: null,
    });
    expect(buildSlaReport({ terms: { ...terms, feeChanges: [] }, interruptions: [], year: 2026, asOf: endOf2026 }).terms).not.toHaveProperty('feeChanges');
  });

  it('keeps the CSV layout (the penalty column already carries the month fee)', () => {
    const csv = slaReportToCsv(report);
    expect(csv).toContain('interruption,july,2026-07-06T08:30:00+02:00,2026-07-06T15:01:00+02:00,2026-07,false,,,271.00,2026-07-06T15:00:00+02:00,breached,1,10,150.00,,');
  });

  it('refuses terms whose fee changes do not strictly increase or name no real month', () => {
    const issuesOf = (feeChanges: unknown) => {
      try {
        buildSlaReport({ terms: { ...terms, feeChanges } as SlaContractTermsInput, interruptions: [], year: 2026, asOf: endOf2026 });
        return [];
      } catch (error) {
        return (error as { issues: Array<{ path: string }> }).issues.map((issue) => issue.path);
      }
    };
    expect(issuesOf([{ effectiveMonth: '2026-13', monthlyFeeCents: 1 }])).toEqual(['feeChanges.0.effectiveMonth']);
    expect(
      issuesOf([
        { effectiveMonth: '2026-07', monthlyFeeCents: 1 },
        { effectiveMonth: '2026-03', monthlyFeeCents: 2 },
      ]),
    ).toEqual(['feeChanges.1.effectiveMonth']);
  });
});

describe('IMS base: the fees invoiced for the year, month by month', () => {
  // 400 € a month until June 2026, 500 € from July 2026.
  const terms: SlaContractTermsInput = {
    monthlyFeeCents: 40_000,
    feeChanges: [{ effectiveMonth: '2026-07', monthlyFeeCents: 50_000 }],
    startDate: '2020-01-01',
  };
  /** Five whole heures-ouvrées days (2–6 March 2026): 2 250 min, allowance 1 800 + 450 ≤ 10 h → 1 %. */
  const fiveDays = ['02', '03', '04', '05', '06'].map((day) =>
    restoredAfter(`day-${day}`, `2026-03-${day}T08:30:00+01:00`, `2026-03-${day}T18:00:00+01:00`),
  );
  const imsOf = (year: number, contract: SlaContractTermsInput = terms, interruptions: InterruptionInput[] = []) =>
    buildSlaReport({ terms: contract, interruptions, year, asOf: endOf2026 }).ims;

  it('sums 6 × 400 € and 6 × 500 € in the year of the change', () => {
    const ims = imsOf(2026, terms, fiveDays);
    expect(ims).toMatchObject({ usedMinutes: 2_250, bracket: 1, penaltyPercent: 1, monthsInvoiced: 12 });
    expect(ims.annualFeeCents).toBe(6 * 40_000 + 6 * 50_000);
    expect(ims.penaltyCents).toBe(5_400); // 1 % of 5 400 €, not of 12 × 500 € = 6 000 €
  });

  it('uses a single fee in the years before and after the change', () => {
    expect(imsOf(2025).annualFeeCents).toBe(12 * 40_000);
    expect(imsOf(2027).annualFeeCents).toBe(12 * 50_000);
  });

  it('sums only the invoiced months of a contract starting mid-year (a started month counts)', () => {
    const ims = imsOf(2026, { ...terms, startDate: '2026-04-15' });
    expect(ims.monthsInvoiced).toBe(9);
    expect(ims.annualFeeCents).toBe(3 * 40_000 + 6 * 50_000);
  });

  it('follows several changes within a year', () => {
    const contract = {
      ...terms,
      feeChanges: [
        { effectiveMonth: '2026-03', monthlyFeeCents: 45_000 },
        { effectiveMonth: '2026-10', monthlyFeeCents: 50_000 },
      ],
    };
    expect(imsOf(2026, contract).annualFeeCents).toBe(2 * 40_000 + 7 * 45_000 + 3 * 50_000);
  });
});

describe('liability cap with a fee that changes: three times the mean monthly fee of the year', () => {
  // 100 € a month from 1 January 2026, 200 € from July.
  const terms: SlaContractTermsInput = {
    monthlyFeeCents: 10_000,
    feeChanges: [{ effectiveMonth: '2026-07', monthlyFeeCents: 20_000 }],
    startDate: '2026-01-01',
  };

  it('caps at 3 × (6 × 100 € + 6 × 200 €) / 12 = 450 €', () => {
    // Eight interruptions notified 1–10 September, all restored 30 September 18:00: each far beyond
    // GTR + 8 h → 30 % of 200 € = 60 €; IMS 22 working days × 7 h 30 ≫ 30 h + 30 h → 3 % of 1 800 €.
    const days = ['01', '02', '03', '04', '07', '08', '09', '10'];
    const interruptions = days.map((day) => restoredAfter(`sep-${day}`, `2026-09-${day}T08:30:00+02:00`, '2026-09-30T18:00:00+02:00'));
    const report = buildSlaReport({ terms, interruptions, year: 2026, asOf: endOf2026 });
    expect(report.interruptions).toHaveLength(8);
    expect(report.interruptions.every((line) => line.feeCents === 20_000 && line.penaltyCents === 6_000)).toBe(true);
    expect(report.ims).toMatchObject({ bracket: 3, annualFeeCents: 180_000, penaltyCents: 5_400 });
    // Neither 3 × the current fee (600 €, not capped) nor 3 × January's (300 €).
    expect(report.totals).toEqual({
      gtrPenaltiesCents: 48_000,
      imsPenaltyCents: 5_400,
      beforeCapCents: 53_400,
      capCents: 45_000,
      capApplied: true,
      dueCents: 45_000,
    });
  });

  it('rounds the cap to the cent, half up', () => {
    // (100.00 € + 11 × 100.02 €) × 3 / 12 = 300.055 € → 300.06 €
    const contract = { ...terms, feeChanges: [{ effectiveMonth: '2026-02', monthlyFeeCents: 10_002 }] };
    expect(buildSlaReport({ terms: contract, interruptions: [], year: 2026, asOf: endOf2026 }).totals.capCents).toBe(30_006);
  });

  it('averages over the invoiced months only', () => {
    // October–December 2026: 100 €, 100 €, 400 € → mean 200 € → cap 600 €.
    const contract = { ...terms, startDate: '2026-10-15', feeChanges: [{ effectiveMonth: '2026-12', monthlyFeeCents: 40_000 }] };
    expect(buildSlaReport({ terms: contract, interruptions: [], year: 2026, asOf: endOf2026 }).totals.capCents).toBe(60_000);
  });

  it('gives a year without invoiced months (no penalties) three times the fee in force in its January', () => {
    const totals = buildSlaReport({ terms: { ...terms, startDate: '2027-01-01' }, interruptions: [], year: 2026, asOf: endOf2026 }).totals;
    expect(totals).toMatchObject({ beforeCapCents: 0, capCents: 30_000, capApplied: false, dueCents: 0 });
  });
});
