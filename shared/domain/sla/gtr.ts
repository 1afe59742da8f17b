import type { BusinessClock } from '../calendar/business-clock';
import { gtrPenaltyBracket, GTR_PENALTY_PERCENT } from './penalty-brackets';
import { percentOfCents } from './money';
import type { GtrOutcome, Interruption, PenaltyBracket } from './schemas';

export interface GtrAssessment {
  readonly businessMs: number;
  readonly deadline: Date;
  readonly outcome: GtrOutcome;
  readonly bracket: PenaltyBracket | null;
  readonly penaltyPercent: number;
  readonly penaltyCents: number;
}

/**
 * GTR of one interruption, counted in heures ouvrées from notification to restoration notice.
 *
 * An interruption still open at `asOf` (or restored after it) is 'running': its time so far
 * is reported but no penalty is due until restoration fixes the bracket, since the bracket
 * can only grow and an interim figure would be billed twice. Planned interruptions and
 * excluded causes are reported with their time but never penalised (art. 4.1, 4.5).
 */
export function assessGtr(
  interruption: Interruption,
  asOf: Date,
  gtrMinutes: number,
  /** The monthly fee of the month (Paris) the interruption was notified. */
  notifiedMonthFeeCents: number,
  clock: BusinessClock,
): GtrAssessment {
  const isRestored = interruption.restoredAt !== undefined && interruption.restoredAt <= asOf;
  const countedUntil = isRestored ? (interruption.restoredAt as Date) : asOf;
  const businessMs = Math.max(0, clock.millisecondsBetween(interruption.notifiedAt, countedUntil));
  const deadline = clock.addMinutes(interruption.notifiedAt, gtrMinutes);
  const noPenalty = (outcome: GtrOutcome): GtrAssessment => ({
    businessMs,
    deadline,
    outcome,
    bracket: null,
    penaltyPercent: 0,
    penaltyCents: 0,
  });

  if (interruption.planned) return noPenalty('planned');
  if (interruption.exclusion !== undefined) return noPenalty('excluded');
  if (!isRestored) return noPenalty('running');

  const bracket = gtrPenaltyBracket(businessMs, gtrMinutes);
  const penaltyPercent = GTR_PENALTY_PERCENT[bracket];
  return {
    businessMs,
    deadline,
    outcome: bracket === 0 ? 'met' : 'breached',
    bracket,
    penaltyPercent,
    penaltyCents: percentOfCents(notifiedMonthFeeCents, penaltyPercent),
  };
}
