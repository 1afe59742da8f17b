/**
 * Memory and speed of the in-memory index (agent/src/engine/index.ts) for N blobs (default 1,000,000), against a
 * Map of hex ids to location objects. Run by hand with a visible GC:
 * `node --expose-gc --import tsx bench/engine/blob-index.bench.ts [N]`.
 */
import { randomBytes } from 'node:crypto';
import { BlobIndex } from '../../agent/src/engine/blob-index';
import type { PackEntry } from '../../agent/src/engine/pack';

const count = Number(process.argv[2] ?? 1_000_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx');

const measure = () => {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
};

const ids = randomBytes(count * 32);
const packOf = (number: number) => randomBytes(32).toString('hex') + String(number).slice(0, 0);
const perPack = 16;

const before = measure();
const index = new BlobIndex();
let started = performance.now();
for (let first = 0; first < count; first += perPack) {
  const blobs: PackEntry[] = [];
  for (let number = first; number < Math.min(count, first + perPack); number++) {
    blobs.push({ type: 'data', id: ids.toString('hex', number * 32, number * 32 + 32), offset: (number - first) * 1_048_604, length: 1_048_604, rawLength: 0 });
  }
  index.addPack(packOf(first), 16_800_000, blobs);
}
const built = performance.now() - started;
const indexBytes = measure() - before;

started = performance.now();
let found = 0;
for (let number = 0; number < count; number++) if (index.has(ids.subarray(number * 32, number * 32 + 32))) found++;
const lookups = performance.now() - started;
started = performance.now();
for (let number = 0; number < count; number += 1) index.has(ids.toString('hex', number * 32, number * 32 + 32));
const hexLookups = performance.now() - started;
if (found !== count) throw new Error('lookup failed');

console.log(`BlobIndex, ${count.toLocaleString('en')} blobs in ${Math.ceil(count / perPack).toLocaleString('en')} packs`);
console.log(`  memory          ${(indexBytes / 1e6).toFixed(1)} MB (${(indexBytes / count).toFixed(1)} B/blob; typed arrays ${(index.memoryBytes() / count).toFixed(1)} B/blob)`);
console.log(`  build           ${(built / 1000).toFixed(2)} s (${((count / built) * 1000 / 1e6).toFixed(2)} M blobs/s, hex ids in)`);
console.log(`  has(bytes)      ${((count / lookups) * 1000 / 1e6).toFixed(2)} M lookups/s`);
console.log(`  has(hex)        ${((count / hexLookups) * 1000 / 1e6).toFixed(2)} M lookups/s`);

const mapBefore = measure();
const map = new Map<string, { packId: string; offset: number; length: number; rawLength: number; type: string }>();
for (let number = 0; number < count; number++) {
  map.set(ids.toString('hex', number * 32, number * 32 + 32), { packId: packOf(number - (number % perPack)), offset: number, length: 1_048_604, rawLength: 0, type: 'data' });
}
const mapBytes = measure() - mapBefore;
console.log(`Map<hex, object> baseline: ${(mapBytes / 1e6).toFixed(1)} MB (${(mapBytes / count).toFixed(1)} B/blob), ${map.size} entries`);
