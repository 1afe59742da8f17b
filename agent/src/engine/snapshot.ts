import { z } from 'zod';
import { sha256Hex } from './crypto';
import type { Zstd } from './compression';
import { openEnvelope, sealEnvelope } from './envelope';
import { CorruptDataError, InvalidArgumentError, UnsupportedFormatError, WrongKeyError } from './errors';
import type { RepositoryKeys } from './keys';
import { comparePortable, isPortablePath } from './paths';
import {
  SNAPSHOT_FORMAT_VERSION,
  decodeSlotHeader,
  encodeSlotHeader,
  type SlotHeader,
} from './slot-header';

/**
 * Snapshots (docs/repository-format.md §snapshots): the manifest (snapshot metadata and the tree of entries) sealed
 * behind the plaintext slot header. The object is what the agent stages and the commit copies into the host's slots:
 *
 *   object = slot header (slot-header.ts) ‖ sealed envelope (metadata key) of the manifest's JSON
 *   AAD    = "vigie/v1/snapshot" ‖ the slot header's bytes
 */

const SNAPSHOT_AAD_LABEL = Buffer.from('vigie/v1/snapshot', 'utf8');
const HexId = z.string().regex(/^[0-9a-f]{64}$/);
const PortablePathSchema = z.string().refine(isPortablePath, 'a portable path (C:/…, //server/share/…, /…)');
const Instant = z.iso.datetime({ offset: true });

export const WindowsAttributesSchema = z.strictObject({
  readOnly: z.boolean().optional(),
  hidden: z.boolean().optional(),
  system: z.boolean().optional(),
  archive: z.boolean().optional(),
});

const common = {
  path: PortablePathSchema,
  /** Modification time, milliseconds since the epoch (fractions allowed: some file systems keep nanoseconds). */
  mtimeMs: z.number().finite(),
  /** POSIX mode bits (permissions and the file-type bits as stat gives them); Windows hosts store what Node reports. */
  mode: z.int().min(0).max(0xffff_ffff),
  attributes: WindowsAttributesSchema.optional(),
  /** Change detection against the parent snapshot (decimal string: Windows file ids exceed 2^53). */
  inode: z.string().regex(/^[0-9]{1,40}$/).optional(),
  ctimeMs: z.number().finite().optional(),
  uid: z.int().min(0).optional(),
  gid: z.int().min(0).optional(),
};

export const ManifestEntrySchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('file'),
    ...common,
    size: z.int().min(0),
    /** The file's content, in order: concatenating these blobs' plaintexts gives the file. */
    blobs: z.array(HexId),
  }),
  z.strictObject({ type: z.literal('dir'), ...common }),
  z.strictObject({ type: z.literal('symlink'), ...common, target: z.string().min(1).max(32_767) }),
]);
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

export const SnapshotProblemSchema = z.strictObject({
  path: z.string().min(1),
  kind: z.enum(['changed', 'vanished', 'unreadable', 'other']),
  message: z.string().max(2000),
});
export type SnapshotProblem = z.infer<typeof SnapshotProblemSchema>;

export const SnapshotMetaSchema = z.strictObject({
  id: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/),
  clientId: z.string().min(1),
  host: z.string().min(1),
  kind: z.enum(['scheduled', 'adhoc']),
  /** The paths backed up, portable. */
  paths: z.array(PortablePathSchema),
  startedAt: Instant,
  finishedAt: Instant,
  /** True when some files could not be saved as they were (see `problems`). */
  partial: z.boolean(),
  problems: z.array(SnapshotProblemSchema),
  /** The snapshot whose unchanged files this one reused, if any. */
  parent: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/).optional(),
  agentVersion: z.string().max(100).optional(),
});
export type SnapshotMeta = z.infer<typeof SnapshotMetaSchema>;

export const ManifestSchema = z
  .strictObject({
    formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
    snapshot: SnapshotMetaSchema,
    entries: z.array(ManifestEntrySchema),
  })
  .superRefine((manifest, context) => {
    if (manifest.snapshot.problems.length > 0 && !manifest.snapshot.partial) {
      context.addIssue({ code: 'custom', path: ['snapshot', 'partial'], message: 'problems make a snapshot partial' });
    }
    for (let index = 1; index < manifest.entries.length; index++) {
      if (comparePortable(manifest.entries[index - 1]!.path, manifest.entries[index]!.path) >= 0) {
        context.addIssue({ code: 'custom', path: ['entries', index, 'path'], message: 'entries out of order or repeated' });
        return;
      }
    }
  });
export type Manifest = z.infer<typeof ManifestSchema>;

export interface EncodedSnapshot {
  /** SHA-256 of `bytes`, hex: the staged manifest's digest the commit announces. */
  id: string;
  bytes: Buffer;
  header: SlotHeader;
}

/**
 * Seals a manifest behind its plaintext header. Entries are sorted here (comparePortable order). `packs` lists every
 * pack holding a blob of the snapshot, with its size; `figures` are the counts the server records.
 */
export function encodeSnapshot(
  keys: RepositoryKeys,
  zstd: Zstd,
  input: {
    snapshot: SnapshotMeta;
    entries: ManifestEntry[];
    packs: Array<{ id: string; size: number }>;
    figures: SlotHeader['figures'];
  },
): EncodedSnapshot {
  const entries = [...input.entries].sort((a, b) => comparePortable(a.path, b.path));
  const checked = ManifestSchema.safeParse({ formatVersion: SNAPSHOT_FORMAT_VERSION, snapshot: input.snapshot, entries });
  if (!checked.success) {
    throw new InvalidArgumentError(`manifest: ${checked.error.issues[0]?.path.join('.')}: ${checked.error.issues[0]?.message}`, {
      cause: checked.error,
    });
  }
  const manifest = checked.data;
  const header: SlotHeader = {
    formatVersion: SNAPSHOT_FORMAT_VERSION,
    snapshotId: manifest.snapshot.id,
    clientId: manifest.snapshot.clientId,
    host: manifest.snapshot.host,
    kind: manifest.snapshot.kind,
    startedAt: manifest.snapshot.startedAt,
    finishedAt: manifest.snapshot.finishedAt,
    partial: manifest.snapshot.partial,
    keyFingerprint: keys.fingerprint,
    packs: input.packs.map(({ id, size }) => ({ id, size })),
    figures: { ...input.figures },
  };
  let headerBytes: Uint8Array;
  try {
    headerBytes = encodeSlotHeader(header);
  } catch (error) {
    throw new InvalidArgumentError('snapshot header does not match the format', { cause: error });
  }
  const payload = Buffer.from(JSON.stringify(manifest), 'utf8');
  const sealed = sealEnvelope(keys.metadataKey, zstd, payload, Buffer.concat([SNAPSHOT_AAD_LABEL, headerBytes]));
  const bytes = Buffer.concat([headerBytes, sealed]);
  return { id: sha256Hex(bytes), bytes, header };
}

/**
 * Opens a snapshot object: header, then the manifest, authenticated together (a changed byte anywhere fails).
 * With `expectedId` the bytes must hash to it. Sealed under another master key: WrongKeyError.
 */
export function decodeSnapshot(
  keys: RepositoryKeys,
  zstd: Zstd,
  bytes: Uint8Array,
  options: { expectedId?: string; object?: string } = {},
): { header: SlotHeader; manifest: Manifest } {
  const object = options.object ?? `snapshot ${options.expectedId ?? ''}`.trim();
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (options.expectedId !== undefined && sha256Hex(data) !== options.expectedId) {
    throw new CorruptDataError(object, 'bytes do not hash to the snapshot object id');
  }
  const { header, length } = decodeSlotHeader(data, object);
  if (header.keyFingerprint !== keys.fingerprint) {
    throw new WrongKeyError(object, keys.fingerprint, header.keyFingerprint);
  }
  const payload = openEnvelope(
    keys.metadataKey,
    zstd,
    data.subarray(length),
    Buffer.concat([SNAPSHOT_AAD_LABEL, data.subarray(0, length)]),
    object,
  );
  let json: unknown;
  try {
    json = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new CorruptDataError(object, 'manifest is not JSON', { cause: error });
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (version !== SNAPSHOT_FORMAT_VERSION) throw new UnsupportedFormatError(object, `manifest format version ${String(version)}`);
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw new CorruptDataError(object, `manifest does not match the format: ${parsed.error.issues[0]?.message}`, {
      cause: parsed.error,
    });
  }
  const manifest = parsed.data;
  const meta = manifest.snapshot;
  const agrees =
    meta.id === header.snapshotId &&
    meta.clientId === header.clientId &&
    meta.host === header.host &&
    meta.kind === header.kind &&
    meta.startedAt === header.startedAt &&
    meta.finishedAt === header.finishedAt &&
    meta.partial === header.partial;
  if (!agrees) throw new CorruptDataError(object, 'header and manifest disagree');
  return { header, manifest };
}
