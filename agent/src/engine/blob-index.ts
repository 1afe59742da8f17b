import { BLOB_ID_BYTES, type BlobType } from './blob';
import { InvalidArgumentError } from './errors';
import type { IndexFile, IndexedPack } from './index-file';
import type { PackEntry } from './pack';

/**
 * The in-memory index: blob id → (pack, offset, length, rawLength, type), compact enough for ~10 million blobs
 * (10 TiB of 1 MiB chunks). Nothing per entry is a JavaScript object: ids live in blocks of raw bytes, fields in
 * typed arrays, and lookups go through an open-addressing table of entry numbers keyed by the id's first 4 bytes
 * (ids are HMAC outputs, uniformly distributed). About 61 bytes per blob (measured: bench/engine/blob-index.bench.ts),
 * against ~250 for a Map of hex strings to objects.
 *
 * A blob stored in two packs (two hosts uploading the same new chunk at once) is indexed at its first location.
 */

export interface BlobLocation {
  /** Blob id, lowercase hex. */
  id: string;
  type: BlobType;
  packId: string;
  offset: number;
  length: number;
  rawLength: number;
}

const BLOCK_BITS = 14;
const BLOCK_SIZE = 1 << BLOCK_BITS;
const BLOCK_MASK = BLOCK_SIZE - 1;
const TYPES: readonly BlobType[] = ['data', 'tree'];

/** A growable set of 32-byte ids numbered 0, 1, 2… in insertion order, with an open-addressing table. */
class IdTable {
  private blocks: Uint8Array[] = [];
  /** Slot → entry number + 1 (0 = empty). */
  private slots = new Uint32Array(1024);
  private mask = 1023;
  count = 0;

  /** The number of an id (32 bytes at `source[at…]`), or -1. */
  find(source: Uint8Array, at: number): number {
    let slot = this.hashOf(source, at) & this.mask;
    for (;;) {
      const stored = this.slots[slot]!;
      if (stored === 0) return -1;
      if (this.equals(stored - 1, source, at)) return stored - 1;
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds an id not yet present (call `find` first) and returns its number. */
  insert(source: Uint8Array, at: number): number {
    const number = this.count;
    const block = number >>> BLOCK_BITS;
    if (block === this.blocks.length) this.blocks.push(new Uint8Array(BLOCK_SIZE * BLOB_ID_BYTES));
    this.blocks[block]!.set(source.subarray(at, at + BLOB_ID_BYTES), (number & BLOCK_MASK) * BLOB_ID_BYTES);
    this.count++;
    if (this.count * 4 > this.slots.length * 3) this.grow();
    else this.place(number);
    return number;
  }

  /** The id of entry `number`, 32 bytes (a view: copy it to keep it). */
  idOf(number: number): Uint8Array {
    const start = (number & BLOCK_MASK) * BLOB_ID_BYTES;
    return this.blocks[number >>> BLOCK_BITS]!.subarray(start, start + BLOB_ID_BYTES);
  }

  hexOf(number: number): string {
    const id = this.idOf(number);
    return Buffer.from(id.buffer, id.byteOffset, BLOB_ID_BYTES).toString('hex');
  }

  bytes(): number {
    return this.blocks.length * BLOCK_SIZE * BLOB_ID_BYTES + this.slots.byteLength;
  }

  private hashOf(source: Uint8Array, at: number): number {
    return (source[at]! | (source[at + 1]! << 8) | (source[at + 2]! << 16) | (source[at + 3]! << 24)) >>> 0;
  }

  private equals(number: number, source: Uint8Array, at: number): boolean {
    const block = this.blocks[number >>> BLOCK_BITS]!;
    const start = (number & BLOCK_MASK) * BLOB_ID_BYTES;
    for (let index = 0; index < BLOB_ID_BYTES; index++) {
      if (block[start + index] !== source[at + index]) return false;
    }
    return true;
  }

  private place(number: number): void {
    const block = this.blocks[number >>> BLOCK_BITS]!;
    const start = (number & BLOCK_MASK) * BLOB_ID_BYTES;
    let slot = this.hashOf(block, start) & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = number + 1;
  }

  private grow(): void {
    this.slots = new Uint32Array(this.slots.length * 2);
    this.mask = this.slots.length - 1;
    for (let number = 0; number < this.count; number++) this.place(number);
  }
}

/** Grows by blocks, so that growing never copies (nor briefly doubles) what is already stored. */
class U32Column {
  private blocks: Uint32Array[] = [];
  get(index: number): number {
    return this.blocks[index >>> BLOCK_BITS]![index & BLOCK_MASK]!;
  }
  set(index: number, value: number): void {
    const block = index >>> BLOCK_BITS;
    while (block >= this.blocks.length) this.blocks.push(new Uint32Array(BLOCK_SIZE));
    this.blocks[block]![index & BLOCK_MASK] = value;
  }
  bytes(): number {
    return this.blocks.length * BLOCK_SIZE * 4;
  }
}

class U8Column {
  private blocks: Uint8Array[] = [];
  get(index: number): number {
    return this.blocks[index >>> BLOCK_BITS]![index & BLOCK_MASK]!;
  }
  set(index: number, value: number): void {
    const block = index >>> BLOCK_BITS;
    while (block >= this.blocks.length) this.blocks.push(new Uint8Array(BLOCK_SIZE));
    this.blocks[block]![index & BLOCK_MASK] = value;
  }
  bytes(): number {
    return this.blocks.length * BLOCK_SIZE;
  }
}

function idBytes(id: string | Uint8Array): Uint8Array {
  if (typeof id !== 'string') {
    if (id.length !== BLOB_ID_BYTES) throw new InvalidArgumentError(`an id is ${BLOB_ID_BYTES} bytes`);
    return id;
  }
  // Buffer.from stops at the first character that is not hex: 32 bytes back means 64 hex digits.
  const bytes = id.length === 64 ? Buffer.from(id, 'hex') : undefined;
  if (bytes?.length !== BLOB_ID_BYTES || id !== id.toLowerCase()) {
    throw new InvalidArgumentError(`not an id: ${JSON.stringify(id)}`);
  }
  return bytes;
}

export class BlobIndex {
  private readonly blobIds = new IdTable();
  private readonly packIds = new IdTable();
  private readonly packSizes = new U32Column();
  private readonly blobPack = new U32Column();
  private readonly blobOffset = new U32Column();
  private readonly blobLength = new U32Column();
  private readonly blobRawLength = new U32Column();
  private readonly blobType = new U8Column();

  /** Number of blobs indexed. */
  get size(): number {
    return this.blobIds.count;
  }

  get packCount(): number {
    return this.packIds.count;
  }

  /**
   * Indexes a pack's blobs. Returns how many were new (a blob already indexed keeps its first location). A pack
   * added again adds nothing new; its size must agree.
   */
  addPack(packId: string, packSize: number, entries: Iterable<PackEntry>): number {
    const packBytes = idBytes(packId);
    let pack = this.packIds.find(packBytes, 0);
    if (pack < 0) {
      pack = this.packIds.insert(packBytes, 0);
      this.packSizes.set(pack, packSize);
    } else if (this.packSizes.get(pack) !== packSize) {
      throw new InvalidArgumentError(`pack ${packId} indexed with two sizes`);
    }
    let added = 0;
    for (const entry of entries) {
      const id = idBytes(entry.id);
      if (this.blobIds.find(id, 0) >= 0) continue;
      const number = this.blobIds.insert(id, 0);
      this.blobPack.set(number, pack);
      this.blobOffset.set(number, entry.offset);
      this.blobLength.set(number, entry.length);
      this.blobRawLength.set(number, entry.rawLength);
      this.blobType.set(number, entry.type === 'tree' ? 1 : 0);
      added++;
    }
    return added;
  }

  addIndexFile(file: IndexFile): number {
    let added = 0;
    for (const pack of file.packs) added += this.addPack(pack.id, pack.size, pack.blobs);
    return added;
  }

  static fromIndexFiles(files: Iterable<IndexFile>): BlobIndex {
    const index = new BlobIndex();
    for (const file of files) index.addIndexFile(file);
    return index;
  }

  has(id: string | Uint8Array): boolean {
    return this.blobIds.find(idBytes(id), 0) >= 0;
  }

  hasPack(packId: string): boolean {
    return this.packIds.find(idBytes(packId), 0) >= 0;
  }

  packSize(packId: string): number | undefined {
    const pack = this.packIds.find(idBytes(packId), 0);
    return pack < 0 ? undefined : this.packSizes.get(pack);
  }

  lookup(id: string | Uint8Array): BlobLocation | undefined {
    const number = this.blobIds.find(idBytes(id), 0);
    return number < 0 ? undefined : this.location(number);
  }

  /** Adds everything `other` holds that this index lacks. */
  merge(other: BlobIndex): void {
    for (const pack of other.packFiles()) this.addPack(pack.id, pack.size, pack.blobs);
  }

  *packs(): IterableIterator<{ id: string; size: number }> {
    for (let pack = 0; pack < this.packIds.count; pack++) {
      yield { id: this.packIds.hexOf(pack), size: this.packSizes.get(pack) };
    }
  }

  *entries(): IterableIterator<BlobLocation> {
    for (let number = 0; number < this.blobIds.count; number++) yield this.location(number);
  }

  /** A new index without the given packs (packs found missing: their blobs must be uploaded again). */
  withoutPacks(packIds: Iterable<string>): BlobIndex {
    const dropped = new Set(packIds);
    const result = new BlobIndex();
    for (const pack of this.packFiles()) if (!dropped.has(pack.id)) result.addPack(pack.id, pack.size, pack.blobs);
    return result;
  }

  /** Every pack with its indexed blobs (packs whose every blob was indexed elsewhere first have none). */
  packFiles(): IndexedPack[] {
    const packs: IndexedPack[] = [];
    for (let pack = 0; pack < this.packIds.count; pack++) {
      packs.push({ id: this.packIds.hexOf(pack), size: this.packSizes.get(pack), blobs: [] });
    }
    for (let number = 0; number < this.blobIds.count; number++) {
      packs[this.blobPack.get(number)]!.blobs.push({
        type: TYPES[this.blobType.get(number)]!,
        id: this.blobIds.hexOf(number),
        offset: this.blobOffset.get(number),
        length: this.blobLength.get(number),
        rawLength: this.blobRawLength.get(number),
      });
    }
    return packs;
  }

  /** The index as index files of at most `maxBlobsPerFile` blobs each (a pack is never split across two files). */
  toIndexFiles(options: { maxBlobsPerFile?: number; supersedes?: string[] } = {}): IndexFile[] {
    const limit = options.maxBlobsPerFile ?? 50_000;
    const files: IndexFile[] = [];
    let current: IndexFile = { supersedes: options.supersedes ?? [], packs: [] };
    let blobs = 0;
    for (const pack of this.packFiles()) {
      if (blobs > 0 && blobs + pack.blobs.length > limit) {
        files.push(current);
        current = { supersedes: [], packs: [] };
        blobs = 0;
      }
      current.packs.push(pack);
      blobs += pack.blobs.length;
    }
    if (current.packs.length > 0 || current.supersedes.length > 0) files.push(current);
    return files;
  }

  /** Bytes held by the index's typed arrays (what it costs in memory, less a few small objects). */
  memoryBytes(): number {
    return (
      this.blobIds.bytes() +
      this.packIds.bytes() +
      this.packSizes.bytes() +
      this.blobPack.bytes() +
      this.blobOffset.bytes() +
      this.blobLength.bytes() +
      this.blobRawLength.bytes() +
      this.blobType.bytes()
    );
  }

  private location(number: number): BlobLocation {
    return {
      id: this.blobIds.hexOf(number),
      type: TYPES[this.blobType.get(number)]!,
      packId: this.packIds.hexOf(this.blobPack.get(number)),
      offset: this.blobOffset.get(number),
      length: this.blobLength.get(number),
      rawLength: this.blobRawLength.get(number),
    };
  }
}
