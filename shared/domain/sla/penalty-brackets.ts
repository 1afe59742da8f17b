import type { PenaltyBracket } from './schemas';

const MS_PER_HOUR = 3_600_000;

export const GTR_PENALTY_PERCENT: Readonly<Record<PenaltyBracket, number>> = { 0: 0, 1: 10, 2: 20, 3: 30 };
export const IMS_PENALTY_PERCENT: Readonly<Record<PenaltyBracket, number>> = { 0: 0, 1: 1, 2: 2, 3: 3 };

/**
 * Contract 001 art. 4.2. Each bound is inclusive ("up to and including"), so exactly
 * GTR is met and exactly GTR+4 h is still 10 %. Compared in integer milliseconds so
 * that a boundary is never missed by float rounding.
 */
export function gtrPenaltyBracket(businessMs: number, gtrMinutes: number): PenaltyBracket {
  const gtrMs = gtrMinutes * 60_000;
  if (businessMs <= gtrMs) return 0;
  if (businessMs <= gtrMs + 4 * MS_PER_HOUR) return 1;
  if (businessMs <= gtrMs + 8 * MS_PER_HOUR) return 2;
  return 3;
}

/**
 * The IMS allowance after prorata: `fullYearMs × daysUnderContract / daysInYear`, kept as a
 * fraction so comparisons stay exact (a prorated allowance is rarely a whole millisecond).
 */
export interface ProratedAllowance {
  readonly fullYearMs: number;
  readonly daysUnderContract: number;
  readonly daysInYear: number;
}

export function allowanceMs(allowance: ProratedAllowance): number {
  return (allowance.fullYearMs * allowance.daysUnderContract) / allowance.daysInYear;
}

/**
 * Contract 001 art. 4.3, inclusive bounds. Only the allowance is prorated; the +10 h and
 * +30 h margins stay absolute (they measure how badly the prorated promise was missed).
 */
export function imsPenaltyBracket(usedMs: number, allowance: ProratedAllowance): PenaltyBracket {
  const isWithin = (marginHours: number): boolean =>
    usedMs * allowance.daysInYear <=
    allowance.fullYearMs * allowance.daysUnderContract + marginHours * MS_PER_HOUR * allowance.daysInYear;
  if (isWithin(0)) return 0;
  if (isWithin(10)) return 1;
  if (isWithin(30)) return 2;
  return 3;
}
