import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeBlob } from '../../../agent/src/engine/blob';
import { loadZstd, type Zstd } from '../../../agent/src/engine/compression';
import { CorruptDataError, InvalidArgumentError } from '../../../agent/src/engine/errors';
import {
  PACK_TRAILER_BYTES,
  PackBuilder,
  PackReader,
  decodePackHeader,
  packHeaderRange,
} from '../../../agent/src/engine/pack';
import { compressibleText, flipped, otherKeys, pseudoRandomBytes, testKeys } from './support';

let zstd: Zstd;
beforeAll(async () => {
  zstd = await loadZstd();
});

function buildPack(plaintexts: Buffer[], targetSize?: number) {
  const builder = new PackBuilder(testKeys, { targetSize });
  for (const [index, plaintext] of plaintexts.entries()) {
    const blob = encodeBlob(testKeys, zstd, plaintext);
    builder.add({ type: index % 3 === 2 ? 'tree' : 'data', id: blob.id, bytes: blob.bytes, rawLength: blob.rawLength });
  }
  return builder.finish();
}

/** Everything a reader checks: id, header, every blob. Throws on the first problem. */
function readAll(bytes: Uint8Array, id?: string) {
  const reader = new PackReader(testKeys, zstd, bytes, id);
  if (id !== undefined && !reader.idMatches()) throw new CorruptDataError(`pack ${id}`, 'id mismatch');
  return reader.entries().map((entry) => reader.read(entry));
}

describe('packs', () => {
  it('round-trip: blobs back to back, header at the tail, id = SHA-256 of the bytes', () => {
    const plaintexts = [compressibleText(300), pseudoRandomBytes(5000, 2), Buffer.from('x'), compressibleText(10)];
    const pack = buildPack(plaintexts);
    expect(pack.id).toBe(createHash('sha256').update(pack.bytes).digest('hex'));
    expect(pack.size).toBe(pack.bytes.length);
    expect(Buffer.concat(pack.parts).equals(pack.bytes)).toBe(true);
    expect(pack.entries.map((entry) => entry.type)).toEqual(['data', 'data', 'tree', 'data']);
    expect(pack.entries[0]!.offset).toBe(0);
    for (let index = 1; index < pack.entries.length; index++) {
      expect(pack.entries[index]!.offset).toBe(pack.entries[index - 1]!.offset + pack.entries[index - 1]!.length);
    }
    const reader = new PackReader(testKeys, zstd, pack.bytes, pack.id);
    expect(reader.idMatches()).toBe(true);
    expect(reader.entries()).toEqual(pack.entries);
    expect(readAll(pack.bytes, pack.id).map((plain) => plain.toString('hex'))).toEqual(plaintexts.map((plain) => plain.toString('hex')));
  });

  it('reads its header from the tail alone (ranged reads)', () => {
    const pack = buildPack([compressibleText(50), pseudoRandomBytes(100)]);
    const range = packHeaderRange(pack.bytes.length, pack.bytes.subarray(-PACK_TRAILER_BYTES));
    expect(range.end).toBe(pack.bytes.length - 4);
    expect(decodePackHeader(testKeys, pack.bytes.subarray(range.start, range.end), pack.bytes.length)).toEqual(pack.entries);
  });

  it('detects a flipped byte anywhere, even without the pack id', () => {
    const pack = buildPack([compressibleText(40), pseudoRandomBytes(60, 4), Buffer.from('court')]);
    for (let position = 0; position < pack.bytes.length; position++) {
      const damaged = flipped(pack.bytes, position);
      expect(() => readAll(damaged), `byte ${position}`).toThrow(CorruptDataError);
      expect(() => readAll(damaged, pack.id)).toThrow(CorruptDataError);
    }
  });

  it('detects truncation, a header of another pack, another key', () => {
    const pack = buildPack([compressibleText(40), pseudoRandomBytes(60, 4)]);
    const other = buildPack([pseudoRandomBytes(100, 5)]);
    expect(() => readAll(pack.bytes.subarray(1))).toThrow(CorruptDataError);
    expect(() => readAll(pack.bytes.subarray(0, pack.bytes.length - 1))).toThrow(CorruptDataError);
    const otherHeaderStart = packHeaderRange(other.bytes.length, other.bytes.subarray(-4)).start;
    const spliced = Buffer.concat([pack.bytes.subarray(0, pack.entries[1]!.offset + pack.entries[1]!.length), other.bytes.subarray(otherHeaderStart)]);
    expect(() => readAll(spliced)).toThrow(CorruptDataError);
    expect(() => new PackReader(otherKeys, zstd, pack.bytes).entries()).toThrow(CorruptDataError);
  });

  it('builder: target size, refusals, single use', () => {
    const builder = new PackBuilder(testKeys, { targetSize: 1000 });
    const first = encodeBlob(testKeys, zstd, pseudoRandomBytes(600, 1));
    builder.add({ type: 'data', ...first });
    expect(builder.full).toBe(false);
    expect(() => builder.add({ type: 'data', ...first })).toThrow(InvalidArgumentError);
    builder.add({ type: 'data', ...encodeBlob(testKeys, zstd, pseudoRandomBytes(600, 2)) });
    expect(builder.full).toBe(true);
    expect(builder.count).toBe(2);
    builder.finish();
    expect(() => builder.finish()).toThrow(InvalidArgumentError);
    expect(() => new PackBuilder(testKeys).finish()).toThrow(InvalidArgumentError);
    expect(() => new PackBuilder(testKeys, { targetSize: 0 })).toThrow(InvalidArgumentError);
  });

  it('16 MiB packs of 1 MiB blobs round-trip', () => {
    const plaintexts = Array.from({ length: 24 }, (_, index) => (index % 4 ? pseudoRandomBytes(1024 * 1024, index + 1) : compressibleText(20_000 + index)));
    const builder = new PackBuilder(testKeys);
    let added = 0;
    for (const plaintext of plaintexts) {
      if (builder.full) break;
      builder.add({ type: 'data', ...encodeBlob(testKeys, zstd, plaintext) });
      added++;
    }
    const pack = builder.finish();
    expect(pack.bytes.length).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(readAll(pack.bytes, pack.id).length).toBe(added);
  });
});
