import { createHash } from 'node:crypto';
import { InvalidArgumentError } from './errors';
import { createGearKernel, hasWebAssembly, type GearKernel } from './gear-wasm';

/**
 * Content-defined chunking: FastCDC as the 2020 paper gives it (Xia et al., "The Design of Fast Content-Defined
 * Chunking for Data Deduplication Based Storage Systems"): gear hash, cut-point skipping below the minimum size,
 * normalized chunking (a stricter mask before the average size, a looser one after) and "rolling two bytes each
 * time". Cut points equal those of the reference implementation (nlfiedler/fastcdc-rs `v2020`), checked against its
 * published vectors in the tests.
 *
 * Only the low 49 bits of the 64-bit gear hash ever meet a mask (the highest mask bit, shifted for the two-byte
 * step, is bit 48), and a bit of the hash depends only on the bits below it. So the hash is kept as two small
 * integers: its bits 0–16 and its bits 17–48. This is four times faster in V8 than carrying the full 64 bits in two
 * 32-bit halves (whose unsigned carry comparison defeats the JIT), and gives the same cuts.
 */

/** Chunk sizes of the repository format (docs/repository-format.md): 256 KiB / 1 MiB / 4 MiB, normalization level 1. */
export const DEFAULT_CHUNKER_PARAMS = {
  minSize: 256 * 1024,
  avgSize: 1024 * 1024,
  maxSize: 4 * 1024 * 1024,
  normalization: 1,
} as const;

export interface ChunkerParams {
  minSize: number;
  avgSize: number;
  maxSize: number;
  /** 0 to 3: how tightly chunk sizes gather around the average (the reference's default is 1). */
  normalization?: number;
  /**
   * Which loop `chunks` and `chunkStream` run: `wasm` (default, ~3× faster) or `js`. Both cut at the same places;
   * `cut` is always the JavaScript loop, the readable reference.
   */
  engine?: 'wasm' | 'js';
  /**
   * XORed into every gear value (and shifted into the left-shifted table) as the reference's `with_level_and_seed`
   * does. The repository derives it from the master key so that chunk boundaries, and so blob sizes, depend on a
   * secret (docs/repository-format.md §chunking). 0n keeps the published table.
   */
  seed?: bigint;
}

/**
 * The masks of the reference implementation, indexed by the number of bits (6 = 64 B … 24 = 16 MiB): values from the
 * C reference (destor) and restic-FastCDC, with bits spread as the paper recommends. Kept as [high, low] 32-bit halves.
 */
const MASKS: ReadonlyArray<readonly [number, number]> = [
  [0, 0],
  [0, 0],
  [0, 0],
  [0, 0],
  [0, 0],
  [0x00000000, 0x01804110],
  [0x00000000, 0x01803110],
  [0x00000000, 0x18035100],
  [0x00000018, 0x00035300],
  [0x00000190, 0x00353000],
  [0x00005900, 0x03530000],
  [0x0000d900, 0x03530000],
  [0x0000d901, 0x03530000],
  [0x0000d903, 0x03530000],
  [0x0000d903, 0x13530000],
  [0x0000d90f, 0x03530000],
  [0x0000d903, 0x03537000],
  [0x0000d907, 0x03537000],
  [0x0000d907, 0x07537000],
  [0x0000d917, 0x07537000],
  [0x0000d917, 0x47537000],
  [0x0000d917, 0x67537000],
  [0x0000d937, 0x67537000],
  [0x0000d937, 0x77537000],
  [0x0000d937, 0x77577000],
  [0x0000db37, 0x77577000],
];

function mask64(bits: number): bigint {
  const [high, low] = MASKS[bits]!;
  return (BigInt(high) << 32n) | BigInt(low);
}

/** [bits 17–48, bits 0–16] of a 64-bit value, as the chunker keeps its hash. */
function split49(value: bigint): [number, number] {
  return [Number((value >> 17n) & 0xffff_ffffn) | 0, Number(value & 0x1ffffn)];
}

/** Idle windows a chunker keeps (each 2 × maxSize bytes): enough for the streams an archiver runs at once. */
const MAX_IDLE_WINDOWS = 8;

/** One stream's window: `bytes` is 2 × maxSize long; `cut` works in window positions; `release` once done. */
export interface StreamWindow {
  readonly bytes: Uint8Array;
  cut(start: number, end: number): number;
  release(): void;
}

/** Bounds of the reference implementation, so that every accepted configuration has a reference to compare with. */
const LIMITS = {
  minSize: [64, 1_048_576],
  avgSize: [256, 4_194_304],
  maxSize: [1024, 16_777_216],
} as const;

/**
 * The gear table: entry i is the first 8 bytes (big-endian) of MD5(64 bytes of value i), as the C reference builds
 * it. Computed rather than pasted: 256 MD5s at load time cost well under a millisecond.
 */
function gearTable(): { hi: Uint32Array; lo: Uint32Array } {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  for (let value = 0; value < 256; value++) {
    const digest = createHash('md5').update(Buffer.alloc(64, value)).digest();
    hi[value] = digest.readUInt32BE(0);
    lo[value] = digest.readUInt32BE(4);
  }
  return { hi, lo };
}

const GEAR = gearTable();

/** The published gear value i as a 64-bit integer (tests compare it with the reference table). */
export function gearValue(index: number): bigint {
  return (BigInt(GEAR.hi[index]!) << 32n) | BigInt(GEAR.lo[index]!);
}

function checkParams(params: ChunkerParams): Required<ChunkerParams> {
  const normalization = params.normalization ?? 1;
  const seed = params.seed ?? 0n;
  const engine = params.engine ?? (hasWebAssembly() ? 'wasm' : 'js');
  if (engine !== 'wasm' && engine !== 'js') throw new InvalidArgumentError('chunker engine must be wasm or js');
  for (const name of ['minSize', 'avgSize', 'maxSize'] as const) {
    const value = params[name];
    const [low, high] = LIMITS[name];
    if (!Number.isSafeInteger(value) || value < low || value > high) {
      throw new InvalidArgumentError(`chunker ${name} must be an integer from ${low} to ${high}, not ${value}`);
    }
  }
  if (!(params.minSize <= params.avgSize && params.avgSize <= params.maxSize)) {
    throw new InvalidArgumentError('chunker sizes must satisfy minSize ≤ avgSize ≤ maxSize');
  }
  if (![0, 1, 2, 3].includes(normalization)) throw new InvalidArgumentError('chunker normalization must be 0 to 3');
  if (seed < 0n || seed >= 1n << 64n) throw new InvalidArgumentError('chunker seed must be a 64-bit unsigned integer');
  return { ...params, normalization, seed, engine };
}

/**
 * One chunker configuration. `cut` is the whole algorithm; `chunks` and `chunkStream` walk a buffer or a stream with
 * it and give identical boundaries.
 */
export class Chunker {
  readonly minSize: number;
  readonly avgSize: number;
  readonly maxSize: number;
  readonly engine: 'wasm' | 'js';
  /** The gear hash at the last cut, its low 49 bits: bits 0–16 and bits 17–48 (tests compare it with the reference). */
  private lastLow = 0;
  private lastHigh = 0;

  /** Each table split as the hash is: bits 0–16 (`low`) and bits 17–48 (`high`). */
  private readonly gearLow: Int32Array;
  private readonly gearHigh: Int32Array;
  private readonly gearLsLow: Int32Array;
  private readonly gearLsHigh: Int32Array;
  /** Masks split the same way: [high, low] for the small (before the average) and large (after) masks. */
  private readonly masks: {
    small: readonly [number, number];
    large: readonly [number, number];
    smallLs: readonly [number, number];
    largeLs: readonly [number, number];
  };
  private readonly kernelOptions: Parameters<typeof createGearKernel>[0];
  private kernel: GearKernel | undefined;
  /**
   * Windows of finished streams, kept for the next ones: a new WebAssembly instance with its 8 MiB costs ~2.5 ms,
   * which 20,000 small files would pay 20,000 times.
   */
  private readonly idleKernels: GearKernel[] = [];
  private readonly idleWindows: Buffer[] = [];

  constructor(params: ChunkerParams = DEFAULT_CHUNKER_PARAMS) {
    const { minSize, avgSize, maxSize, normalization, seed, engine } = checkParams(params);
    this.minSize = minSize;
    this.avgSize = avgSize;
    this.maxSize = maxSize;
    this.engine = engine;
    const bits = Math.round(Math.log2(avgSize));
    const small = mask64(bits + normalization);
    const large = mask64(bits - normalization);
    this.masks = {
      small: split49(small),
      large: split49(large),
      smallLs: split49(small << 1n),
      largeLs: split49(large << 1n),
    };
    this.gearLow = new Int32Array(256);
    this.gearHigh = new Int32Array(256);
    this.gearLsLow = new Int32Array(256);
    this.gearLsHigh = new Int32Array(256);
    for (let value = 0; value < 256; value++) {
      const gear = gearValue(value) ^ seed;
      const gearLs = ((gearValue(value) << 1n) ^ (seed << 1n)) & 0xffff_ffff_ffff_ffffn;
      [this.gearHigh[value], this.gearLow[value]] = split49(gear);
      [this.gearLsHigh[value], this.gearLsLow[value]] = split49(gearLs);
    }
    this.kernelOptions = {
      gear: Array.from({ length: 256 }, (_, value) => gearValue(value) ^ seed),
      minSize,
      avgSize,
      maxSize,
      maskS: small,
      maskL: large,
    };
  }

  /**
   * A WebAssembly cutter with its own window of 2 × maxSize bytes: one per stream, so that streams sharing this
   * chunker never share a window.
   */
  createKernel(): GearKernel {
    return createGearKernel(this.kernelOptions);
  }

  /** A window for one stream: WebAssembly kernel or JavaScript buffer, reused from a finished stream when possible. */
  acquireWindow(): StreamWindow {
    if (this.engine === 'wasm') {
      const kernel = this.idleKernels.pop() ?? this.createKernel();
      return { bytes: kernel.window, cut: (start, end) => kernel.cut(start, end), release: () => this.keep(this.idleKernels, kernel) };
    }
    const buffer = this.idleWindows.pop() ?? Buffer.allocUnsafe(2 * this.maxSize);
    return { bytes: buffer, cut: (start, end) => this.cut(buffer, start, end), release: () => this.keep(this.idleWindows, buffer) };
  }

  private keep<T>(pool: T[], item: T): void {
    if (pool.length < MAX_IDLE_WINDOWS) pool.push(item);
  }

  /** The low 49 bits of the gear hash at the last cut (0 when the chunk was shorter than the minimum). */
  lastHash(): bigint {
    return (BigInt(this.lastHigh >>> 0) << 17n) | BigInt(this.lastLow);
  }

  /**
   * The end (exclusive, absolute) of the chunk that starts at `start` in `source[start, end)`. Looks at no byte at or
   * beyond `start + maxSize`: a stream can call it as soon as `maxSize` bytes past `start` are buffered (or at the end
   * of the stream) and finds the cut whole-buffer chunking finds.
   */
  cut(source: Uint8Array, start: number, end: number): number {
    let remaining = end - start;
    if (remaining <= this.minSize) {
      this.lastLow = 0;
      this.lastHigh = 0;
      return end;
    }
    let center = this.avgSize;
    if (remaining > this.maxSize) remaining = this.maxSize;
    else if (remaining < center) center = remaining;

    const gearLow = this.gearLow;
    const gearHigh = this.gearHigh;
    const gearLsLow = this.gearLsLow;
    const gearLsHigh = this.gearLsHigh;
    let low = 0;
    let high = 0;
    // Byte positions a = 2·index as in the reference: two bytes per turn, the first through the shifted table (the
    // hash moves by two bits), the second through the plain one; each tested against its own mask.
    let a = start + 2 * (this.minSize >>> 1);
    // Two loops written out rather than one parameterised: V8 keeps the masks in registers this way.
    let limit = start + 2 * (center >>> 1);
    let lsHigh = this.masks.smallLs[0];
    let lsLow = this.masks.smallLs[1];
    let plainHigh = this.masks.small[0];
    let plainLow = this.masks.small[1];
    while (a < limit) {
      let byte = source[a]!;
      low = (low << 2) + gearLsLow[byte]!;
      high = ((high << 2) + gearLsHigh[byte]! + (low >>> 17)) | 0;
      low &= 0x1ffff;
      if ((low & lsLow) === 0 && (high & lsHigh) === 0) return this.cutAt(a, low, high);
      byte = source[a + 1]!;
      low += gearLow[byte]!;
      high = (high + gearHigh[byte]! + (low >>> 17)) | 0;
      low &= 0x1ffff;
      if ((low & plainLow) === 0 && (high & plainHigh) === 0) return this.cutAt(a + 1, low, high);
      a += 2;
    }
    limit = start + 2 * (remaining >>> 1);
    lsHigh = this.masks.largeLs[0];
    lsLow = this.masks.largeLs[1];
    plainHigh = this.masks.large[0];
    plainLow = this.masks.large[1];
    while (a < limit) {
      let byte = source[a]!;
      low = (low << 2) + gearLsLow[byte]!;
      high = ((high << 2) + gearLsHigh[byte]! + (low >>> 17)) | 0;
      low &= 0x1ffff;
      if ((low & lsLow) === 0 && (high & lsHigh) === 0) return this.cutAt(a, low, high);
      byte = source[a + 1]!;
      low += gearLow[byte]!;
      high = (high + gearHigh[byte]! + (low >>> 17)) | 0;
      low &= 0x1ffff;
      if ((low & plainLow) === 0 && (high & plainHigh) === 0) return this.cutAt(a + 1, low, high);
      a += 2;
    }
    return this.cutAt(start + remaining, low, high);
  }

  private cutAt(position: number, low: number, high: number): number {
    this.lastLow = low;
    this.lastHigh = high;
    return position;
  }

  /** The chunks of a whole buffer, as [offset, length] pairs covering it exactly (none for an empty buffer). */
  chunks(source: Uint8Array): Array<{ offset: number; length: number }> {
    const result: Array<{ offset: number; length: number }> = [];
    const kernel = this.engine === 'wasm' ? (this.kernel ??= this.createKernel()) : undefined;
    let start = 0;
    while (start < source.length) {
      let end: number;
      if (kernel) {
        // The cut looks at no more than maxSize bytes: copy those into the kernel's window.
        const length = Math.min(source.length - start, this.maxSize);
        kernel.window.set(source.subarray(start, start + length), 0);
        end = start + kernel.cut(0, length);
      } else {
        end = this.cut(source, start, source.length);
      }
      result.push({ offset: start, length: end - start });
      start = end;
    }
    return result;
  }
}

/**
 * Chunks a stream of any length (a file read piece by piece) with the boundaries `chunker.chunks` finds on the whole
 * content: a cut is searched only once `maxSize` bytes past the chunk's start are buffered, or at the end. Memory:
 * one window of twice the maximum chunk size (reused by the chunker's next stream), plus the chunk handed out. Each yielded chunk is a fresh buffer the
 * caller owns.
 */
export async function* chunkStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  chunker: Chunker,
): AsyncGenerator<Buffer, void, undefined> {
  const maxSize = chunker.maxSize;
  const acquired = chunker.acquireWindow();
  const window = acquired.bytes;
  let start = 0;
  let end = 0;
  try {
    for await (const piece of source) {
      let taken = 0;
      while (taken < piece.length) {
        if (end === window.length) {
          window.copyWithin(0, start, end);
          end -= start;
          start = 0;
        }
        const count = Math.min(piece.length - taken, window.length - end);
        window.set(piece.subarray(taken, taken + count), end);
        end += count;
        taken += count;
        while (end - start >= maxSize) {
          const at = acquired.cut(start, end);
          yield Buffer.from(window.subarray(start, at));
          start = at;
        }
      }
    }
    while (start < end) {
      const at = acquired.cut(start, end);
      yield Buffer.from(window.subarray(start, at));
      start = at;
    }
  } finally {
    // Chunks handed out are copies: the window can serve the next stream.
    acquired.release();
  }
}
