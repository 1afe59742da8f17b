/**
 * Throughput of the FastCDC chunker (agent/src/engine/chunker.ts) on this machine: whole-buffer `cut` and the
 * streaming `chunkStream`, over random (incompressible) data with the repository's sizes (256 KiB / 1 MiB / 4 MiB).
 * Run by hand: `npx tsx bench/engine/chunker.bench.ts [MiB]`.
 */
import { randomBytes } from 'node:crypto';
import { Chunker, chunkStream, DEFAULT_CHUNKER_PARAMS } from '../../agent/src/engine/chunker';
import { report, time } from './measure';

const mebibytes = Number(process.argv[2] ?? 256);
const data = randomBytes(mebibytes * 1024 * 1024);
const pieces = function* () {
  for (let offset = 0; offset < data.length; offset += 1024 * 1024) yield data.subarray(offset, offset + 1024 * 1024);
};

for (const engine of ['wasm', 'js'] as const) {
  const chunker = new Chunker({ ...DEFAULT_CHUNKER_PARAMS, seed: 0x1234_5678_9abc_def0n, engine });
  const whole = await time(5, () => chunker.chunks(data).length);
  report(`chunker ${engine}, whole buffer`, data.length, whole, `${whole.result as number} chunks`);
  const streamed = await time(5, async () => {
    let count = 0;
    for await (const _chunk of chunkStream(pieces(), chunker)) count++;
    return count;
  });
  report(`chunker ${engine}, stream (1 MiB reads, chunks copied out)`, data.length, streamed);
}
