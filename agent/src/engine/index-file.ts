import { BLOB_ID_BYTES } from './blob';
import { sha256Hex } from './crypto';
import type { Zstd } from './compression';
import { openEnvelope, sealEnvelope } from './envelope';
import { CorruptDataError, InvalidArgumentError, UnsupportedFormatError, WrongKeyError } from './errors';
import type { RepositoryKeys } from './keys';
import { PACK_ENTRY_BYTES, decodeEntry, encodeEntry, type PackEntry } from './pack';

/**
 * Index files (docs/repository-format.md §index): which blobs each pack holds, so that a backup knows what the
 * repository has and a restore where to read, without opening packs. Content-addressed: the id is the SHA-256 of the
 * object's bytes.
 *
 *   object  = "VGIX" ‖ version (u8 = 1) ‖ key fingerprint (16 bytes) ‖ sealed envelope (metadata key)
 *   AAD     = "vigie/v1/index" ‖ the 21 bytes before the envelope
 *   payload = supersededCount (u32 LE) ‖ superseded index ids (32 bytes each)
 *             ‖ packCount (u32 LE) ‖ packCount × (pack id (32) ‖ pack size (u32 LE) ‖ blobCount (u32 LE) ‖ blobCount × entry)
 *   entry   = the pack header's entry (type u8 ‖ id 32 ‖ offset u32 ‖ length u32 ‖ rawLength u32)
 */

export interface IndexedPack {
  /** Pack id, lowercase hex. */
  id: string;
  /** The pack's size in bytes (the commit checks it against the stored object). */
  size: number;
  blobs: PackEntry[];
}

export interface IndexFile {
  /** Index files this one replaces (a compaction lists them; readers may then ignore them). */
  supersedes: string[];
  packs: IndexedPack[];
}

export const INDEX_MAGIC = Buffer.from('VGIX', 'ascii');
export const INDEX_VERSION = 1;
const INDEX_AAD_LABEL = Buffer.from('vigie/v1/index', 'utf8');
const PREFIX_BYTES = 4 + 1 + 16;
const HEX_ID = /^[0-9a-f]{64}$/;

function payloadLength(file: IndexFile): number {
  let length = 4 + file.supersedes.length * BLOB_ID_BYTES + 4;
  for (const pack of file.packs) length += BLOB_ID_BYTES + 8 + pack.blobs.length * PACK_ENTRY_BYTES;
  return length;
}

export function encodeIndexFile(keys: RepositoryKeys, zstd: Zstd, file: IndexFile): { id: string; bytes: Buffer } {
  const payload = Buffer.allocUnsafe(payloadLength(file));
  let at = payload.writeUInt32LE(file.supersedes.length, 0);
  for (const id of file.supersedes) {
    if (!HEX_ID.test(id)) throw new InvalidArgumentError(`not an index id: ${JSON.stringify(id)}`);
    at += payload.write(id, at, BLOB_ID_BYTES, 'hex');
  }
  at = payload.writeUInt32LE(file.packs.length, at);
  for (const pack of file.packs) {
    if (!HEX_ID.test(pack.id)) throw new InvalidArgumentError(`not a pack id: ${JSON.stringify(pack.id)}`);
    at += payload.write(pack.id, at, BLOB_ID_BYTES, 'hex');
    at = payload.writeUInt32LE(pack.size, at);
    at = payload.writeUInt32LE(pack.blobs.length, at);
    for (const blob of pack.blobs) at = encodeEntry(payload, at, blob);
  }
  const prefix = indexPrefix(keys.fingerprint);
  const sealed = sealEnvelope(keys.metadataKey, zstd, payload, Buffer.concat([INDEX_AAD_LABEL, prefix]));
  const bytes = Buffer.concat([prefix, sealed]);
  return { id: sha256Hex(bytes), bytes };
}

function indexPrefix(fingerprint: string): Buffer {
  const prefix = Buffer.alloc(PREFIX_BYTES);
  INDEX_MAGIC.copy(prefix, 0);
  prefix.writeUInt8(INDEX_VERSION, 4);
  prefix.write(fingerprint, 5, 16, 'hex');
  return prefix;
}

/**
 * An index file's content. With `expectedId`, the bytes must hash to it first. A file sealed under another master key
 * is a WrongKeyError (its plaintext fingerprint says so); any other damage a CorruptDataError.
 */
export function decodeIndexFile(
  keys: RepositoryKeys,
  zstd: Zstd,
  bytes: Uint8Array,
  expectedId?: string,
): IndexFile {
  const object = `index ${expectedId ?? ''}`.trim();
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  if (expectedId !== undefined && sha256Hex(data) !== expectedId) {
    throw new CorruptDataError(object, 'bytes do not hash to the index id');
  }
  if (data.length < PREFIX_BYTES || !data.subarray(0, 4).equals(INDEX_MAGIC)) {
    throw new UnsupportedFormatError(object, 'not an index file (magic)');
  }
  const version = data.readUInt8(4);
  if (version !== INDEX_VERSION) throw new UnsupportedFormatError(object, `index format version ${version}`);
  const fingerprint = data.toString('hex', 5, PREFIX_BYTES);
  if (fingerprint !== keys.fingerprint) throw new WrongKeyError(object, keys.fingerprint, fingerprint);
  const prefix = data.subarray(0, PREFIX_BYTES);
  const payload = openEnvelope(
    keys.metadataKey,
    zstd,
    data.subarray(PREFIX_BYTES),
    Buffer.concat([INDEX_AAD_LABEL, prefix]),
    object,
  );
  try {
    return parsePayload(payload, object);
  } catch (error) {
    if (error instanceof CorruptDataError) throw error;
    throw new CorruptDataError(object, 'index payload does not parse', { cause: error });
  }
}

function parsePayload(payload: Buffer, object: string): IndexFile {
  let at = 0;
  const supersededCount = payload.readUInt32LE(at);
  at += 4;
  const supersedes: string[] = [];
  for (let index = 0; index < supersededCount; index++) {
    supersedes.push(payload.toString('hex', at, at + BLOB_ID_BYTES));
    at += BLOB_ID_BYTES;
  }
  const packCount = payload.readUInt32LE(at);
  at += 4;
  const packs: IndexedPack[] = [];
  for (let index = 0; index < packCount; index++) {
    if (at + BLOB_ID_BYTES + 8 > payload.length) throw new CorruptDataError(object, 'index payload truncated');
    const id = payload.toString('hex', at, at + BLOB_ID_BYTES);
    const size = payload.readUInt32LE(at + BLOB_ID_BYTES);
    const blobCount = payload.readUInt32LE(at + BLOB_ID_BYTES + 4);
    at += BLOB_ID_BYTES + 8;
    if (at + blobCount * PACK_ENTRY_BYTES > payload.length) throw new CorruptDataError(object, 'index payload truncated');
    const blobs: PackEntry[] = [];
    for (let blob = 0; blob < blobCount; blob++) {
      const entry = decodeEntry(payload, at, object);
      if (entry.offset + entry.length > size) {
        throw new CorruptDataError(object, `blob ${entry.id} lies beyond the end of pack ${id}`);
      }
      blobs.push(entry);
      at += PACK_ENTRY_BYTES;
    }
    packs.push({ id, size, blobs });
  }
  if (at !== payload.length) throw new CorruptDataError(object, `${payload.length - at} bytes after the last pack`);
  return { supersedes, packs };
}
