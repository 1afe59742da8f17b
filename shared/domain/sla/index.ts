export {
  contractPeriod,
  daysInYear,
  daysUnderContractInYear,
  invoicedMonthsOfYear,
  type ContractPeriod,
} from './contract-period';
export { CSV_COLUMNS, csvField, slaReportToCsv } from './csv';
export { InvalidSlaInputError } from './errors';
export { monthlyFeeCentsOf, type FeeSchedule } from './fee-schedule';
export { assessGtr, type GtrAssessment } from './gtr';
export { imsCountedIds, imsUsedMs } from './ims';
export { formatEuros, multipleOfMeanCents, percentOfCents } from './money';
export {
  allowanceMs,
  GTR_PENALTY_PERCENT,
  gtrPenaltyBracket,
  IMS_PENALTY_PERCENT,
  imsPenaltyBracket,
  type ProratedAllowance,
} from './penalty-brackets';
export { buildSlaReport, CAP_IN_MONTHLY_FEES, SLA_CALENDAR, type BuildSlaReportInput } from './report';
export {
  DEFAULT_GTR_MINUTES,
  DEFAULT_IMS_HOURS,
  ExclusionSchema,
  feeChangesSchema,
  GtrOutcomeSchema,
  ImsSummarySchema,
  InterruptionSchema,
  PenaltyBracketSchema,
  SlaContractTermsSchema,
  SlaInterruptionLineSchema,
  SlaReportSchema,
  SlaTotalsSchema,
  SlaYearSchema,
  YearMonthSchema,
  type Exclusion,
  type FeeChange,
  type GtrOutcome,
  type ImsSummary,
  type Interruption,
  type InterruptionInput,
  type PenaltyBracket,
  type SlaContractTerms,
  type SlaContractTermsInput,
  type SlaInterruptionLine,
  type SlaReport,
  type SlaTotals,
} from './schemas';
