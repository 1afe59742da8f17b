import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../agent/src/engine/errors';
import { BlobIndex } from '../../../agent/src/engine/blob-index';
import type { PackEntry } from '../../../agent/src/engine/pack';
import { pseudoRandomBytes } from './support';

const hex = (seed: number) => pseudoRandomBytes(32, seed).toString('hex');

function entries(seeds: number[]): PackEntry[] {
  let offset = 0;
  return seeds.map((seed, index) => {
    const entry: PackEntry = { type: index % 5 === 4 ? 'tree' : 'data', id: hex(seed), offset, length: 100 + index, rawLength: index % 2 ? 0 : 400 + index };
    offset += entry.length;
    return entry;
  });
}

describe('BlobIndex', () => {
  it('locates blobs by hex or byte id, knows packs and their sizes', () => {
    const index = new BlobIndex();
    const blobs = entries([1, 2, 3]);
    expect(index.addPack(hex(100), 5000, blobs)).toBe(3);
    expect(index.size).toBe(3);
    expect(index.packCount).toBe(1);
    expect(index.has(hex(2))).toBe(true);
    expect(index.has(Buffer.from(hex(2), 'hex'))).toBe(true);
    expect(index.has(hex(4))).toBe(false);
    expect(index.lookup(hex(3))).toEqual({ ...blobs[2], packId: hex(100) });
    expect(index.lookup(hex(4))).toBeUndefined();
    expect(index.hasPack(hex(100))).toBe(true);
    expect(index.packSize(hex(100))).toBe(5000);
    expect(index.packSize(hex(101))).toBeUndefined();
    expect(() => index.has('not-hex')).toThrow(InvalidArgumentError);
  });

  it('keeps the first location of a blob stored twice; a pack re-added must keep its size', () => {
    const index = new BlobIndex();
    index.addPack(hex(100), 5000, entries([1, 2]));
    expect(index.addPack(hex(101), 6000, entries([2, 3]))).toBe(1);
    expect(index.lookup(hex(2))!.packId).toBe(hex(100));
    expect(index.addPack(hex(100), 5000, entries([1, 2]))).toBe(0);
    expect(() => index.addPack(hex(100), 5001, [])).toThrow(InvalidArgumentError);
  });

  it('merges, drops packs, and exports index files that load back the same', () => {
    const a = new BlobIndex();
    a.addPack(hex(100), 5000, entries([1, 2]));
    const b = new BlobIndex();
    b.addPack(hex(101), 6000, entries([3, 4, 5]));
    a.merge(b);
    expect(a.size).toBe(5);
    const without = a.withoutPacks([hex(100)]);
    expect(without.has(hex(1))).toBe(false);
    expect(without.has(hex(3))).toBe(true);
    expect(without.packCount).toBe(1);
    const files = a.toIndexFiles({ maxBlobsPerFile: 2 });
    expect(files).toHaveLength(2);
    const reloaded = BlobIndex.fromIndexFiles(files);
    expect([...reloaded.entries()]).toEqual([...a.entries()]);
    expect([...reloaded.packs()]).toEqual([...a.packs()]);
  });

  it('behaves as a map from id to location (property, with colliding hash prefixes)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 40 })), { maxLength: 30 }),
        (packs) => {
          const index = new BlobIndex();
          const model = new Map<string, { packId: string; offset: number }>();
          const packSizes = new Map<string, number>();
          for (const [packSeed, seeds] of packs) {
            const packId = hex(10_000 + packSeed);
            // Ids that share their first 4 bytes (the hash) exercise probing.
            const blobs = entries([...new Set(seeds)].map((seed) => seed)).map((entry, position) => {
              const id = Buffer.from(entry.id, 'hex');
              if (position % 2) id.writeUInt32LE(0xdeadbeef, 0);
              return { ...entry, id: id.toString('hex') };
            });
            const size = packSizes.get(packId) ?? 1_000_000 + packSeed;
            packSizes.set(packId, size);
            index.addPack(packId, size, blobs);
            for (const blob of blobs) if (!model.has(blob.id)) model.set(blob.id, { packId, offset: blob.offset });
          }
          expect(index.size).toBe(model.size);
          for (const [id, where] of model) expect(index.lookup(id)).toMatchObject(where);
          expect(index.has(hex(999_999))).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('holds 300,000 blobs in under 70 bytes each', () => {
    const index = new BlobIndex();
    const ids = pseudoRandomBytes(300_000 * 32, 77);
    const perPack = 1000;
    for (let pack = 0; pack < 300; pack++) {
      const blobs: PackEntry[] = [];
      for (let blob = 0; blob < perPack; blob++) {
        const number = pack * perPack + blob;
        blobs.push({ type: 'data', id: ids.toString('hex', number * 32, number * 32 + 32), offset: blob * 1000, length: 1000, rawLength: 0 });
      }
      index.addPack(hex(500_000 + pack), perPack * 1000 + 100, blobs);
    }
    expect(index.size).toBe(300_000);
    expect(index.memoryBytes() / index.size).toBeLessThan(70);
    for (let number = 0; number < 300_000; number += 997) {
      expect(index.lookup(ids.subarray(number * 32, number * 32 + 32))!.offset).toBe((number % perPack) * 1000);
    }
  });
});
