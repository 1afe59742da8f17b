/**
 * The engine's whole write path on one core, as the archiver will chain it: chunkStream (WebAssembly gear loop) →
 * blob id + compression when it helps + AES-256-GCM → PackBuilder (16 MiB packs, SHA-256), over 256 MiB of office-like
 * text, then 256 MiB of random bytes. Run by hand: `npx tsx bench/engine/pipeline.bench.ts [--wasm]`.
 */
import { encodeBlob } from '../../agent/src/engine/blob';
import { Chunker, DEFAULT_CHUNKER_PARAMS, chunkStream } from '../../agent/src/engine/chunker';
import { loadZstd } from '../../agent/src/engine/compression';
import { deriveKeys, generateMasterKey } from '../../agent/src/engine/keys';
import { PackBuilder } from '../../agent/src/engine/pack';
import { incompressibleData, officeLikeData } from './data';
import { report, time } from './measure';

const TOTAL = 256 * 1024 * 1024;
const keys = deriveKeys(generateMasterKey());
const zstd = await loadZstd({ prefer: process.argv.includes('--wasm') ? 'wasm' : 'builtin' });
const chunker = new Chunker({ ...DEFAULT_CHUNKER_PARAMS, seed: keys.chunkerSeed });
console.log(`Node ${process.version}, zstd backend: ${zstd.backend}`);

for (const [name, data] of [
  ['office-like', officeLikeData(TOTAL)],
  ['random', incompressibleData(TOTAL)],
] as const) {
  let stored = 0;
  const timing = await time(2, async () => {
    stored = 0;
    const reads = function* () {
      for (let offset = 0; offset < data.length; offset += 1024 * 1024) yield data.subarray(offset, offset + 1024 * 1024);
    };
    let builder = new PackBuilder(keys);
    for await (const chunk of chunkStream(reads(), chunker)) {
      const blob = encodeBlob(keys, zstd, chunk);
      if (!builder.has(blob.id)) builder.add({ type: 'data', ...blob });
      if (builder.full) {
        stored += builder.finish().size;
        builder = new PackBuilder(keys);
      }
    }
    if (builder.count > 0) stored += builder.finish().size;
  });
  report(`chunk → blob → pack, ${name}`, TOTAL, timing, `stored ${(stored / TOTAL).toFixed(3)} of the source`);
}
