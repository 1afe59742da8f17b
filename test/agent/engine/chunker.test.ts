import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Chunker, DEFAULT_CHUNKER_PARAMS, chunkStream, gearValue } from '../../../agent/src/engine/chunker';
import { InvalidArgumentError } from '../../../agent/src/engine/errors';
import { pseudoRandomBytes } from './support';

/**
 * Vectors published with the reference implementation (nlfiedler/fastcdc-rs, src/v2020/mod.rs tests) on its fixture
 * SekienAkashita.jpg (a public-domain print by Toriyama Sekien, 109,466 bytes). Hashes are compared on their low 49
 * bits, the bits the chunker keeps.
 */
const fixture = readFileSync(new URL('./fixtures/SekienAkashita.jpg', import.meta.url));
const LOW_49 = (1n << 49n) - 1n;

function cutsOf(chunker: Chunker, data: Uint8Array): Array<[bigint, number]> {
  const result: Array<[bigint, number]> = [];
  let start = 0;
  while (start < data.length) {
    const end = chunker.cut(data, start, data.length);
    result.push([chunker.lastHash(), end - start]);
    start = end;
  }
  return result;
}

/** The vectors through both loops: JavaScript (`cut`, low 49 bits of the hash) and WebAssembly (the full 64 bits). */
function expectVectors(chunker: Chunker, expected: Array<[bigint, number]>) {
  expect(cutsOf(chunker, fixture)).toEqual(expected.map(([hash, length]) => [hash & LOW_49, length]));
  const kernel = chunker.createKernel();
  const wasm: Array<[bigint, number]> = [];
  for (let start = 0; start < fixture.length; ) {
    const length = Math.min(fixture.length - start, chunker.maxSize);
    kernel.window.set(fixture.subarray(start, start + length), 0);
    const cut = kernel.cut(0, length);
    wasm.push([kernel.lastHash(), cut]);
    start += cut;
  }
  expect(wasm).toEqual(expected);
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return chunks;
}

describe('FastCDC 2020 against the reference vectors', () => {
  it('has the fixture the vectors were made on', () => {
    expect(fixture.length).toBe(109_466);
    expect(createHash('sha256').update(fixture).digest('hex')).toBe(
      'd9e749d9367fc908876749d6502eb212fee88c9a94892fb07da5ef3ba8bc39ed',
    );
  });

  it('builds the reference gear table (MD5 of 64 bytes of i, high 8 bytes)', () => {
    expect(gearValue(0)).toBe(0x3b5d3c7d207e37dcn);
    expect(gearValue(1)).toBe(0x784d68ba91123086n);
    expect(gearValue(128)).toBe(0xc0ce47f889336346n);
    expect(gearValue(255)).toBe(0xaabd2b2a451504e1n);
  });

  it('16 KiB average, normalization 1', () => {
    expectVectors(new Chunker({ minSize: 4096, avgSize: 16384, maxSize: 65535 }), [
      [17968276318003433923n, 21325],
      [8197189939299398838n, 17140],
      [13019990849178155730n, 28084],
      [4509236223063678303n, 18217],
      [2504464741100432583n, 24700],
    ]);
  });

  it('16 KiB average with gear seed 666', () => {
    expectVectors(new Chunker({ minSize: 4096, avgSize: 16384, maxSize: 65535, seed: 666n }), [
      [9312357714466240148n, 10605],
      [226910853333574584n, 55745],
      [12271755243986371352n, 11346],
      [14153975939352546047n, 5883],
      [5890158701071314778n, 11586],
      [8981594897574481255n, 14301],
    ]);
  });

  it('32 KiB and 64 KiB averages', () => {
    expectVectors(new Chunker({ minSize: 8192, avgSize: 32768, maxSize: 131072 }), [
      [15733367461443853673n, 66549],
      [6321136627705800457n, 42917],
    ]);
    expectVectors(new Chunker({ minSize: 16384, avgSize: 65536, maxSize: 262144 }), [[2504464741100432583n, 109466]]);
  });

  it('normalization levels 0 and 3', () => {
    expectVectors(new Chunker({ minSize: 4096, avgSize: 16384, maxSize: 65535, normalization: 0 }), [
      [443122261039895162n, 6634],
      [15733367461443853673n, 59915],
      [10460176299449652894n, 25597],
      [6197802202431009942n, 5237],
      [6321136627705800457n, 12083],
    ]);
    expectVectors(new Chunker({ minSize: 8192, avgSize: 16384, maxSize: 32768, normalization: 3 }), [
      [10718006254707412376n, 17350],
      [13104072099671895560n, 19911],
      [12322483109039221194n, 17426],
      [16009206469796846404n, 17519],
      [2473608525189754172n, 19940],
      [2504464741100432583n, 17320],
    ]);
  });

  it('cuts all-zero data at the maximum size with the reference hash', () => {
    const chunker = new Chunker({ minSize: 64, avgSize: 256, maxSize: 1024 });
    const zeros = new Uint8Array(10240);
    const cuts = cutsOf(chunker, zeros);
    expect(cuts).toHaveLength(10);
    for (const [hash, length] of cuts) {
      expect(length).toBe(1024);
      expect(hash).toBe(14169102344523991076n & LOW_49);
    }
    const kernel = chunker.createKernel();
    kernel.window.set(zeros.subarray(0, 2048), 0);
    expect(kernel.cut(0, 2048)).toBe(1024);
    expect(kernel.lastHash()).toBe(14169102344523991076n);
  });
});

describe('Chunker', () => {
  it('refuses sizes outside the reference bounds or out of order', () => {
    expect(() => new Chunker({ minSize: 63, avgSize: 256, maxSize: 1024 })).toThrow(InvalidArgumentError);
    expect(() => new Chunker({ minSize: 64, avgSize: 255, maxSize: 1024 })).toThrow(InvalidArgumentError);
    expect(() => new Chunker({ minSize: 64, avgSize: 256, maxSize: 16_777_217 })).toThrow(InvalidArgumentError);
    expect(() => new Chunker({ minSize: 4096, avgSize: 2048, maxSize: 65536 })).toThrow(InvalidArgumentError);
    expect(() => new Chunker({ minSize: 64, avgSize: 256, maxSize: 1024, normalization: 4 })).toThrow(InvalidArgumentError);
    expect(() => new Chunker({ minSize: 64, avgSize: 256, maxSize: 1024, seed: 1n << 64n })).toThrow(InvalidArgumentError);
  });

  it('covers every byte once, chunks between min and max (the last may be shorter)', () => {
    const chunker = new Chunker({ minSize: 4096, avgSize: 16384, maxSize: 65535 });
    for (const data of [new Uint8Array(0), new Uint8Array(10), new Uint8Array(50_000), fixture, fixture.subarray(0, 4096)]) {
      const chunks = chunker.chunks(data);
      let next = 0;
      chunks.forEach((chunk, index) => {
        expect(chunk.offset).toBe(next);
        expect(chunk.length).toBeGreaterThan(0);
        expect(chunk.length).toBeLessThanOrEqual(65535);
        if (index < chunks.length - 1) expect(chunk.length).toBeGreaterThan(4096);
        next += chunk.length;
      });
      expect(next).toBe(data.length);
    }
  });

  it('gives chunks near 1 MiB on random data with the repository sizes, and a seed moves the cuts', () => {
    const data = pseudoRandomBytes(24 * 1024 * 1024, 7);
    const plain = new Chunker(DEFAULT_CHUNKER_PARAMS).chunks(data);
    const seeded = new Chunker({ ...DEFAULT_CHUNKER_PARAMS, seed: 0x0123_4567_89ab_cdefn }).chunks(data);
    const average = data.length / plain.length;
    expect(average).toBeGreaterThan(0.7 * 1024 * 1024);
    expect(average).toBeLessThan(1.5 * 1024 * 1024);
    for (const chunk of plain.slice(0, -1)) {
      expect(chunk.length).toBeGreaterThan(256 * 1024);
      expect(chunk.length).toBeLessThanOrEqual(4 * 1024 * 1024);
    }
    const plainCuts = new Set(plain.map((chunk) => chunk.offset));
    const shared = seeded.filter((chunk) => chunk.offset > 0 && plainCuts.has(chunk.offset)).length;
    expect(shared).toBeLessThan(seeded.length / 2);
  });

  it('an insertion changes only the chunks around it (content-defined)', () => {
    const chunker = new Chunker({ minSize: 2048, avgSize: 8192, maxSize: 32768 });
    const original = pseudoRandomBytes(1024 * 1024, 3);
    const edited = Buffer.concat([original.subarray(0, 500_000), Buffer.from('inserted bytes'), original.subarray(500_000)]);
    const digest = (data: Uint8Array) =>
      chunker.chunks(data).map((chunk) => createHash('sha256').update(data.subarray(chunk.offset, chunk.offset + chunk.length)).digest('hex'));
    const before = new Set(digest(original));
    const after = digest(edited);
    const changed = after.filter((hash) => !before.has(hash)).length;
    expect(changed).toBeLessThanOrEqual(3);
  });
});

describe('the two loops', () => {
  it('WebAssembly and JavaScript cut at the same places (property: sizes, seeds, normalization, data)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 2048 }),
        fc.integer({ min: 0, max: 3 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 0, max: 200_000 }),
        (minSize, normalization, seed, dataSeed, length) => {
          const params = { minSize, avgSize: minSize * 4, maxSize: minSize * 16, normalization, seed };
          const data = dataSeed % 3 === 0 ? Buffer.alloc(length, dataSeed & 0xff) : pseudoRandomBytes(length, dataSeed);
          expect(new Chunker({ ...params, engine: 'wasm' }).chunks(data)).toEqual(new Chunker({ ...params, engine: 'js' }).chunks(data));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('agree with the repository sizes on 24 MiB', () => {
    const data = Buffer.concat([pseudoRandomBytes(20 * 1024 * 1024, 21), Buffer.alloc(4 * 1024 * 1024, 7)]);
    const params = { ...DEFAULT_CHUNKER_PARAMS, seed: 0xfedc_ba98_7654_3210n };
    expect(new Chunker({ ...params, engine: 'wasm' }).chunks(data)).toEqual(new Chunker({ ...params, engine: 'js' }).chunks(data));
  });
});

describe.each(['wasm', 'js'] as const)('chunkStream (%s)', (engine) => {
  const small = { minSize: 64, avgSize: 256, maxSize: 1024, engine } as const;

  it('gives the whole-buffer cuts whatever the read sizes (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 20_000 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 20 }),
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        async (data, readSizes, seed) => {
          const chunker = new Chunker({ ...small, seed });
          const pieces: Uint8Array[] = [];
          for (let offset = 0, turn = 0; offset < data.length; turn++) {
            const size = readSizes[turn % readSizes.length]!;
            pieces.push(data.subarray(offset, offset + size));
            offset += size;
          }
          const streamed = await collect(chunkStream(pieces, chunker));
          const whole = chunker.chunks(data).map((chunk) => Buffer.from(data.subarray(chunk.offset, chunk.offset + chunk.length)));
          expect(streamed).toEqual(whole);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives the whole-buffer cuts on data with long runs, where cuts fall at the maximum (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ byte: fc.integer({ min: 0, max: 255 }), run: fc.integer({ min: 1, max: 3000 }) }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.array(fc.integer({ min: 1, max: 1500 }), { minLength: 1, maxLength: 10 }),
        async (runs, readSizes) => {
          const data = Buffer.concat(runs.map(({ byte, run }) => Buffer.alloc(run, byte)));
          const chunker = new Chunker(small);
          const pieces = [];
          for (let offset = 0, turn = 0; offset < data.length; turn++) {
            const size = readSizes[turn % readSizes.length]!;
            pieces.push(data.subarray(offset, offset + size));
            offset += size;
          }
          const streamed = (await collect(chunkStream(pieces, chunker))).map((chunk) => chunk.length);
          expect(streamed).toEqual(chunker.chunks(data).map((chunk) => chunk.length));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('matches whole-buffer chunking with the repository sizes over a 40 MiB file read in odd pieces', async () => {
    const data = Buffer.concat([pseudoRandomBytes(20 * 1024 * 1024, 11), Buffer.alloc(9 * 1024 * 1024), pseudoRandomBytes(11 * 1024 * 1024 + 12345, 12)]);
    const chunker = new Chunker({ ...DEFAULT_CHUNKER_PARAMS, seed: 42n, engine });
    async function* reads() {
      for (let offset = 0, size = 65_537; offset < data.length; offset += size, size = (size * 7) % 3_000_000 + 1) {
        yield data.subarray(offset, offset + size);
      }
    }
    const streamed = await collect(chunkStream(reads(), chunker));
    const whole = chunker.chunks(data);
    expect(streamed.map((chunk) => chunk.length)).toEqual(whole.map((chunk) => chunk.length));
    expect(Buffer.concat(streamed).equals(data)).toBe(true);
  });

  it('runs interleaved streams on one chunker without mixing their windows, and reuses windows after', async () => {
    const chunker = new Chunker(small);
    const files = [pseudoRandomBytes(30_000, 31), pseudoRandomBytes(25_000, 32), Buffer.alloc(9000, 3)];
    const pieces = (data: Buffer) => Array.from({ length: Math.ceil(data.length / 700) }, (_, index) => data.subarray(index * 700, (index + 1) * 700));
    for (let round = 0; round < 3; round++) {
      const streams = files.map((file) => chunkStream(pieces(file), chunker)[Symbol.asyncIterator]());
      const received: Buffer[][] = files.map(() => []);
      let active = streams.length;
      while (active > 0) {
        active = 0;
        for (const [index, stream] of streams.entries()) {
          const next = await stream.next();
          if (!next.done) {
            received[index]!.push(next.value);
            active++;
          }
        }
      }
      files.forEach((file, index) => {
        expect(Buffer.concat(received[index]!).equals(file)).toBe(true);
        expect(received[index]!.map((chunk) => chunk.length)).toEqual(chunker.chunks(file).map((chunk) => chunk.length));
      });
    }
  });

  it('gives its window back when the consumer stops early', async () => {
    const chunker = new Chunker(small);
    const data = pseudoRandomBytes(50_000, 41);
    for (let round = 0; round < 20; round++) {
      for await (const chunk of chunkStream([data], chunker)) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
    }
    const whole = await collect(chunkStream([data], chunker));
    expect(Buffer.concat(whole).equals(data)).toBe(true);
  });

  it('hands out chunks the caller owns (later reads do not change them)', async () => {
    const chunker = new Chunker(small);
    const data = pseudoRandomBytes(10_000, 5);
    const chunks = await collect(chunkStream([data], chunker));
    const copy = Buffer.from(data);
    data.fill(0);
    expect(Buffer.concat(chunks).equals(copy)).toBe(true);
  });
});
