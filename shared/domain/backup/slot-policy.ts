import { DateTime } from 'luxon';
import { PARIS_ZONE, parisDateOf } from '../calendar/wall-clock';
import type { SlotAddress, SlotBackup, SlotClass, SnapshotSlots } from '../../ports/snapshot-slots';

/**
 * Which restore points a commit writes into a host's snapshot slots, and which it removes (DESIGN.md §3).
 *
 * - A scheduled backup goes to the daily and the weekly slot; an ad-hoc backup to the adhoc slot only.
 * - The day a backup counts for is the Paris day on which it started (a backup running past midnight counts for the
 *   day before), its week the ISO week of that day.
 * - Each daily version is the best backup of its day, each weekly version the best of its week: complete beats
 *   partial, then the later start wins (double runs, late commits). A partial backup never replaces a complete one; a
 *   backup that started before a same-day one of the same kind never replaces it. (A complete backup does replace a
 *   partial one of the same day even if it started earlier: the day keeps a restore point with every file.)
 * - S3 counts versions by write order (NewerNoncurrentVersions), so write order must be day order: when a backup of
 *   an earlier day is committed after one of a later day (two overlapping runs across midnight), the later day's
 *   version is rewritten on top (a copy inside S3) and its old version deleted.
 * - Commits are idempotent: the session's version is found by its metadata, and nothing is written twice.
 *
 * Pure: no AWS, no clock. `commitToSlots` runs the policy against the SnapshotSlots port.
 */

export type BackupKind = 'scheduled' | 'adhoc';

/** Time-zone arithmetic is the slow part of the policy; a backup's period is asked for again and again. */
function memoized(compute: (epochMs: number) => string): (instant: Date) => string {
  const cache = new Map<number, string>();
  return (instant) => {
    const epochMs = instant.getTime();
    let value = cache.get(epochMs);
    if (value === undefined) {
      if (cache.size >= 50_000) cache.clear();
      value = compute(epochMs);
      cache.set(epochMs, value);
    }
    return value;
  };
}

/** The Paris calendar day of an instant, YYYY-MM-DD: the day a backup that started then counts for. */
export const parisDayOf: (instant: Date) => string = memoized((epochMs) => parisDateOf(new Date(epochMs)));

/** The ISO week (Monday to Sunday, in Paris) of an instant, YYYY-Www; the year is the ISO week-numbering year. */
export const isoWeekOf: (instant: Date) => string = memoized((epochMs) => {
  const paris = DateTime.fromMillis(epochMs, { zone: PARIS_ZONE });
  return `${paris.weekYear}-W${String(paris.weekNumber).padStart(2, '0')}`;
});

export const slotClassesOf = (kind: BackupKind): SlotClass[] => (kind === 'adhoc' ? ['adhoc'] : ['daily', 'weekly']);

/** A slot's key, as DESIGN.md §2 lays it out (the class first: lifecycle filters match a key's beginning). */
export const slotKeyOf = (slotClass: SlotClass, clientId: string, host: string): string => `snapshots/${slotClass}/${clientId}/${host}`;

/** What a version of a slot class stands for: a Paris day (daily), an ISO week (weekly); each ad-hoc backup stands alone. */
export function periodOf(slotClass: SlotClass, backup: Pick<SlotBackup, 'startedAt' | 'sessionId'>): string {
  if (slotClass === 'daily') return parisDayOf(backup.startedAt);
  if (slotClass === 'weekly') return isoWeekOf(backup.startedAt);
  return `session:${backup.sessionId}`;
}

/**
 * Orders backups of one period from worst to best: partial before complete, then by start, then by session id (a
 * total order, so concurrent commits of one slot agree on the winner). Positive when `a` is the better one.
 */
export function compareBackups(a: SlotBackup, b: SlotBackup): number {
  if (a.partial !== b.partial) return a.partial ? -1 : 1;
  const byStart = a.startedAt.getTime() - b.startedAt.getTime();
  if (byStart !== 0) return Math.sign(byStart);
  return a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0;
}

/** What the policy needs of a slot version (the port's SlotVersion has it). */
export interface PolicyVersion {
  versionId: string;
  /** Undefined for a version without our metadata: the policy never counts, keeps or deletes it. */
  backup?: SlotBackup | undefined;
}

export type SlotOutcome =
  /** Written: the first of its period (or an ad-hoc backup). */
  | 'new'
  /** Written: it beats the version(s) of its period, which are deleted. */
  | 'replaces'
  /** Nothing written: this session is already in the slot (a repeated commit). */
  | 'already-written'
  /** Nothing written: a better backup of the same period is in the slot. */
  | 'outranked';

export interface SlotDecision {
  outcome: SlotOutcome;
  write: boolean;
  /** The version already holding this session, when there is one. */
  holder?: string;
}

/** Whether a backup becomes a new version of a slot, given the slot's versions (newest first). */
export function decideSlotWrite(slotClass: SlotClass, versions: readonly PolicyVersion[], backup: SlotBackup): SlotDecision {
  const holder = versions.find((v) => v.backup?.sessionId === backup.sessionId);
  if (holder) return { outcome: 'already-written', write: false, holder: holder.versionId };
  const period = periodOf(slotClass, backup);
  const samePeriod = versions.filter((v) => v.backup && periodOf(slotClass, v.backup) === period);
  if (samePeriod.some((v) => compareBackups(v.backup!, backup) > 0)) return { outcome: 'outranked', write: false };
  return { outcome: samePeriod.length > 0 ? 'replaces' : 'new', write: true };
}

export interface SlotRepair {
  /** Versions beaten by a better one of their period (or duplicates of one session), to delete. */
  delete: string[];
  /**
   * Versions to copy back on top, in this order, each old version then deleted: those of later periods written
   * before an earlier period's (write order must be period order, since S3 counts versions by write order).
   */
  rewrite: string[];
}

/**
 * What a slot needs to be as the policy wants it: one version per period, the best, in period order. Run after a
 * write (and on a repeated commit, which so finishes what an interrupted one left: a commit that wrote and then
 * failed before deleting converges on the next attempt).
 */
export function repairSlot(slotClass: SlotClass, versions: readonly PolicyVersion[]): SlotRepair {
  const ours = versions.map((version, index) => ({ version, index })).filter((entry) => entry.version.backup !== undefined);
  const winners = new Map<string, { version: PolicyVersion; index: number }>();
  const losers: string[] = [];
  for (const entry of ours) {
    const period = periodOf(slotClass, entry.version.backup!);
    const best = winners.get(period);
    // The better backup wins; between two copies of one backup, the newer write (the smaller index).
    const better = best === undefined || compareBackups(entry.version.backup!, best.version.backup!) > 0;
    if (better) {
      if (best) losers.push(best.version.versionId);
      winners.set(period, entry);
    } else {
      losers.push(entry.version.versionId);
    }
  }
  if (slotClass === 'adhoc') return { delete: losers, rewrite: [] };

  // Newest write first; periods sort as strings (YYYY-MM-DD, YYYY-Www).
  const kept = [...winners.entries()].sort((a, b) => a[1].index - b[1].index).map(([period, entry]) => ({ period, versionId: entry.version.versionId }));
  const inPeriodOrder = (list: typeof kept) => list.every((entry, i) => i === 0 || list[i - 1]!.period > entry.period);
  // Lift the fewest versions: all those of the latest periods, down to the first threshold under which order holds.
  const periods = kept.map((entry) => entry.period).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  let lifted: typeof kept = [];
  for (let cut = 0; cut <= periods.length; cut++) {
    const threshold = periods[cut - 1];
    const stay = threshold === undefined ? kept : kept.filter((entry) => entry.period < threshold);
    if (inPeriodOrder(stay)) {
      lifted = threshold === undefined ? [] : kept.filter((entry) => entry.period >= threshold);
      break;
    }
  }
  lifted.sort((a, b) => (a.period < b.period ? -1 : 1));
  return { delete: losers, rewrite: lifted.map((entry) => entry.versionId) };
}

/** A backup being committed into its host's slots. */
export interface SlotCommit {
  clientId: string;
  host: string;
  kind: BackupKind;
  /** The staged manifest the slot versions are copied from. */
  stagedKey: string;
  backup: SlotBackup;
}

export interface SlotCommitResult {
  slotClass: SlotClass;
  outcome: SlotOutcome;
  /** The version holding this backup after the commit; undefined when it is not in the slot (outranked). */
  versionId?: string;
  /** Versions deleted (replaced, duplicates, old copies of rewritten ones). */
  deleted: string[];
  /** Versions rewritten on top to keep write order = period order: old id → new id. */
  rewritten: Array<{ from: string; to: string }>;
}

/**
 * Commits a backup into its slots (daily + weekly, or adhoc): decide, write (a copy of the staged manifest inside
 * S3), then repair the slot as listed again (which also settles two commits of one slot racing). Idempotent: a
 * repeated commit writes nothing and finishes whatever an interrupted one left undone.
 */
export async function commitToSlots(slots: SnapshotSlots, commit: SlotCommit): Promise<SlotCommitResult[]> {
  // The daily and the weekly slot are separate keys: committed side by side, both settled before an error is thrown
  // (nothing left running behind a failed commit).
  const settled = await Promise.allSettled(slotClassesOf(commit.kind).map((slotClass) => commitToSlot(slots, commit, slotClass)));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<SlotCommitResult>).value);
}

async function commitToSlot(slots: SnapshotSlots, commit: SlotCommit, slotClass: SlotClass): Promise<SlotCommitResult> {
  const address: SlotAddress = { slotClass, clientId: commit.clientId, host: commit.host };
  let versions = await slots.list(address);
  const decision = decideSlotWrite(slotClass, versions, commit.backup);
  let outcome = decision.outcome;
  let versionId = decision.holder;
  if (decision.write) {
    versionId = (await slots.write(address, commit.stagedKey, commit.backup)).versionId;
    versions = await slots.list(address);
  }
  const repair = repairSlot(slotClass, versions);
  for (const doomed of repair.delete) await slots.delete(address, doomed);
  if (versionId !== undefined && repair.delete.includes(versionId)) {
    // Lost to a better backup of its period (another commit raced this one), or a leftover duplicate.
    versionId = versions.find((v) => v.backup?.sessionId === commit.backup.sessionId && !repair.delete.includes(v.versionId))?.versionId;
    if (versionId === undefined) outcome = 'outranked';
  }
  const rewritten: SlotCommitResult['rewritten'] = [];
  for (const from of repair.rewrite) {
    const to = (await slots.rewrite(address, from)).versionId;
    await slots.delete(address, from);
    rewritten.push({ from, to });
    if (from === versionId) versionId = to;
  }
  return { slotClass, outcome, ...(versionId === undefined ? {} : { versionId }), deleted: [...repair.delete, ...repair.rewrite], rewritten };
}
