/**
 * Throughput of the engine's hot primitives on this machine, one core: HMAC-SHA-256 (blob ids), SHA-256 (pack ids),
 * AES-256-GCM seal/open, zstd level 1 compress/decompress, whole blob encode/decode and pack building.
 * Run by hand: `npx tsx bench/engine/primitives.bench.ts [--wasm]` (Node 20: WebAssembly zstd; Node 22: built-in,
 * or the WebAssembly fallback with --wasm). Data: 64 MiB of office-like text and 64 MiB of random bytes, in 1 MiB chunks.
 */
import { blobIdBytes, decodeBlob, encodeBlob } from '../../agent/src/engine/blob';
import { loadZstd } from '../../agent/src/engine/compression';
import { hmacSha256, open, seal, sha256 } from '../../agent/src/engine/crypto';
import { deriveKeys, generateMasterKey } from '../../agent/src/engine/keys';
import { PackBuilder } from '../../agent/src/engine/pack';
import { incompressibleData, officeLikeData } from './data';
import { report, time } from './measure';

const CHUNK = 1024 * 1024;
const TOTAL = 64 * CHUNK;
const keys = deriveKeys(generateMasterKey());
const zstd = await loadZstd({ prefer: process.argv.includes('--wasm') ? 'wasm' : 'builtin' });
console.log(`Node ${process.version}, zstd backend: ${zstd.backend}`);

const office = officeLikeData(TOTAL);
const random = incompressibleData(TOTAL);
const chunksOf = (data: Buffer) => Array.from({ length: data.length / CHUNK }, (_, index) => data.subarray(index * CHUNK, (index + 1) * CHUNK));
const sets = [
  ['office', chunksOf(office)],
  ['random', chunksOf(random)],
] as const;
const aad = Buffer.alloc(32, 1);

report('HMAC-SHA-256 (blob id)', TOTAL, await time(5, () => chunksOf(random).forEach((chunk) => hmacSha256(keys.idKey, chunk))));
report('SHA-256 (pack id)', TOTAL, await time(5, () => chunksOf(random).forEach((chunk) => sha256(chunk))));
const sealed = chunksOf(random).map((chunk) => seal(keys.dataKey, chunk, aad));
report('AES-256-GCM seal', TOTAL, await time(5, () => chunksOf(random).forEach((chunk) => seal(keys.dataKey, chunk, aad))));
report('AES-256-GCM open', TOTAL, await time(5, () => sealed.forEach((bytes) => open(keys.dataKey, bytes, aad, 'bench'))));

for (const [name, chunks] of sets) {
  let compressed = 0;
  const frames = chunks.map((chunk) => zstd.compress(chunk));
  for (const frame of frames) compressed += frame.length;
  report(`zstd-1 compress, ${name}`, TOTAL, await time(3, () => chunks.forEach((chunk) => zstd.compress(chunk))), `ratio ${(compressed / TOTAL).toFixed(3)}`);
  report(`zstd-1 decompress, ${name}`, TOTAL, await time(3, () => frames.forEach((frame) => zstd.decompress(frame, CHUNK))));
}

for (const [name, chunks] of sets) {
  const blobs = chunks.map((chunk) => encodeBlob(keys, zstd, chunk));
  report(`blob encode (id + zstd when ≥10 % + GCM), ${name}`, TOTAL, await time(3, () => chunks.forEach((chunk) => encodeBlob(keys, zstd, chunk))));
  report(`blob decode (GCM + zstd + HMAC check), ${name}`, TOTAL, await time(3, () => blobs.forEach((blob) => decodeBlob(keys, zstd, blob.bytes, blob))));
  report(
    `pack building (header + SHA-256 over the parts), ${name}`,
    TOTAL,
    await time(3, () => {
      let builder = new PackBuilder(keys);
      for (const blob of blobs) {
        builder.add({ type: 'data', ...blob });
        if (builder.full) {
          builder.finish();
          builder = new PackBuilder(keys);
        }
      }
      if (builder.count > 0) builder.finish();
    }),
  );
  report(
    `pack building + joined into one buffer, ${name}`,
    TOTAL,
    await time(3, () => {
      let builder = new PackBuilder(keys);
      for (const blob of blobs) {
        builder.add({ type: 'data', ...blob });
        if (builder.full) {
          void builder.finish().bytes;
          builder = new PackBuilder(keys);
        }
      }
      if (builder.count > 0) void builder.finish().bytes;
    }),
  );
}
// Dedup check alone: what an unchanged chunk costs (its id), to compare with a full encode.
report('blob id only (unchanged chunk)', TOTAL, await time(5, () => chunksOf(office).forEach((chunk) => blobIdBytes(keys, chunk))));
