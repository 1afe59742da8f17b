import { formatParisIso } from '../calendar/iso';
import { formatEuros } from './money';
import type { SlaReport } from './schemas';

/**
 * Layout (one table, so spreadsheets open it as is):
 * - header row: CSV_COLUMNS;
 * - one `interruption` row per report line, `metric` and `value` empty;
 * - then `summary` rows with only `record`, `metric` and `value` filled
 *   (year, IMS figures, totals); minutes with 2 decimals, euros with 2 decimals.
 * Instants are ISO-8601 in the Europe/Paris offset. Lines end with CRLF (RFC 4180).
 */
export const CSV_COLUMNS = [
  'record',
  'id',
  'notified_at',
  'restored_at',
  'notified_month',
  'planned',
  'exclusion',
  'exclusion_reason',
  'gtr_business_minutes',
  'gtr_deadline',
  'outcome',
  'bracket',
  'penalty_percent',
  'penalty_eur',
  'metric',
  'value',
] as const;

type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string>>;

export function slaReportToCsv(report: SlaReport): string {
  const rows: CsvRow[] = report.interruptions.map((line) => ({
    record: 'interruption',
    id: line.id,
    notified_at: formatParisIso(line.notifiedAt),
    restored_at: line.restoredAt ? formatParisIso(line.restoredAt) : '',
    notified_month: line.notifiedMonth,
    planned: String(line.planned),
    exclusion: line.exclusion ?? '',
    exclusion_reason: line.exclusionReason ?? '',
    gtr_business_minutes: formatMinutes(line.gtrBusinessMinutes),
    gtr_deadline: formatParisIso(line.gtrDeadline),
    outcome: line.outcome,
    bracket: line.bracket === null ? '' : String(line.bracket),
    penalty_percent: String(line.penaltyPercent),
    penalty_eur: formatEuros(line.penaltyCents),
  }));

  const summary: Array<[string, string]> = [
    ['year', String(report.year)],
    ['as_of', formatParisIso(report.asOf)],
    ['region', report.region],
    ['ims_used_minutes', formatMinutes(report.ims.usedMinutes)],
    ['ims_allowed_minutes', formatMinutes(report.ims.allowedMinutes)],
    ['ims_left_minutes', formatMinutes(report.ims.leftMinutes)],
    ['ims_penalty_percent', String(report.ims.penaltyPercent)],
    ['ims_annual_fee_eur', formatEuros(report.ims.annualFeeCents)],
    ['ims_penalty_eur', formatEuros(report.totals.imsPenaltyCents)],
    ['ims_carried_over_ids', report.ims.carriedOverIds.join(' ')],
    ['gtr_penalties_eur', formatEuros(report.totals.gtrPenaltiesCents)],
    ['penalties_before_cap_eur', formatEuros(report.totals.beforeCapCents)],
    ['cap_eur', formatEuros(report.totals.capCents)],
    ['penalties_due_eur', formatEuros(report.totals.dueCents)],
  ];
  for (const [metric, value] of summary) rows.push({ record: 'summary', metric, value });

  const lines = [CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((column) => csvField(row[column] ?? '')).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

/** RFC 4180 quoting, plus a leading quote on text a spreadsheet would run as a formula. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

function formatMinutes(minutes: number): string {
  return minutes.toFixed(2);
}
