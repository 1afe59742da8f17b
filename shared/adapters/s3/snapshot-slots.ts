import {
  CopyObjectCommand,
  DeleteObjectCommand,
  HeadObjectCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isoWeekOf, parisDayOf, slotKeyOf } from '../../domain/backup/slot-policy';
import type { SlotAddress, SlotBackup, SlotVersion, SnapshotSlots, WrittenVersion } from '../../ports/snapshot-slots';

/**
 * The snapshot slots in the backup bucket. A version is written by CopyObject from the staged manifest (no bytes
 * through Lambda) with its metadata replaced by the backup's:
 *
 *   x-amz-meta-vigie-session-id   the backup session (finds a repeated commit)
 *   x-amz-meta-vigie-snapshot-id  the snapshot id of the manifest
 *   x-amz-meta-vigie-started-at   when the backup started, ISO-8601 UTC
 *   x-amz-meta-vigie-day          the Paris day it counts for, YYYY-MM-DD
 *   x-amz-meta-vigie-week         the ISO week it counts for, YYYY-Www
 *   x-amz-meta-vigie-partial      true | false
 *
 * ListObjectVersions carries no metadata, so listing a slot HEADs each version; versions never change, so what a
 * HEAD read is kept (bounded) and a slot listed again costs one request.
 *
 * IAM: s3:ListBucketVersions (with the slot key as s3:prefix), s3:GetObjectVersion, s3:PutObject on snapshots/,
 * s3:GetObject(Version) on the staging prefix, s3:DeleteObjectVersion on snapshots/ (the commit role only).
 */

const META = {
  sessionId: 'vigie-session-id',
  snapshotId: 'vigie-snapshot-id',
  startedAt: 'vigie-started-at',
  day: 'vigie-day',
  week: 'vigie-week',
  partial: 'vigie-partial',
} as const;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The metadata of a slot version holding `backup`. */
export function slotMetadata(backup: SlotBackup): Record<string, string> {
  return {
    [META.sessionId]: backup.sessionId,
    [META.snapshotId]: backup.snapshotId,
    [META.startedAt]: backup.startedAt.toISOString(),
    [META.day]: parisDayOf(backup.startedAt),
    [META.week]: isoWeekOf(backup.startedAt),
    [META.partial]: String(backup.partial),
  };
}

/** The backup a version's metadata records, or undefined when it is not (all) ours. */
export function backupOfMetadata(metadata: Record<string, string> | undefined): SlotVersion['backup'] {
  if (!metadata) return undefined;
  const sessionId = metadata[META.sessionId];
  const snapshotId = metadata[META.snapshotId];
  const startedAt = metadata[META.startedAt];
  const day = metadata[META.day];
  const week = metadata[META.week];
  const partial = metadata[META.partial];
  if (!sessionId || !snapshotId || !startedAt || !ISO_UTC.test(startedAt) || !day || !week || (partial !== 'true' && partial !== 'false')) return undefined;
  const started = new Date(startedAt);
  if (Number.isNaN(started.getTime())) return undefined;
  return { sessionId, snapshotId, startedAt: started, partial: partial === 'true', day, week };
}

const isNotFound = (error: unknown): boolean => {
  const name = (error as { name?: string }).name;
  return name === 'NotFound' || name === 'NoSuchKey' || name === 'NoSuchVersion' || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;
};

/** A key in x-amz-copy-source: URL-encoded, slashes kept. */
const copySource = (bucket: string, key: string, versionId?: string): string =>
  `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}${versionId === undefined ? '' : `?versionId=${encodeURIComponent(versionId)}`}`;

export interface S3SnapshotSlotsOptions {
  /** HEADs in flight at once when listing a slot. Default 8. */
  headConcurrency?: number;
  /** How many version metadata entries are kept. Default 10,000. */
  cacheEntries?: number;
}

export class S3SnapshotSlots implements SnapshotSlots {
  private readonly known = new Map<string, SlotVersion['backup'] | null>();
  private readonly headConcurrency: number;
  private readonly cacheEntries: number;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    options: S3SnapshotSlotsOptions = {},
  ) {
    this.headConcurrency = options.headConcurrency ?? 8;
    this.cacheEntries = options.cacheEntries ?? 10_000;
  }

  keyOf(slot: SlotAddress): string {
    return slotKeyOf(slot.slotClass, slot.clientId, slot.host);
  }

  async write(slot: SlotAddress, stagedKey: string, backup: SlotBackup): Promise<WrittenVersion> {
    const key = this.keyOf(slot);
    const metadata = slotMetadata(backup);
    const copied = await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: key,
        CopySource: copySource(this.bucket, stagedKey),
        MetadataDirective: 'REPLACE',
        Metadata: metadata,
        ContentType: 'application/octet-stream',
      }),
    );
    return this.written(key, copied.VersionId, copied.CopyObjectResult?.LastModified, backupOfMetadata(metadata));
  }

  async rewrite(slot: SlotAddress, versionId: string): Promise<WrittenVersion> {
    const key = this.keyOf(slot);
    const backup = await this.backupOf(key, versionId);
    const copied = await this.s3.send(
      new CopyObjectCommand({ Bucket: this.bucket, Key: key, CopySource: copySource(this.bucket, key, versionId), MetadataDirective: 'COPY' }),
    );
    // COPY keeps the metadata: the copy holds what the source held.
    return this.written(key, copied.VersionId, copied.CopyObjectResult?.LastModified, backup ?? undefined);
  }

  async list(slot: SlotAddress): Promise<SlotVersion[]> {
    const key = this.keyOf(slot);
    const listed: Array<Omit<SlotVersion, 'backup'>> = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    do {
      const page = await this.s3.send(
        new ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: key, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
      );
      for (const version of page.Versions ?? []) {
        // The prefix also matches longer keys (host `srv1` and `srv10`): keep this key's versions only.
        if (version.Key !== key || !version.VersionId) continue;
        listed.push({ versionId: version.VersionId, writtenAt: version.LastModified ?? new Date(0), size: version.Size ?? 0, latest: version.IsLatest === true });
      }
      const more = page.IsTruncated === true && (page.NextKeyMarker ?? '') <= key;
      keyMarker = more ? page.NextKeyMarker : undefined;
      versionIdMarker = more ? page.NextVersionIdMarker : undefined;
    } while (keyMarker !== undefined);

    const backups = await mapLimited(listed, this.headConcurrency, (version) => this.backupOf(key, version.versionId));
    const versions: SlotVersion[] = [];
    listed.forEach((version, index) => {
      const backup = backups[index];
      if (backup === null) return; // gone between the listing and the HEAD (a lifecycle pass)
      versions.push(backup === undefined ? version : { ...version, backup });
    });
    // As S3 lists them: newest first (LastModified has only whole seconds on S3, so it cannot order them).
    return versions;
  }

  async delete(slot: SlotAddress, versionId: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(slot), VersionId: versionId }));
  }

  private written(key: string, versionId: string | undefined, writtenAt: Date | undefined, backup: SlotVersion['backup']): WrittenVersion {
    if (!versionId) throw new Error(`the backup bucket ${this.bucket} is not versioned: a slot version got no version id`);
    this.remember(key, versionId, backup);
    return { versionId, writtenAt: writtenAt ?? new Date(0), ...(backup === undefined ? {} : { backup }) };
  }

  /** The version's backup; undefined when its metadata is not ours; null when the version is gone. */
  private async backupOf(key: string, versionId: string): Promise<SlotVersion['backup'] | null> {
    const cacheKey = `${key}\n${versionId}`;
    if (this.known.has(cacheKey)) return this.known.get(cacheKey) ?? undefined;
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key, VersionId: versionId }));
      const backup = backupOfMetadata(head.Metadata);
      this.remember(key, versionId, backup);
      return backup;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  private remember(key: string, versionId: string, backup: SlotVersion['backup']): void {
    if (this.known.size >= this.cacheEntries) this.known.delete(this.known.keys().next().value!);
    this.known.set(`${key}\n${versionId}`, backup ?? null);
  }
}

async function mapLimited<T, R>(items: readonly T[], limit: number, map: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await map(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
