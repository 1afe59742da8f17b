import type { BusinessClock } from '../calendar/business-clock';
import { parisYearStartMs } from '../calendar/wall-clock';
import type { ContractPeriod } from './contract-period';
import type { Interruption } from './schemas';

/**
 * Business milliseconds during which the service was interrupted within the Paris
 * calendar `year`, the contract period and up to `asOf`.
 *
 * Clipping to the year splits an interruption crossing 1 January between both years.
 * Overlapping interruptions count once: IMS measures how long the service was down,
 * not how many tickets were open. Planned and excluded interruptions do not count.
 */
export function imsUsedMs(
  interruptions: readonly Interruption[],
  year: number,
  period: ContractPeriod,
  asOf: Date,
  clock: BusinessClock,
): number {
  const spans = imsSpans(interruptions, year, period, asOf).map(({ span }) => span);
  spans.sort((a, b) => a[0] - b[0]);

  let usedMs = 0;
  let current: [number, number] | undefined;
  for (const span of spans) {
    if (current && span[0] <= current[1]) {
      current[1] = Math.max(current[1], span[1]);
      continue;
    }
    if (current) usedMs += clock.millisecondsBetween(new Date(current[0]), new Date(current[1]));
    current = [span[0], span[1]];
  }
  if (current) usedMs += clock.millisecondsBetween(new Date(current[0]), new Date(current[1]));
  return usedMs;
}

/** The ids of the interruptions that count in the year's IMS (a part of them lies in the year, the contract and before `asOf`). */
export function imsCountedIds(interruptions: readonly Interruption[], year: number, period: ContractPeriod, asOf: Date): string[] {
  return imsSpans(interruptions, year, period, asOf).map(({ id }) => id);
}

/** Each counted interruption clipped to the year, the contract period and `asOf`; empty clips are dropped. */
function imsSpans(interruptions: readonly Interruption[], year: number, period: ContractPeriod, asOf: Date) {
  const fromMs = Math.max(parisYearStartMs(year), period.fromMs);
  const untilMs = Math.min(parisYearStartMs(year + 1), period.untilMs, asOf.getTime());
  const spans: Array<{ id: string; span: [number, number] }> = [];
  for (const interruption of interruptions) {
    if (interruption.planned || interruption.exclusion !== undefined) continue;
    const start = Math.max(interruption.notifiedAt.getTime(), fromMs);
    const end = Math.min(interruption.restoredAt?.getTime() ?? Number.POSITIVE_INFINITY, untilMs);
    if (end > start) spans.push({ id: interruption.id, span: [start, end] });
  }
  return spans;
}
