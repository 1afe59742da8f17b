import { z } from 'zod';
import { HolidayRegionSchema } from '../calendar/regions';

/** Contract 001 art. 4.2: GTR 4 h 30 in heures ouvrées. */
export const DEFAULT_GTR_MINUTES = 270;
/** Contract 001 art. 4.3: IMS 30 business hours per calendar year. */
export const DEFAULT_IMS_HOURS = 30;

const CalendarDateSchema = z.iso.date();

/** A calendar month, "YYYY-MM" (01–12); such strings sort in time order. */
export const YearMonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month "YYYY-MM" (01 to 12)');

/**
 * The changes of a monthly fee after the contract start, oldest first: from `effectiveMonth`
 * on (included) the fee is `monthlyFeeCents`, until the next change. Months strictly increase,
 * so a month never has two fees. `maxFeeCents` is the bound of the fee the changes amend.
 */
export function feeChangesSchema(maxFeeCents: number) {
  return z
    .array(
      z.strictObject({
        effectiveMonth: YearMonthSchema,
        monthlyFeeCents: z.int().nonnegative().max(maxFeeCents),
      }),
    )
    .max(120)
    .superRefine((changes, context) => {
      changes.forEach((change, index) => {
        const previous = changes[index - 1];
        if (previous !== undefined && change.effectiveMonth <= previous.effectiveMonth) {
          context.addIssue({
            code: 'custom',
            path: [index, 'effectiveMonth'],
            message: `must be after the previous change's month (${previous.effectiveMonth}): fee changes are listed oldest first, one per month`,
          });
        }
      });
    });
}
export type FeeChange = z.infer<ReturnType<typeof feeChangesSchema>>[number];

const MAX_FEE_CENTS = 1_000_000_000;

/** Causes that cancel penalties (contract 001 art. 4.5 and the exclusions it lists). */
export const ExclusionSchema = z.enum(['force-majeure', 'third-party', 'client-fault', 'element-not-operated', 'other']);
export type Exclusion = z.infer<typeof ExclusionSchema>;

export const InterruptionSchema = z
  .object({
    id: z.string().min(1).max(128),
    /** The client's notification: GTR and IMS count from here (art. 4.4). */
    notifiedAt: z.date(),
    /** The provider's notice of restoration; absent while the interruption is open. */
    restoredAt: z.date().optional(),
    planned: z.boolean().default(false),
    exclusion: ExclusionSchema.optional(),
    exclusionReason: z.string().max(1000).optional(),
  })
  .refine((interruption) => !interruption.restoredAt || interruption.restoredAt >= interruption.notifiedAt, {
    path: ['restoredAt'],
    message: 'restoration cannot precede notification',
  });
export type Interruption = z.infer<typeof InterruptionSchema>;
export type InterruptionInput = z.input<typeof InterruptionSchema>;

export const SlaContractTermsSchema = z
  .object({
    gtrMinutes: z.int().positive().max(100_000).default(DEFAULT_GTR_MINUTES),
    imsHours: z.number().positive().max(10_000).default(DEFAULT_IMS_HOURS),
    /** The monthly fee from the contract start, in integer euro cents (penalties are percentages, floats would drift). */
    monthlyFeeCents: z.int().nonnegative().max(MAX_FEE_CENTS),
    /** Later fees, each from its month on: a past month keeps the fee invoiced then. */
    feeChanges: feeChangesSchema(MAX_FEE_CENTS).default([]),
    startDate: CalendarDateSchema,
    /** Last day under contract (inclusive); absent for an open-ended contract. */
    endDate: CalendarDateSchema.optional(),
    region: HolidayRegionSchema.default('national'),
  })
  .refine((terms) => !terms.endDate || terms.endDate >= terms.startDate, {
    path: ['endDate'],
    message: 'the contract cannot end before it starts',
  });
export type SlaContractTerms = z.infer<typeof SlaContractTermsSchema>;
export type SlaContractTermsInput = z.input<typeof SlaContractTermsSchema>;

export const SlaYearSchema = z.int().min(1900).max(2999);

export const GtrOutcomeSchema = z.enum(['met', 'breached', 'running', 'excluded', 'planned']);
export type GtrOutcome = z.infer<typeof GtrOutcomeSchema>;

/** 0 = within the guarantee, 1 = up to +4 h, 2 = up to +8 h (GTR) or +30 h (IMS), 3 = beyond. */
export const PenaltyBracketSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);
export type PenaltyBracket = z.infer<typeof PenaltyBracketSchema>;

export const SlaInterruptionLineSchema = z.object({
  id: z.string(),
  notifiedAt: z.date(),
  restoredAt: z.date().nullable(),
  /** Europe/Paris month of the notification, "YYYY-MM": its monthly fee bears the GTR penalty. */
  notifiedMonth: z.string(),
  /** The monthly fee of `notifiedMonth` (the fee schedule's), in cents: the base of the GTR penalty. */
  feeCents: z.int(),
  planned: z.boolean(),
  exclusion: ExclusionSchema.nullable(),
  exclusionReason: z.string().nullable(),
  /** Business minutes from notification to restoration, or to `asOf` while running. */
  gtrBusinessMinutes: z.number(),
  gtrDeadline: z.date(),
  outcome: GtrOutcomeSchema,
  /** null when no penalty applies by nature (running, planned, excluded). */
  bracket: PenaltyBracketSchema.nullable(),
  penaltyPercent: z.number(),
  penaltyCents: z.int(),
});
export type SlaInterruptionLine = z.infer<typeof SlaInterruptionLineSchema>;

export const ImsSummarySchema = z.object({
  usedMinutes: z.number(),
  allowedMinutes: z.number(),
  leftMinutes: z.number(),
  exceededMinutes: z.number(),
  bracket: PenaltyBracketSchema,
  penaltyPercent: z.number(),
  daysUnderContract: z.int(),
  daysInYear: z.int(),
  monthsInvoiced: z.int(),
  /** The sum of the monthly fees of the invoiced months: the base of the IMS penalty. */
  annualFeeCents: z.int(),
  penaltyCents: z.int(),
  /**
   * Interruptions counted in this year's IMS that have no line in this report: notified in an earlier year, or
   * before the contract started (their time under contract counts, no GTR was promised).
   */
  carriedOverIds: z.array(z.string()),
});
export type ImsSummary = z.infer<typeof ImsSummarySchema>;

export const SlaTotalsSchema = z.object({
  gtrPenaltiesCents: z.int(),
  imsPenaltyCents: z.int(),
  beforeCapCents: z.int(),
  capCents: z.int(),
  capApplied: z.boolean(),
  dueCents: z.int(),
});
export type SlaTotals = z.infer<typeof SlaTotalsSchema>;

export const SlaReportSchema = z.object({
  year: SlaYearSchema,
  asOf: z.date(),
  calendar: z.string(),
  region: HolidayRegionSchema,
  terms: z.object({
    gtrMinutes: z.int(),
    imsHours: z.number(),
    monthlyFeeCents: z.int(),
    /** Present when the fee changed after the contract start; absent, the fee never changed. */
    feeChanges: z.array(z.object({ effectiveMonth: z.string(), monthlyFeeCents: z.int() })).optional(),
    startDate: z.string(),
    endDate: z.string().nullable(),
  }),
  interruptions: z.array(SlaInterruptionLineSchema),
  ims: ImsSummarySchema,
  totals: SlaTotalsSchema,
});
export type SlaReport = z.infer<typeof SlaReportSchema>;
