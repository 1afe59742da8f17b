import { createHash } from 'node:crypto';
import { BLOB_ID_BYTES, decodeBlob, isBlobId, type BlobType } from './blob';
import { SEAL_OVERHEAD, open, seal, sha256Hex } from './crypto';
import type { Zstd } from './compression';
import { CorruptDataError, InvalidArgumentError, UnsupportedFormatError } from './errors';
import type { RepositoryKeys } from './keys';

/**
 * Packs (docs/repository-format.md §packs): sealed blobs back to back, then the sealed pack header listing them, then
 * the sealed header's length (u32 LE). The pack id is the SHA-256 of the whole pack. The header is sealed under the
 * metadata key with the additional data `vigie/v1/pack-header`; its plaintext is
 *
 *   version (u8 = 1) ‖ count (u32 LE) ‖ count × entry
 *   entry = type (u8: 0 data, 1 tree) ‖ id (32 bytes) ‖ offset (u32 LE) ‖ length (u32 LE) ‖ rawLength (u32 LE)
 *
 * with the entries in pack order, the first at offset 0, each starting where the previous ends, the last ending where
 * the sealed header starts. Readers reject anything else.
 */

export interface PackEntry {
  type: BlobType;
  /** Blob id, lowercase hex. */
  id: string;
  /** Where the sealed blob starts in the pack. */
  offset: number;
  /** Sealed length (nonce ‖ ciphertext ‖ tag). */
  length: number;
  /** Plaintext length when stored compressed, 0 when stored as it is. */
  rawLength: number;
}

export interface FinishedPack {
  /** SHA-256 of the pack's bytes, lowercase hex: the pack's name in the repository. */
  readonly id: string;
  /** The pack's length in bytes. */
  readonly size: number;
  readonly entries: PackEntry[];
  /**
   * The pack's bytes as the pieces it was built from (blobs, sealed header, trailer): an upload can send them one
   * after the other without first copying 16 MiB into one buffer (measured: the copy costs more than the SHA-256).
   */
  readonly parts: readonly Uint8Array[];
  /** The pack's bytes in one buffer, joined on first use. */
  readonly bytes: Buffer;
}

export const PACK_HEADER_VERSION = 1;
export const PACK_HEADER_AAD = Buffer.from('vigie/v1/pack-header', 'utf8');
/** The trailing u32 LE: the length of the sealed header in front of it. */
export const PACK_TRAILER_BYTES = 4;
export const PACK_ENTRY_BYTES = 1 + BLOB_ID_BYTES + 4 + 4 + 4;
/** ~16 MiB: big enough for cheap S3 requests and Intelligent-Tiering, small enough to retry whole. */
export const DEFAULT_PACK_TARGET = 16 * 1024 * 1024;
/** Offsets are u32 and the API refuses objects above 64 MiB. */
export const MAX_PACK_BYTES = 64 * 1024 * 1024;

const TYPE_CODES: Record<BlobType, number> = { data: 0, tree: 1 };
const TYPES_BY_CODE: readonly BlobType[] = ['data', 'tree'];

export function encodeEntry(target: Buffer, at: number, entry: PackEntry): number {
  target.writeUInt8(TYPE_CODES[entry.type], at);
  target.write(entry.id, at + 1, BLOB_ID_BYTES, 'hex');
  target.writeUInt32LE(entry.offset, at + 33);
  target.writeUInt32LE(entry.length, at + 37);
  target.writeUInt32LE(entry.rawLength, at + 41);
  return at + PACK_ENTRY_BYTES;
}

export function decodeEntry(source: Buffer, at: number, object: string): PackEntry {
  const code = source.readUInt8(at);
  const type = TYPES_BY_CODE[code];
  if (!type) throw new CorruptDataError(object, `unknown blob type ${code}`);
  return {
    type,
    id: source.toString('hex', at + 1, at + 33),
    offset: source.readUInt32LE(at + 33),
    length: source.readUInt32LE(at + 37),
    rawLength: source.readUInt32LE(at + 41),
  };
}

/**
 * Gathers sealed blobs into one pack. Add blobs until `full`, then `finish` once: the builder is spent afterwards.
 */
export class PackBuilder {
  private readonly parts: Uint8Array[] = [];
  private readonly list: PackEntry[] = [];
  private readonly ids = new Set<string>();
  private bytes = 0;
  private finished = false;
  readonly targetSize: number;

  constructor(
    private readonly keys: RepositoryKeys,
    options: { targetSize?: number } = {},
  ) {
    this.targetSize = options.targetSize ?? DEFAULT_PACK_TARGET;
    if (!Number.isSafeInteger(this.targetSize) || this.targetSize < 1 || this.targetSize > MAX_PACK_BYTES / 2) {
      throw new InvalidArgumentError(`pack target size must be from 1 to ${MAX_PACK_BYTES / 2} bytes`);
    }
  }

  /** Blob bytes added so far (the pack will be this plus its header). */
  get size(): number {
    return this.bytes;
  }

  get count(): number {
    return this.list.length;
  }

  /** True once the blobs reach the target size: time to finish. */
  get full(): boolean {
    return this.bytes >= this.targetSize;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Appends one sealed blob (as `encodeBlob` made it); a blob id already in this pack is refused. */
  add(blob: { type: BlobType; id: string; bytes: Uint8Array; rawLength: number }): PackEntry {
    if (this.finished) throw new InvalidArgumentError('this pack is finished');
    if (!isBlobId(blob.id)) throw new InvalidArgumentError(`not a blob id: ${JSON.stringify(blob.id)}`);
    if (this.ids.has(blob.id)) throw new InvalidArgumentError(`blob ${blob.id} is already in this pack`);
    if (blob.bytes.length < SEAL_OVERHEAD) throw new InvalidArgumentError('a sealed blob is at least 28 bytes');
    if (this.bytes + blob.bytes.length > MAX_PACK_BYTES - 1024 * 1024) {
      throw new InvalidArgumentError(`a pack holds at most ${MAX_PACK_BYTES} bytes`);
    }
    const entry: PackEntry = {
      type: blob.type,
      id: blob.id,
      offset: this.bytes,
      length: blob.bytes.length,
      rawLength: blob.rawLength,
    };
    this.parts.push(blob.bytes);
    this.list.push(entry);
    this.ids.add(blob.id);
    this.bytes += blob.bytes.length;
    return entry;
  }

  /** The pack's bytes and id, and its entries; an empty pack is refused. */
  finish(): FinishedPack {
    if (this.finished) throw new InvalidArgumentError('this pack is finished');
    if (this.list.length === 0) throw new InvalidArgumentError('a pack holds at least one blob');
    this.finished = true;
    const header = Buffer.allocUnsafe(5 + this.list.length * PACK_ENTRY_BYTES);
    header.writeUInt8(PACK_HEADER_VERSION, 0);
    header.writeUInt32LE(this.list.length, 1);
    let at = 5;
    for (const entry of this.list) at = encodeEntry(header, at, entry);
    const sealedHeader = seal(this.keys.metadataKey, header, PACK_HEADER_AAD);
    const trailer = Buffer.allocUnsafe(PACK_TRAILER_BYTES);
    trailer.writeUInt32LE(sealedHeader.length, 0);
    const parts = [...this.parts, sealedHeader, trailer];
    this.parts.length = 0;
    const hash = createHash('sha256');
    let size = 0;
    for (const part of parts) {
      hash.update(part);
      size += part.length;
    }
    let joined: Buffer | undefined;
    return {
      id: hash.digest('hex'),
      size,
      entries: this.list,
      parts,
      get bytes() {
        joined ??= Buffer.concat(parts, size);
        return joined;
      },
    };
  }
}

/**
 * Where the sealed header lies, from the pack's size and its last 4 bytes (a reader holding only the tail of a pack,
 * from a ranged GET, asks this before fetching the header).
 */
export function packHeaderRange(packSize: number, trailer: Uint8Array, object = 'pack'): { start: number; end: number } {
  if (trailer.length < PACK_TRAILER_BYTES) throw new InvalidArgumentError('give the last 4 bytes of the pack');
  const last4 = Buffer.from(trailer.buffer, trailer.byteOffset + trailer.length - 4, 4);
  const headerLength = last4.readUInt32LE(0);
  const end = packSize - PACK_TRAILER_BYTES;
  const minimum = SEAL_OVERHEAD + 5 + PACK_ENTRY_BYTES;
  if (headerLength < minimum || headerLength > end) {
    throw new CorruptDataError(object, `header length ${headerLength} impossible in a pack of ${packSize} bytes`);
  }
  return { start: end - headerLength, end };
}

/** The entries of a sealed pack header, checked against the pack's layout (see the module comment). */
export function decodePackHeader(
  keys: RepositoryKeys,
  sealedHeader: Uint8Array,
  packSize: number,
  object = 'pack',
): PackEntry[] {
  const header = open(keys.metadataKey, sealedHeader, PACK_HEADER_AAD, `${object} header`);
  if (header.length < 5) throw new CorruptDataError(object, 'pack header too short');
  const version = header.readUInt8(0);
  if (version !== PACK_HEADER_VERSION) throw new UnsupportedFormatError(object, `pack header version ${version}`);
  const count = header.readUInt32LE(1);
  if (count === 0 || header.length !== 5 + count * PACK_ENTRY_BYTES) {
    throw new CorruptDataError(object, `pack header of ${header.length} bytes cannot hold ${count} entries`);
  }
  const blobsEnd = packSize - PACK_TRAILER_BYTES - sealedHeader.length;
  const entries: PackEntry[] = [];
  let expectedOffset = 0;
  for (let index = 0; index < count; index++) {
    const entry = decodeEntry(header, 5 + index * PACK_ENTRY_BYTES, object);
    if (entry.offset !== expectedOffset || entry.length < SEAL_OVERHEAD) {
      throw new CorruptDataError(object, `entry ${index} is not where the previous blob ends`);
    }
    expectedOffset += entry.length;
    entries.push(entry);
  }
  if (expectedOffset !== blobsEnd) {
    throw new CorruptDataError(object, `blobs end at ${expectedOffset}, the header starts at ${blobsEnd}`);
  }
  return entries;
}

/** A whole pack in memory: its header on demand, its blobs read and verified one at a time. */
export class PackReader {
  private parsed: PackEntry[] | undefined;
  readonly object: string;

  constructor(
    private readonly keys: RepositoryKeys,
    private readonly zstd: Zstd,
    readonly bytes: Uint8Array,
    readonly id?: string,
  ) {
    this.object = id ? `pack ${id}` : 'pack';
  }

  /** True when the bytes hash to the pack id (the first thing `check --read-data` asks). */
  idMatches(): boolean {
    return this.id !== undefined && sha256Hex(this.bytes) === this.id;
  }

  /** The pack's entries, from its header (authenticated, layout checked). */
  entries(): PackEntry[] {
    if (!this.parsed) {
      if (this.bytes.length < PACK_TRAILER_BYTES) throw new CorruptDataError(this.object, 'shorter than a pack');
      const range = packHeaderRange(this.bytes.length, this.bytes.subarray(-PACK_TRAILER_BYTES), this.object);
      this.parsed = decodePackHeader(
        this.keys,
        this.bytes.subarray(range.start, range.end),
        this.bytes.length,
        this.object,
      );
    }
    return this.parsed;
  }

  /** One blob's plaintext, verified (tag and HMAC), for an entry from this pack's header or from an index. */
  read(entry: Pick<PackEntry, 'id' | 'offset' | 'length' | 'rawLength'>): Buffer {
    if (entry.offset + entry.length > this.bytes.length) {
      throw new CorruptDataError(`blob ${entry.id}`, `lies beyond the end of ${this.object}`);
    }
    return decodeBlob(this.keys, this.zstd, this.bytes.subarray(entry.offset, entry.offset + entry.length), entry);
  }
}
