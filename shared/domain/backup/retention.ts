import type { SlotBackup, SlotClass } from '../../ports/snapshot-slots';
import { compareBackups, decideSlotWrite, isoWeekOf, parisDayOf, repairSlot, slotClassesOf, slotKeyOf, type BackupKind } from './slot-policy';

/**
 * Retention as a pure function (DESIGN.md §3): which restore points exist at an instant, given the commits and the
 * bucket's lifecycle rules, with S3's timing; and the set the contract promises. A simulation replays months of
 * backups through the real rules and the local S3 server and checks, night after night, that both agree.
 *
 * S3's timing, as modelled (and as the local S3 server applies it):
 * - Lifecycle runs in passes (about once a day on S3; the caller says when: `passes`).
 * - A noncurrent version expires at a pass at or after the first midnight UTC at least `NoncurrentDays` after it
 *   became noncurrent (when a newer version was first written over it), and only when at least
 *   `NewerNoncurrentVersions` noncurrent versions are newer than it (counted when the pass starts).
 * - A pass at an instant sees every commit made at or before it.
 * Commits follow the slot policy (slot-policy.ts) exactly as `commitToSlots` applies it, every step at the commit's
 * instant.
 */

/** The part of a lifecycle rule the model needs: NoncurrentVersionExpiration on a key prefix. */
export interface NoncurrentExpirationRule {
  id?: string;
  prefix: string;
  noncurrentDays: number;
  newerNoncurrentVersions?: number;
}

/** One commit of a backup into its host's slots. */
export interface CommitEvent {
  clientId: string;
  host: string;
  kind: BackupKind;
  backup: SlotBackup;
  /** When the commit ran (the server's clock). */
  committedAt: Date;
}

export interface ModelVersion {
  backup: SlotBackup;
  writtenAt: Date;
  /** When a newer version was first written over it; undefined while current. */
  noncurrentSince?: Date;
}

export interface Expiry {
  at: Date;
  key: string;
  slotClass: SlotClass;
  backup: SlotBackup;
}

export interface RetentionState {
  at: Date;
  /** Slot key → its versions, newest first (slots never written are absent). */
  slots: Map<string, ModelVersion[]>;
  /** Every version the lifecycle removed, in order. */
  expired: Expiry[];
}

const DAY_MS = 24 * 3600 * 1000;

/** S3 adds the days to the instant, then rounds up to the next midnight UTC. */
export function lifecycleDue(since: Date, days: number): Date {
  return new Date(Math.ceil((since.getTime() + days * DAY_MS) / DAY_MS) * DAY_MS);
}

/** Every midnight UTC in (from, to]: one lifecycle pass a night, at the instant S3's due times fall on. */
export function midnightsUtc(from: Date, to: Date): Date[] {
  const passes: Date[] = [];
  for (let t = Math.floor(from.getTime() / DAY_MS) * DAY_MS + DAY_MS; t <= to.getTime(); t += DAY_MS) passes.push(new Date(t));
  return passes;
}

interface Slot {
  slotClass: SlotClass;
  versions: Array<ModelVersion & { versionId: string }>;
}

/** Replays commits and lifecycle passes up to `at` (inclusive) and says which versions every slot holds then. */
export function replayRetention(input: {
  commits: readonly CommitEvent[];
  rules: readonly NoncurrentExpirationRule[];
  passes: readonly Date[];
  at: Date;
}): RetentionState {
  const slots = new Map<string, Slot>();
  const expired: Expiry[] = [];
  let ids = 0;
  type Event = { at: number; order: number; commit?: CommitEvent; pass?: Date };
  const events: Event[] = [
    ...input.commits.map((commit, i) => ({ at: commit.committedAt.getTime(), order: i, commit })),
    // Commits first at an equal instant: a pass sees what was committed at or before it.
    ...input.passes.map((pass, i) => ({ at: pass.getTime(), order: input.commits.length + i, pass })),
  ]
    .filter((event) => event.at <= input.at.getTime())
    .sort((a, b) => a.at - b.at || a.order - b.order);

  const push = (slot: Slot, backup: SlotBackup, at: Date) => {
    const previous = slot.versions[0];
    if (previous && previous.noncurrentSince === undefined) previous.noncurrentSince = at;
    const version = { versionId: `v${++ids}`, backup, writtenAt: at };
    slot.versions.unshift(version);
    return version;
  };
  const remove = (slot: Slot, versionId: string) => {
    const index = slot.versions.findIndex((v) => v.versionId === versionId);
    if (index < 0) return;
    slot.versions.splice(index, 1);
    // Deleting the current version makes the next one current again.
    if (index === 0 && slot.versions[0]) delete slot.versions[0].noncurrentSince;
  };

  for (const event of events) {
    if (event.commit) {
      const { commit } = event;
      for (const slotClass of slotClassesOf(commit.kind)) {
        const key = slotKeyOf(slotClass, commit.clientId, commit.host);
        const slot = slots.get(key) ?? { slotClass, versions: [] };
        slots.set(key, slot);
        const decision = decideSlotWrite(slotClass, slot.versions, commit.backup);
        if (decision.write) push(slot, commit.backup, commit.committedAt);
        const repair = repairSlot(slotClass, slot.versions);
        for (const doomed of repair.delete) remove(slot, doomed);
        for (const lifted of repair.rewrite) {
          const old = slot.versions.find((v) => v.versionId === lifted)!;
          push(slot, old.backup, commit.committedAt);
          remove(slot, lifted);
        }
      }
    } else if (event.pass) {
      const at = event.pass;
      for (const [key, slot] of slots) {
        const matching = input.rules.filter((rule) => key.startsWith(rule.prefix));
        if (matching.length === 0) continue;
        // Counted on the versions as the pass found them, as S3 evaluates a rule against an object's version list.
        const doomed = slot.versions.filter((version, index) => {
          if (index === 0) return false;
          return matching.some(
            (rule) => index - 1 >= (rule.newerNoncurrentVersions ?? 0) && at.getTime() >= lifecycleDue(version.noncurrentSince!, rule.noncurrentDays).getTime(),
          );
        });
        for (const version of doomed) {
          remove(slot, version.versionId);
          expired.push({ at, key, slotClass: slot.slotClass, backup: version.backup });
        }
      }
    }
  }

  const result = new Map<string, ModelVersion[]>();
  for (const [key, slot] of slots) result.set(key, slot.versions.map(({ versionId: _id, ...version }) => ({ ...version })));
  return { at: input.at, slots: result, expired };
}

export interface ContractSet {
  /** The best backup of each of the last `days` Paris days that had one, newest day first. */
  daily: SlotBackup[];
  /** The best backup of each of the last `weeks` ISO weeks that had one (the current week included), newest first. */
  weekly: SlotBackup[];
}

/**
 * The restore points a host's contract promises at `at` (7 daily + the 2 weeks before this one: 3 ISO weeks with the
 * current one), from its scheduled commits made by then. "The last backup" of a day is its best: complete before
 * partial, then the latest started, as the slot policy keeps it.
 */
export function contractRestorePoints(commits: readonly CommitEvent[], at: Date, counts: { days: number; weeks: number } = { days: 7, weeks: 3 }): ContractSet {
  const done = commits.filter((c) => c.kind === 'scheduled' && c.committedAt.getTime() <= at.getTime());
  const bestBy = (periodOf: (backup: SlotBackup) => string, count: number): SlotBackup[] => {
    const best = new Map<string, SlotBackup>();
    for (const { backup } of done) {
      const period = periodOf(backup);
      const current = best.get(period);
      if (!current || compareBackups(backup, current) > 0) best.set(period, backup);
    }
    return [...best.entries()]
      .sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
      .slice(0, count)
      .map(([, backup]) => backup);
  };
  return { daily: bestBy((b) => parisDayOf(b.startedAt), counts.days), weekly: bestBy((b) => isoWeekOf(b.startedAt), counts.weeks) };
}
