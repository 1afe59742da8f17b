/**
 * The snapshot slots of the backup bucket (DESIGN.md §2–3): one versioned object per host and class,
 * `snapshots/{class}/{clientId}/{host}`, each version one restore point. Written only by the commit (a copy of the
 * staged manifest made inside S3), read by restore listings, trimmed by the bucket's lifecycle rules.
 */

/** daily and weekly hold scheduled backups (one per Paris day / ISO week); adhoc holds ad-hoc backups, each its own. */
export type SlotClass = 'daily' | 'weekly' | 'adhoc';

export interface SlotAddress {
  slotClass: SlotClass;
  clientId: string;
  host: string;
}

/** The backup a slot version holds, as its metadata records it. */
export interface SlotBackup {
  /** The backup session: one commit of it writes at most one version per slot (commits are idempotent). */
  sessionId: string;
  snapshotId: string;
  /** When the backup started (the server's clock at session start): the Paris day and ISO week it counts for. */
  startedAt: Date;
  /** Some files could not be read: a partial backup never replaces a complete one. */
  partial: boolean;
}

export interface SlotVersion {
  versionId: string;
  /** When this version was written (S3's LastModified): the commit, or a later reordering copy. */
  writtenAt: Date;
  size: number;
  /** The slot's current version. */
  latest: boolean;
  /**
   * The backup it holds, with the Paris day (YYYY-MM-DD) and ISO week (YYYY-Www) it counts for; undefined when the
   * version carries no readable metadata of ours (never written by a commit: ignored by the slot policy).
   */
  backup?: SlotBackup & { day: string; week: string };
}

/** A version just written: what the write itself says (its size is in the next listing). */
export type WrittenVersion = Pick<SlotVersion, 'versionId' | 'writtenAt' | 'backup'>;

export interface SnapshotSlots {
  /** The slot's object key. */
  keyOf(slot: SlotAddress): string;
  /** A new version of the slot: a copy of the staged manifest (inside S3) with the backup's metadata. */
  write(slot: SlotAddress, stagedKey: string, backup: SlotBackup): Promise<WrittenVersion>;
  /** A new version of the slot copied from one of its versions, metadata and all (to keep write order = day order). */
  rewrite(slot: SlotAddress, versionId: string): Promise<WrittenVersion>;
  /** Every version of the slot, newest first (delete markers left out). */
  list(slot: SlotAddress): Promise<SlotVersion[]>;
  /** Deletes one version for good (no delete marker); deleting one that is already gone is not an error. */
  delete(slot: SlotAddress, versionId: string): Promise<void>;
}
