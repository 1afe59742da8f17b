import { parisWallClockToEpochMs } from '../calendar/wall-clock';

const MS_PER_DAY = 86_400_000;

/** The instants a contract covers: from its first day's Paris midnight to the midnight after its last day. */
export interface ContractPeriod {
  readonly fromMs: number;
  readonly untilMs: number;
}

export function contractPeriod(startDate: string, endDate: string | undefined): ContractPeriod {
  const [startYear, startMonth, startDay] = dateParts(startDate);
  const fromMs = parisWallClockToEpochMs(startYear, startMonth, startDay, 0);
  if (endDate === undefined) return { fromMs, untilMs: Number.POSITIVE_INFINITY };
  const [endYear, endMonth, endDay] = dateParts(endDate);
  return { fromMs, untilMs: parisWallClockToEpochMs(endYear, endMonth, endDay, 24 * 60) };
}

export function daysInYear(year: number): number {
  return dayNumber(`${year + 1}-01-01`) - dayNumber(`${year}-01-01`);
}

/**
 * Calendar days of `year` under contract, both contract dates inclusive. The IMS
 * allowance is prorated on calendar days because contracts state periods in days and
 * a client can check the figure without knowing the holiday calendar.
 */
export function daysUnderContractInYear(year: number, startDate: string, endDate: string | undefined): number {
  const firstDay = Math.max(dayNumber(startDate), dayNumber(`${year}-01-01`));
  const lastDay = Math.min(
    endDate === undefined ? Number.POSITIVE_INFINITY : dayNumber(endDate),
    dayNumber(`${year}-12-31`),
  );
  return Math.max(0, lastDay - firstDay + 1);
}

/**
 * Months of `year` in which hosting is invoiced, as "YYYY-MM" in order: every month with at
 * least one day under contract counts in full, as a monthly fee is invoiced for any started
 * month. Erring on the larger base never under-pays the client's IMS penalty. The IMS base
 * and the liability cap both sum the fees of these months.
 */
export function invoicedMonthsOfYear(year: number, startDate: string, endDate: string | undefined): string[] {
  const months: string[] = [];
  for (let month = 1; month <= 12; month += 1) {
    const yearMonth = `${year}-${String(month).padStart(2, '0')}`;
    const monthEnd = new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
    const startsBeforeMonthEnds = startDate <= monthEnd;
    const endsAfterMonthStarts = endDate === undefined || endDate >= `${yearMonth}-01`;
    if (startsBeforeMonthEnds && endsAfterMonthStarts) months.push(yearMonth);
  }
  return months;
}

function dayNumber(isoDate: string): number {
  const [year, month, day] = dateParts(isoDate);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

function dateParts(isoDate: string): [number, number, number] {
  const [year = Number.NaN, month = Number.NaN, day = Number.NaN] = isoDate.split('-').map(Number);
  return [year, month, day];
}
