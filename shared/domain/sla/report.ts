import { DateTime } from 'luxon';
import { z } from 'zod';
import { businessClock, type BusinessClock } from '../calendar/business-clock';
import { PARIS_ZONE, parisYearOf } from '../calendar/wall-clock';
import { contractPeriod, daysInYear, daysUnderContractInYear, invoicedMonthsOfYear, type ContractPeriod } from './contract-period';
import { InvalidSlaInputError } from './errors';
import { monthlyFeeCentsOf } from './fee-schedule';
import { assessGtr } from './gtr';
import { imsCountedIds, imsUsedMs } from './ims';
import { multipleOfMeanCents, percentOfCents } from './money';
import { allowanceMs, imsPenaltyBracket, IMS_PENALTY_PERCENT } from './penalty-brackets';
import {
  InterruptionSchema,
  SlaContractTermsSchema,
  SlaYearSchema,
  type ImsSummary,
  type Interruption,
  type InterruptionInput,
  type SlaContractTerms,
  type SlaContractTermsInput,
  type SlaInterruptionLine,
  type SlaReport,
} from './schemas';

/** GTR and IMS are both counted in heures ouvrées (contract 001 art. 1 and 9). */
export const SLA_CALENDAR = 'heures-ouvrees';
/**
 * Liability cap, contract 001 art. 3.1: a year's penalties never exceed three monthly fees,
 * taken as three times the mean fee of the year's invoiced months (see `liabilityCapCents`).
 */
export const CAP_IN_MONTHLY_FEES = 3;

const MS_PER_MINUTE = 60_000;

export interface BuildSlaReportInput {
  terms: SlaContractTermsInput;
  interruptions: readonly InterruptionInput[];
  year: number;
  /** The instant the report is computed at (injected: the domain reads no clock). */
  asOf: Date;
}

/**
 * The SLA statement of one contract for one Paris calendar year.
 *
 * Lines: interruptions notified during `year` (their GTR penalty falls on the fee of their
 * notification month, as the fee schedule had it then) and not after `asOf` (not yet known
 * then), by notification time.
 * IMS: every interruption's time within the year, so one notified in December and restored
 * in January also counts in the new year. Totals apply the liability cap.
 */
export function buildSlaReport(input: BuildSlaReportInput): SlaReport {
  const terms = parseOrThrow(SlaContractTermsSchema, input.terms, 'contract terms');
  const year = parseOrThrow(SlaYearSchema, input.year, 'year');
  const interruptions = input.interruptions.map((interruption, index) =>
    parseOrThrow(InterruptionSchema, interruption, `interruption #${index}`),
  );
  const asOf = parseOrThrow(z.date(), input.asOf, 'asOf');
  const clock = businessClock(SLA_CALENDAR, terms.region);

  const period = contractPeriod(terms.startDate, terms.endDate);
  // A line per interruption notified in the year while the contract ran: outside it, no GTR was promised.
  const lines = interruptions
    .filter((interruption) => {
      const notifiedMs = interruption.notifiedAt.getTime();
      return notifiedMs <= asOf.getTime() && parisYearOf(notifiedMs) === year && notifiedMs >= period.fromMs && notifiedMs < period.untilMs;
    })
    .sort((a, b) => a.notifiedAt.getTime() - b.notifiedAt.getTime() || a.id.localeCompare(b.id))
    .map((interruption) => toLine(interruption, asOf, terms, clock));

  // Each invoiced month at its own fee: the IMS base and the cap both stand on them.
  const invoicedFees = invoicedMonthsOfYear(year, terms.startDate, terms.endDate).map((month) => monthlyFeeCentsOf(terms, month));
  const lineIds = new Set(lines.map((line) => line.id));
  const ims = imsSummary({ interruptions, year, asOf, terms, period, invoicedFees, clock, lineIds });
  const gtrPenaltiesCents = lines.reduce((sum, line) => sum + line.penaltyCents, 0);
  const beforeCapCents = gtrPenaltiesCents + ims.penaltyCents;
  const capCents = liabilityCapCents(year, terms, invoicedFees);

  return {
    year,
    asOf,
    calendar: SLA_CALENDAR,
    region: terms.region,
    terms: {
      gtrMinutes: terms.gtrMinutes,
      imsHours: terms.imsHours,
      monthlyFeeCents: terms.monthlyFeeCents,
      // Only listed when there are any, so a constant-fee report reads exactly as before fee changes existed.
      ...(terms.feeChanges.length > 0 ? { feeChanges: terms.feeChanges.map((change) => ({ ...change })) } : {}),
      startDate: terms.startDate,
      endDate: terms.endDate ?? null,
    },
    interruptions: lines,
    ims,
    totals: {
      gtrPenaltiesCents,
      imsPenaltyCents: ims.penaltyCents,
      beforeCapCents,
      capCents,
      capApplied: beforeCapCents > capCents,
      dueCents: Math.min(beforeCapCents, capCents),
    },
  };
}

/**
 * Three monthly fees, contract 001 art. 3.1, for a year whose fee may change: three times the
 * mean fee of the year's invoiced months, rounded to the cent half up. Taking the fee of one
 * month (January, December, the highest) would let the date of a mid-year change inflate or
 * shrink the cap arbitrarily; the mean weighs each fee by the months it was invoiced, like the
 * IMS base, and with a constant fee it is exactly three fees. A year without invoiced months
 * has no penalties; its cap stays three times the fee in force in its January.
 */
function liabilityCapCents(year: number, terms: SlaContractTerms, invoicedFees: readonly number[]): number {
  if (invoicedFees.length === 0) return CAP_IN_MONTHLY_FEES * monthlyFeeCentsOf(terms, `${year}-01`);
  return multipleOfMeanCents(invoicedFees, CAP_IN_MONTHLY_FEES);
}

function toLine(interruption: Interruption, asOf: Date, terms: SlaContractTerms, clock: BusinessClock): SlaInterruptionLine {
  const notifiedMonth = DateTime.fromJSDate(interruption.notifiedAt, { zone: PARIS_ZONE }).toFormat('yyyy-MM');
  const feeCents = monthlyFeeCentsOf(terms, notifiedMonth);
  const gtr = assessGtr(interruption, asOf, terms.gtrMinutes, feeCents, clock);
  return {
    id: interruption.id,
    notifiedAt: interruption.notifiedAt,
    restoredAt: interruption.restoredAt ?? null,
    notifiedMonth,
    feeCents,
    planned: interruption.planned,
    exclusion: interruption.exclusion ?? null,
    exclusionReason: interruption.exclusionReason ?? null,
    gtrBusinessMinutes: gtr.businessMs / MS_PER_MINUTE,
    gtrDeadline: gtr.deadline,
    outcome: gtr.outcome,
    bracket: gtr.bracket,
    penaltyPercent: gtr.penaltyPercent,
    penaltyCents: gtr.penaltyCents,
  };
}

interface ImsInput {
  interruptions: readonly Interruption[];
  year: number;
  asOf: Date;
  terms: SlaContractTerms;
  period: ContractPeriod;
  /** The fee of each invoiced month of the year. */
  invoicedFees: readonly number[];
  clock: BusinessClock;
  lineIds: ReadonlySet<string>;
}

function imsSummary({ interruptions, year, asOf, terms, period, invoicedFees, clock, lineIds }: ImsInput): ImsSummary {
  const usedMs = imsUsedMs(interruptions, year, period, asOf, clock);
  const allowance = {
    // Whole milliseconds: 4.1 h × 3 600 000 is 14 759 999.999… in floating point, which would bill 246 min as over 4.1 h.
    fullYearMs: Math.round(terms.imsHours * 60 * MS_PER_MINUTE),
    daysUnderContract: daysUnderContractInYear(year, terms.startDate, terms.endDate),
    daysInYear: daysInYear(year),
  };
  const allowedMs = allowanceMs(allowance);
  const bracket = imsPenaltyBracket(usedMs, allowance);
  const penaltyPercent = IMS_PENALTY_PERCENT[bracket];
  // "The annual hosting fees invoiced for that year".
  const annualFeeCents = invoicedFees.reduce((sum, fee) => sum + fee, 0);
  return {
    usedMinutes: usedMs / MS_PER_MINUTE,
    allowedMinutes: allowedMs / MS_PER_MINUTE,
    leftMinutes: Math.max(0, allowedMs - usedMs) / MS_PER_MINUTE,
    exceededMinutes: Math.max(0, usedMs - allowedMs) / MS_PER_MINUTE,
    bracket,
    penaltyPercent,
    daysUnderContract: allowance.daysUnderContract,
    daysInYear: allowance.daysInYear,
    monthsInvoiced: invoicedFees.length,
    annualFeeCents,
    penaltyCents: percentOfCents(annualFeeCents, penaltyPercent),
    carriedOverIds: imsCountedIds(interruptions, year, period, asOf).filter((id) => !lineIds.has(id)),
  };
}

function parseOrThrow<Schema extends z.ZodType>(schema: Schema, value: unknown, what: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new InvalidSlaInputError(what, parsed.error);
  return parsed.data;
}
