import { SEAL_OVERHEAD, hmacSha256, open, seal, sameBytes } from './crypto';
import { compressIfWorthIt, DEFAULT_ZSTD_LEVEL, type Zstd } from './compression';
import { CorruptDataError, InvalidArgumentError } from './errors';
import type { RepositoryKeys } from './keys';

/**
 * Blobs: a chunk of a file (`data`) or a piece of metadata (`tree`), addressed by the HMAC-SHA-256 of its plaintext
 * and stored compressed when that saves ≥ 10 %, then sealed with AES-256-GCM under the data key with the 32 id bytes
 * as additional data (docs/repository-format.md §blobs).
 */

export type BlobType = 'data' | 'tree';
export const BLOB_TYPES: readonly BlobType[] = ['data', 'tree'];
export const BLOB_ID_BYTES = 32;
/** No blob is larger than this (chunks stop at 4 MiB; tree blobs are kept below too). */
export const MAX_BLOB_PLAINTEXT = 64 * 1024 * 1024;

export interface EncodedBlob {
  /** HMAC-SHA-256(idKey, plaintext), lowercase hex. */
  id: string;
  /** nonce ‖ ciphertext ‖ tag, as stored in a pack. */
  bytes: Buffer;
  /** The plaintext length when the blob is stored compressed; 0 when stored as it is. */
  rawLength: number;
  /** The plaintext length (what the blob holds, whether compressed or not). */
  plainLength: number;
}

/** The blob id of a plaintext, as 32 bytes. */
export function blobIdBytes(keys: RepositoryKeys, plaintext: Uint8Array): Buffer {
  return hmacSha256(keys.idKey, plaintext);
}

/** The blob id of a plaintext, lowercase hex (dedup asks this before anything is compressed or sealed). */
export function blobId(keys: RepositoryKeys, plaintext: Uint8Array): string {
  return blobIdBytes(keys, plaintext).toString('hex');
}

export function isBlobId(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}

export function encodeBlob(
  keys: RepositoryKeys,
  zstd: Zstd,
  plaintext: Uint8Array,
  options: { level?: number; id?: Uint8Array } = {},
): EncodedBlob {
  if (plaintext.length > MAX_BLOB_PLAINTEXT) {
    throw new InvalidArgumentError(`a blob holds at most ${MAX_BLOB_PLAINTEXT} bytes, not ${plaintext.length}`);
  }
  const id = options.id ?? blobIdBytes(keys, plaintext);
  const frame = compressIfWorthIt(zstd, plaintext, options.level ?? DEFAULT_ZSTD_LEVEL);
  const bytes = seal(keys.dataKey, frame ?? plaintext, id);
  return {
    id: Buffer.from(id).toString('hex'),
    bytes,
    rawLength: frame ? plaintext.length : 0,
    plainLength: plaintext.length,
  };
}

/**
 * The plaintext of a sealed blob, verified twice: the GCM tag (bytes unchanged, right key, right id as additional
 * data) and the HMAC of the plaintext (the id is the content's). `rawLength` is the entry's (0: stored uncompressed).
 */
export function decodeBlob(
  keys: RepositoryKeys,
  zstd: Zstd,
  sealed: Uint8Array,
  expected: { id: string; rawLength: number },
): Buffer {
  const object = `blob ${expected.id}`;
  if (!isBlobId(expected.id)) throw new InvalidArgumentError(`not a blob id: ${JSON.stringify(expected.id)}`);
  const id = Buffer.from(expected.id, 'hex');
  const stored = open(keys.dataKey, sealed, id, object);
  let plaintext = stored;
  if (expected.rawLength > 0) {
    const plain = zstd.decompress(stored, expected.rawLength, object);
    plaintext = Buffer.from(plain.buffer, plain.byteOffset, plain.length);
  }
  if (!sameBytes(blobIdBytes(keys, plaintext), id)) {
    throw new CorruptDataError(object, 'plaintext does not hash to the blob id');
  }
  return plaintext;
}

/** The plaintext length of a stored blob, from its entry. */
export function plainLengthOf(entry: { length: number; rawLength: number }): number {
  return entry.rawLength > 0 ? entry.rawLength : entry.length - SEAL_OVERHEAD;
}
