import { describe, expect, it } from 'vitest';
import { buildSlaReport, type InterruptionInput } from '../../../../shared/domain/sla';
import { isBusinessMinute, REFERENCE_CALENDARS, referenceMinutesBetween } from '../calendar/reference-calendar';
import { prng } from '../../../support/prng';

// A year of seeded, generated interruptions, checked against an independent computation:
// minute-by-minute walks of the Paris wall clock (Intl, hand-written holidays) and the
// contract rules re-stated here in the simplest possible way.

const MINUTE = 60_000;
const HOUR_MINUTES = 60;
const HEURES_OUVREES = REFERENCE_CALENDARS['heures-ouvrees'];
const REGION = 'alsace-moselle' as const;
const FEE_CENTS = 87_654;
const GTR_MINUTES = 270;
const IMS_HOURS = 30;
const START_DATE = '2026-02-15';
const YEAR_START_MS = Date.UTC(2025, 11, 31, 23); // 2026-01-01T00:00+01:00
const YEAR_END_MS = Date.UTC(2026, 11, 31, 23); // 2027-01-01T00:00+01:00
const CONTRACT_START_MS = Date.UTC(2026, 1, 14, 23); // 2026-02-15T00:00+01:00
const AS_OF_MS = Date.UTC(2027, 0, 10, 12);


function generateInterruptions(seed: number): InterruptionInput[] {
  const random = prng(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const interruptions: InterruptionInput[] = [];
  for (let index = 0; index < 70; index += 1) {
    const notifiedMs = YEAR_START_MS + Math.floor(random() * ((YEAR_END_MS - YEAR_START_MS) / MINUTE)) * MINUTE;
    // Mostly hours, sometimes days: spreads the GTR brackets and pushes IMS past its allowance.
    const wallMinutes = random() < 0.75 ? Math.floor(random() * 16 * HOUR_MINUTES) : Math.floor(random() * 6 * 1440);
    const kind = random();
    interruptions.push({
      id: `gen-${String(index).padStart(3, '0')}`,
      notifiedAt: new Date(notifiedMs),
      restoredAt: kind < 0.05 ? undefined : new Date(notifiedMs + wallMinutes * MINUTE),
      planned: kind >= 0.05 && kind < 0.15,
      ...(kind >= 0.15 && kind < 0.25
        ? { exclusion: pick(['force-majeure', 'third-party', 'client-fault', 'element-not-operated', 'other'] as const) }
        : {}),
    });
  }
  // Edge cases: crossing into 2026 (IMS only), crossing into 2027, before the contract start.
  interruptions.push(
    { id: 'edge-into-2026', notifiedAt: new Date(Date.UTC(2025, 11, 31, 15)), restoredAt: new Date(Date.UTC(2026, 0, 2, 10)) },
    { id: 'edge-into-2027', notifiedAt: new Date(Date.UTC(2026, 11, 31, 14)), restoredAt: new Date(Date.UTC(2027, 0, 5, 9)) },
    { id: 'edge-before-contract', notifiedAt: new Date(Date.UTC(2026, 1, 12, 8)), restoredAt: new Date(Date.UTC(2026, 1, 17, 12)) },
  );
  return interruptions;
}

const gtrBracket = (minutes: number): number =>
  minutes <= GTR_MINUTES ? 0 : minutes <= GTR_MINUTES + 240 ? 1 : minutes <= GTR_MINUTES + 480 ? 2 : 3;

function expectedReport(interruptions: InterruptionInput[]) {
  const lines = interruptions
    // Lines: notified in the year while the contract ran (no GTR was promised before it started).
    .filter((i) => i.notifiedAt.getTime() >= Math.max(YEAR_START_MS, CONTRACT_START_MS) && i.notifiedAt.getTime() < YEAR_END_MS)
    .map((i) => {
      const restoredByAsOf = i.restoredAt !== undefined && i.restoredAt.getTime() <= AS_OF_MS;
      const endMs = restoredByAsOf ? i.restoredAt!.getTime() : AS_OF_MS;
      const minutes = referenceMinutesBetween(i.notifiedAt.getTime(), endMs, HEURES_OUVREES, REGION);
      const penalised = !i.planned && i.exclusion === undefined && restoredByAsOf;
      const percent = penalised ? [0, 10, 20, 30][gtrBracket(minutes)]! : 0;
      return { id: i.id, minutes, percent, cents: Math.round((FEE_CENTS * percent) / 100) };
    });

  // IMS: mark every interrupted minute of the year (a minute counted once), then count business ones.
  const interrupted = new Uint8Array((YEAR_END_MS - YEAR_START_MS) / MINUTE);
  for (const i of interruptions) {
    if (i.planned || i.exclusion !== undefined) continue;
    const from = Math.max(i.notifiedAt.getTime(), YEAR_START_MS, CONTRACT_START_MS);
    const until = Math.min(i.restoredAt?.getTime() ?? AS_OF_MS, AS_OF_MS, YEAR_END_MS);
    for (let t = from; t < until; t += MINUTE) interrupted[(t - YEAR_START_MS) / MINUTE] = 1;
  }
  let usedMinutes = 0;
  interrupted.forEach((flag, index) => {
    if (flag && isBusinessMinute(YEAR_START_MS + index * MINUTE, HEURES_OUVREES, REGION)) usedMinutes += 1;
  });
  const daysUnderContract = (Date.UTC(2027, 0, 1) - Date.UTC(2026, 1, 15)) / 86_400_000;
  const allowedMinutes = (IMS_HOURS * 60 * daysUnderContract) / 365;
  const imsBracket =
    usedMinutes <= allowedMinutes ? 0 : usedMinutes <= allowedMinutes + 600 ? 1 : usedMinutes <= allowedMinutes + 1800 ? 2 : 3;
  const annualFeeCents = 11 * FEE_CENTS; // February (started) to December
  const imsPenaltyCents = Math.round((annualFeeCents * imsBracket) / 100);
  const gtrPenaltiesCents = lines.reduce((sum, line) => sum + line.cents, 0);
  const beforeCap = gtrPenaltiesCents + imsPenaltyCents;
  return { lines, usedMinutes, allowedMinutes, imsBracket, imsPenaltyCents, gtrPenaltiesCents, due: Math.min(beforeCap, 3 * FEE_CENTS) };
}

describe('SLA report over a generated year, against an independent computation', () => {
  for (const seed of [7, 2026]) {
    it(`seed ${seed}`, () => {
      const interruptions = generateInterruptions(seed);
      const expected = expectedReport(interruptions);
      const report = buildSlaReport({
        terms: { gtrMinutes: GTR_MINUTES, imsHours: IMS_HOURS, monthlyFeeCents: FEE_CENTS, startDate: START_DATE, region: REGION },
        interruptions,
        year: 2026,
        asOf: new Date(AS_OF_MS),
      });

      const byId = new Map(expected.lines.map((line) => [line.id, line]));
      expect(report.interruptions.map((line) => line.id).sort()).toEqual([...byId.keys()].sort());
      for (const line of report.interruptions) {
        const reference = byId.get(line.id)!;
        expect(line.gtrBusinessMinutes, line.id).toBe(reference.minutes);
        expect(line.penaltyPercent, line.id).toBe(reference.percent);
        expect(line.penaltyCents, line.id).toBe(reference.cents);
      }
      expect(report.ims.usedMinutes).toBe(expected.usedMinutes);
      expect(report.ims.allowedMinutes).toBeCloseTo(expected.allowedMinutes, 9);
      expect(report.ims.bracket).toBe(expected.imsBracket);
      expect(report.totals.imsPenaltyCents).toBe(expected.imsPenaltyCents);
      expect(report.totals.gtrPenaltiesCents).toBe(expected.gtrPenaltiesCents);
      expect(report.totals.dueCents).toBe(expected.due);
      // What counts in IMS without being a line is named, so the IMS figure can be traced.
      // (edge-into-2026 ends before the contract starts: it counts nowhere.)
      expect(report.ims.carriedOverIds).toContain('edge-before-contract');
      expect(report.ims.carriedOverIds).not.toContain('edge-into-2026');
      expect(report.interruptions.map((line) => line.id)).not.toContain('edge-before-contract');
      // The generated year must exercise the interesting paths, or the comparison proves little.
      expect(new Set(report.interruptions.map((line) => line.outcome))).toEqual(
        new Set(['met', 'breached', 'running', 'planned', 'excluded']),
      );
      expect(expected.imsBracket).toBeGreaterThan(0);
    });
  }
});
