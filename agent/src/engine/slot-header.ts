import { z } from 'zod';
import { CorruptDataError, UnsupportedFormatError } from './errors';

/**
 * The plaintext header of a snapshot object (docs/repository-format.md §snapshots): what the control plane reads of a
 * restore point without any key. No Node-only import: the server imports this module too.
 *
 *   magic "VGSN" (4 bytes) ‖ container version (u8 = 1) ‖ JSON length (u32 LE) ‖ JSON (UTF-8)
 *
 * followed, in the object, by the sealed manifest, whose additional data covers these bytes (a tampered header fails
 * the restore).
 */

export const SLOT_MAGIC = Uint8Array.from([0x56, 0x47, 0x53, 0x4e]); // "VGSN"
export const SLOT_CONTAINER_VERSION = 1;
export const SNAPSHOT_FORMAT_VERSION = 1;
/** magic + version + JSON length: read these first to learn how long the header is. */
export const SLOT_PREFIX_BYTES = 9;
/** Headers stay well below the API's 64 MiB object limit (60,000 packs take ~6 MB). */
export const MAX_SLOT_HEADER_JSON = 32 * 1024 * 1024;
/** A first ranged read of this size holds the whole header of any snapshot below ~600 packs (~10 GB of new data). */
export const SLOT_HEADER_FIRST_READ = 64 * 1024;

const HexId = z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 in lowercase hex');

export const SlotHeaderSchema = z.strictObject({
  formatVersion: z.literal(SNAPSHOT_FORMAT_VERSION),
  snapshotId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/),
  clientId: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
  host: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/),
  /** `scheduled` (daily + weekly slots) or `adhoc`: one staged object is copied into both a daily and a weekly slot. */
  kind: z.enum(['scheduled', 'adhoc']),
  startedAt: z.iso.datetime({ offset: true }),
  finishedAt: z.iso.datetime({ offset: true }),
  partial: z.boolean(),
  /** The fingerprint of the master key that sealed the manifest (16 bytes, hex). */
  keyFingerprint: z.string().regex(/^[0-9a-f]{32}$/),
  /** Every pack the snapshot's blobs lie in, each once, with its size in bytes. */
  packs: z
    .array(z.strictObject({ id: HexId, size: z.int().min(1).max(0xffff_ffff) }))
    .max(2_000_000)
    .refine((packs) => new Set(packs.map((pack) => pack.id)).size === packs.length, 'a pack listed twice'),
  figures: z.strictObject({
    files: z.int().min(0),
    sourceBytes: z.int().min(0),
    addedBytes: z.int().min(0),
  }),
});
export type SlotHeader = z.infer<typeof SlotHeaderSchema>;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The header's bytes: prefix then JSON. */
export function encodeSlotHeader(header: SlotHeader): Uint8Array {
  const json = encoder.encode(JSON.stringify(SlotHeaderSchema.parse(header)));
  const bytes = new Uint8Array(SLOT_PREFIX_BYTES + json.length);
  bytes.set(SLOT_MAGIC, 0);
  bytes[4] = SLOT_CONTAINER_VERSION;
  new DataView(bytes.buffer).setUint32(5, json.length, true);
  bytes.set(json, SLOT_PREFIX_BYTES);
  return bytes;
}

/**
 * The header's total length in bytes (prefix included), from at least the first 9 bytes of the object.
 * Not a snapshot object, or a container version this code does not know: UnsupportedFormatError.
 */
export function slotHeaderLength(prefix: Uint8Array, object = 'snapshot'): number {
  if (prefix.length < SLOT_PREFIX_BYTES) {
    throw new CorruptDataError(object, `${prefix.length} bytes is shorter than a snapshot header`);
  }
  for (let index = 0; index < SLOT_MAGIC.length; index++) {
    if (prefix[index] !== SLOT_MAGIC[index]) throw new UnsupportedFormatError(object, 'not a snapshot object (magic)');
  }
  if (prefix[4] !== SLOT_CONTAINER_VERSION) {
    throw new UnsupportedFormatError(object, `snapshot container version ${prefix[4]}`);
  }
  const jsonLength = new DataView(prefix.buffer, prefix.byteOffset, prefix.length).getUint32(5, true);
  if (jsonLength > MAX_SLOT_HEADER_JSON) throw new CorruptDataError(object, `header of ${jsonLength} bytes`);
  return SLOT_PREFIX_BYTES + jsonLength;
}

/**
 * The header at the start of `bytes` (the whole object, or at least its first `slotHeaderLength` bytes) and its
 * length. The header is only plaintext: a reader without keys trusts it as far as it trusts the writer (the server
 * checks the packs it lists exist; the agent authenticates it when it opens the manifest).
 */
export function decodeSlotHeader(bytes: Uint8Array, object = 'snapshot'): { header: SlotHeader; length: number } {
  const length = slotHeaderLength(bytes, object);
  if (bytes.length < length) throw new CorruptDataError(object, `header needs ${length} bytes, ${bytes.length} given`);
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(bytes.subarray(SLOT_PREFIX_BYTES, length)));
  } catch (error) {
    throw new CorruptDataError(object, 'header is not JSON in UTF-8', { cause: error });
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== SNAPSHOT_FORMAT_VERSION) {
    throw new UnsupportedFormatError(object, `snapshot format version ${version}`);
  }
  const parsed = SlotHeaderSchema.safeParse(json);
  if (!parsed.success) {
    throw new CorruptDataError(object, `header does not match the format: ${parsed.error.issues[0]?.message}`, {
      cause: parsed.error,
    });
  }
  return { header: parsed.data, length };
}

/**
 * Reads only the header of a stored snapshot through ranged reads (`read(start, end)` returns bytes [start, end),
 * fewer at the end of the object): one read of 64 KiB, a second one only for a larger header.
 */
export async function readSlotHeader(
  read: (start: number, end: number) => Promise<Uint8Array>,
  object = 'snapshot',
): Promise<{ header: SlotHeader; length: number }> {
  const first = await read(0, SLOT_HEADER_FIRST_READ);
  const length = slotHeaderLength(first, object);
  if (first.length >= length) return decodeSlotHeader(first, object);
  const rest = await read(first.length, length);
  const whole = new Uint8Array(first.length + rest.length);
  whole.set(first, 0);
  whole.set(rest, first.length);
  return decodeSlotHeader(whole, object);
}
