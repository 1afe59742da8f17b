import type { FeeChange } from './schemas';

/** A monthly fee over time: `monthlyFeeCents` from the contract start, then each change from its month on. */
export interface FeeSchedule {
  readonly monthlyFeeCents: number;
  readonly feeChanges: readonly FeeChange[];
}

/**
 * The monthly fee invoiced for `month` ("YYYY-MM"): the fee of the latest change effective
 * in or before that month, else the initial fee. Months compare as strings, which is time
 * order for "YYYY-MM"; the latest is searched rather than assumed last, so the answer does
 * not depend on the list being sorted.
 */
export function monthlyFeeCentsOf(schedule: FeeSchedule, month: string): number {
  let fee = schedule.monthlyFeeCents;
  let feeSince = '';
  for (const change of schedule.feeChanges) {
    if (change.effectiveMonth <= month && change.effectiveMonth > feeSince) {
      fee = change.monthlyFeeCents;
      feeSince = change.effectiveMonth;
    }
  }
  return fee;
}
