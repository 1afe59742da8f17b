import { z } from 'zod';
import { HostNameSchema, IsoInstantSchema, UlidSchema } from './common';
import { singleLine } from './text';

/**
 * The backup API between vigie-agent and the control plane (docs/repository-format.md for the objects themselves).
 * The agent imports these schemas too: one source of types on both sides of the wire.
 */

/** A content address: the SHA-256 of the object's bytes, lowercase hex (pack ids, index ids, key ids, manifest digests). */
export const ObjectIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex (64 characters)');

/** Packs are ~16 MiB; nothing the agent uploads is above 64 MiB (a single PUT, no multipart). */
export const MAX_OBJECT_BYTES = 64 * 1024 * 1024;

/**
 * Where a backup goes: `scheduled` backups of the host's configured folders become a new version of its daily and
 * weekly slots; `adhoc` backups (other paths, or asked so) go to the adhoc slot and never displace a daily or weekly
 * restore point.
 */
export const BackupKindSchema = z.enum(['scheduled', 'adhoc']);
export type BackupKind = z.infer<typeof BackupKindSchema>;

/** The three slot classes of a host; each version of a slot is one restore point. */
export const SlotClassSchema = z.enum(['daily', 'weekly', 'adhoc']);
export type SlotClass = z.infer<typeof SlotClassSchema>;

/**
 * Body of `POST /v1/clients/{clientId}/hosts/{host}/backups`: a backup starts, now. The server's clock says when (the
 * Paris day a backup counts for is the day it started): a client's clock cannot move a backup to another day.
 */
export const BackupStartSchema = z.strictObject({
  kind: BackupKindSchema,
  /** The paths backed up, in the manifest's portable form (`C:/Data`, `/srv/data`). */
  paths: z.array(singleLine(4096)).min(1).max(100),
});
export type BackupStart = z.infer<typeof BackupStartSchema>;

export const ObjectKindSchema = z.enum(['pack', 'index', 'manifest']);
export type ObjectKind = z.infer<typeof ObjectKindSchema>;

/** One object the agent is about to upload: what it is, its SHA-256 and its exact size. */
export const UploadIntentSchema = z.strictObject({
  kind: ObjectKindSchema,
  id: ObjectIdSchema,
  size: z.int().min(1).max(MAX_OBJECT_BYTES),
});
export type UploadIntent = z.infer<typeof UploadIntentSchema>;

/** Body of `POST …/backups/{sessionId}/uploads`: up to 100 objects at a time; each id once. */
export const UploadRequestSchema = z
  .strictObject({ objects: z.array(UploadIntentSchema).min(1).max(100) })
  .superRefine((request, context) => {
    const seen = new Set<string>();
    request.objects.forEach((object, index) => {
      const key = `${object.kind}:${object.id}`;
      if (seen.has(key)) context.addIssue({ code: 'custom', path: ['objects', index, 'id'], message: 'listed twice' });
      seen.add(key);
    });
  });
export type UploadRequest = z.infer<typeof UploadRequestSchema>;

/** A presigned PUT: send exactly these headers, this body length and these bytes, before `expiresAt`. */
export const PresignedPutSchema = z.object({
  kind: z.enum([...ObjectKindSchema.options, 'key']),
  id: ObjectIdSchema,
  url: z.url(),
  headers: z.record(z.string(), z.string()),
  expiresAt: IsoInstantSchema,
});
export type PresignedPut = z.infer<typeof PresignedPutSchema>;

/** Answer of `…/uploads`: what the repository already holds (nothing to send) and where to send the rest. */
export const UploadAnswerSchema = z.object({
  existing: z.array(z.object({ kind: ObjectKindSchema, id: ObjectIdSchema })),
  uploads: z.array(PresignedPutSchema),
});
export type UploadAnswer = z.infer<typeof UploadAnswerSchema>;

/** What the agent counted: the server cannot read the manifest, so it records these as told. */
export const BackupFiguresSchema = z.strictObject({
  files: z.int().min(0).max(1e12),
  directories: z.int().min(0).max(1e12),
  newFiles: z.int().min(0).max(1e12),
  changedFiles: z.int().min(0).max(1e12),
  unchangedFiles: z.int().min(0).max(1e12),
  /** Bytes of the files read or skipped as unchanged: the size of what the snapshot holds. */
  sourceBytes: z.int().min(0).max(1e18),
  /** Bytes of new blobs after compression and encryption, i.e. what this backup added to the repository. */
  addedBytes: z.int().min(0).max(1e18),
  /** Bytes sent to S3 (packs, indexes, the manifest). */
  uploadedBytes: z.int().min(0).max(1e18),
  /** Files that changed, vanished or could not be read while backing up (named in the manifest): the snapshot is partial. */
  problems: z.int().min(0).max(1e12),
  durationMs: z.int().min(0).max(1e11),
});
export type BackupFigures = z.infer<typeof BackupFiguresSchema>;

/** Body of `POST …/backups/{sessionId}/commit`: the staged manifest (its digest and size) and the figures. */
export const BackupCommitSchema = z.strictObject({
  manifest: z.strictObject({ id: ObjectIdSchema, size: z.int().min(1).max(MAX_OBJECT_BYTES) }),
  figures: BackupFiguresSchema,
});
export type BackupCommit = z.infer<typeof BackupCommitSchema>;

/** Body of `POST …/backups/{sessionId}/fail`: why the agent gave up (recorded as a failed backup). */
export const BackupFailureSchema = z.strictObject({
  reason: singleLine(1000),
  figures: BackupFiguresSchema.partial().optional(),
});
export type BackupFailure = z.infer<typeof BackupFailureSchema>;

export const BackupOutcomeSchema = z.enum(['running', 'committed', 'partial', 'superseded', 'failed']);
export type BackupOutcome = z.infer<typeof BackupOutcomeSchema>;

/** A restore point as the API shows it: one version of one of the host's slots. */
export const RestorePointSchema = z.object({
  class: SlotClassSchema,
  versionId: z.string(),
  snapshotId: z.string(),
  startedAt: IsoInstantSchema,
  /** The Paris day (daily, adhoc) or ISO week (weekly) it stands for. */
  day: z.string(),
  week: z.string(),
  partial: z.boolean(),
  size: z.int().min(0),
  /** When it was written into the slot (the commit). */
  committedAt: IsoInstantSchema,
  latest: z.boolean(),
});
export type RestorePoint = z.infer<typeof RestorePointSchema>;

/** A backup as recorded: one per session, from start to outcome (the history the extranet and the watchdogs read). */
export const BackupRecordSchema = z.object({
  sessionId: UlidSchema,
  clientId: z.string(),
  host: HostNameSchema,
  agentId: UlidSchema,
  kind: BackupKindSchema,
  paths: z.array(z.string()),
  startedAt: IsoInstantSchema,
  createdAt: IsoInstantSchema,
  outcome: BackupOutcomeSchema,
  endedAt: IsoInstantSchema.optional(),
  snapshotId: z.string().optional(),
  manifest: z.object({ id: ObjectIdSchema, size: z.int() }).optional(),
  figures: BackupFiguresSchema.partial().optional(),
  /** Where the commit put it: the slot versions written (none when superseded). */
  restorePoints: z.array(z.object({ class: SlotClassSchema, versionId: z.string() })).optional(),
  failure: z.string().optional(),
  /** Optimistic concurrency: 1 at start, +1 on every change. */
  version: z.int().positive(),
});
export type BackupRecord = z.infer<typeof BackupRecordSchema>;

/** Body of `POST /v1/clients/{clientId}/repository/packs/download`: the packs a restore or a check reads. */
export const PackDownloadRequestSchema = z.strictObject({ packIds: z.array(ObjectIdSchema).min(1).max(100) });

export const PresignedGetSchema = z.object({ id: z.string(), url: z.url(), size: z.int().min(0), expiresAt: IsoInstantSchema });
export type PresignedGet = z.infer<typeof PresignedGetSchema>;

/** Body of `POST /v1/clients/{clientId}/repository/keys`: a new wrapped copy of the client's master key to store. */
export const KeyUploadRequestSchema = z.strictObject({ id: ObjectIdSchema, size: z.int().min(1).max(64 * 1024) });

/** Query of the repository listings: a page of ids after `after`, in id order. */
export const RepositoryPageQuerySchema = z.strictObject({
  limit: z
    .string()
    .regex(/^\d{1,4}$/, 'a whole number from 1 to 1000, digits only')
    .transform(Number)
    .pipe(z.int().min(1).max(1000))
    .default(1000),
  after: ObjectIdSchema.optional(),
});

export const RepositoryKindSchema = z.enum(['packs', 'indexes', 'keys']);

/** An S3 version id as S3 writes them (opaque; letters, digits and `+/=._-`). */
export const VersionIdSchema = z.string().regex(/^[A-Za-z0-9+/=._-]{1,1024}$/, 'a version id of a restore point');
