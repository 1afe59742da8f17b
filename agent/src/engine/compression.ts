import zlib from 'node:zlib';
import { CorruptDataError, InvalidArgumentError } from './errors';

/**
 * zstd with one on-disk format on every runtime: standard zstd frames (RFC 8878) with the content size in the frame
 * header. Node 22 and later compress with the built-in `zlib.zstdCompressSync`; Node 20 (the `npx vigie-agent`
 * path) with @bokuweb/zstd-wasm, the zstd C library compiled to WebAssembly (no install script, no native binary:
 * it runs wherever Node runs, Windows included). Either reads what the other wrote (tested both ways).
 */

export type ZstdBackend = 'node:zlib' | 'zstd-wasm';

export interface Zstd {
  readonly backend: ZstdBackend;
  /** One zstd frame holding `data` (level 1 unless told: fast, and most of the ratio on office files). */
  compress(data: Uint8Array, level?: number): Uint8Array;
  /**
   * The content of one frame, which must be exactly `expectedLength` bytes (the length the repository recorded next
   * to it); anything else is a CorruptDataError naming `object`.
   */
  decompress(frame: Uint8Array, expectedLength: number, object?: string): Uint8Array;
}

export const DEFAULT_ZSTD_LEVEL = 1;
/** Stored compressed only when that saves at least 10 %: below, reading it back would cost more than it saves. */
export const COMPRESSION_MIN_SAVING = 0.1;

interface ZlibWithZstd {
  zstdCompressSync(data: Uint8Array, options: object): Buffer;
  zstdDecompressSync(data: Uint8Array, options: object): Buffer;
  constants: Record<string, number>;
}

function builtinZstd(): Zstd | undefined {
  const z = zlib as unknown as Partial<ZlibWithZstd>;
  if (typeof z.zstdCompressSync !== 'function' || typeof z.zstdDecompressSync !== 'function') return undefined;
  const { zstdCompressSync, zstdDecompressSync } = z as ZlibWithZstd;
  const levelParam = (zlib.constants as Record<string, number>)['ZSTD_c_compressionLevel']!;
  return {
    backend: 'node:zlib',
    // chunkSize: zlib's default 16 KiB output pieces make one chunk several times slower; one piece is enough.
    compress: (data, level = DEFAULT_ZSTD_LEVEL) =>
      zstdCompressSync(data, {
        params: { [levelParam]: checkLevel(level) },
        chunkSize: Math.max(64 * 1024, data.length + 1024),
      }),
    decompress: (frame, expectedLength, object = 'zstd frame') =>
      checked(object, expectedLength, () =>
        zstdDecompressSync(frame, {
          maxOutputLength: Math.max(1, expectedLength),
          chunkSize: Math.max(64 * 1024, expectedLength),
        }),
      ),
  };
}

interface ZstdWasmModule {
  init(): Promise<void>;
  compress(data: Uint8Array, level?: number): Uint8Array;
  decompress(data: Uint8Array, options?: { defaultHeapSize?: number }): Uint8Array;
}

let wasmLoading: Promise<Zstd> | undefined;

function wasmZstd(): Promise<Zstd> {
  wasmLoading ??= (async () => {
    // Loaded only where there is no built-in zstd: the single executables (Node 22) never touch it.
    const imported = (await import('@bokuweb/zstd-wasm')) as unknown as ZstdWasmModule & { default?: ZstdWasmModule };
    const wasm = typeof imported.init === 'function' ? imported : imported.default!;
    await wasm.init();
    return {
      backend: 'zstd-wasm',
      compress: (data, level = DEFAULT_ZSTD_LEVEL) => wasm.compress(data, checkLevel(level)),
      // The frame states its content size (both backends write it); the heap size only serves frames that do not.
      decompress: (frame, expectedLength, object = 'zstd frame') =>
        checked(object, expectedLength, () => wasm.decompress(frame, { defaultHeapSize: Math.max(1, expectedLength) })),
    } satisfies Zstd;
  })();
  return wasmLoading;
}

function checkLevel(level: number): number {
  if (!Number.isInteger(level) || level < -7 || level > 19) {
    throw new InvalidArgumentError(`zstd level must be an integer from -7 to 19, not ${level}`);
  }
  return level;
}

function checked(object: string, expectedLength: number, decompress: () => Uint8Array): Uint8Array {
  let plain: Uint8Array;
  try {
    plain = decompress();
  } catch (error) {
    throw new CorruptDataError(object, 'zstd frame does not decompress', { cause: error });
  }
  if (plain.length !== expectedLength) {
    throw new CorruptDataError(object, `decompressed to ${plain.length} bytes, ${expectedLength} recorded`);
  }
  return plain;
}

/**
 * The zstd of this runtime: built-in when Node has it, WebAssembly otherwise. `prefer: 'wasm'` forces the fallback
 * (tests and benchmarks use it to check both paths on Node 22).
 */
export async function loadZstd(options: { prefer?: 'builtin' | 'wasm' } = {}): Promise<Zstd> {
  if (options.prefer !== 'wasm') {
    const builtin = builtinZstd();
    if (builtin) return builtin;
  }
  return wasmZstd();
}

/** Above this size a chunk is first sampled: compressing 3 × 16 KiB tells incompressible data (media, archives) apart. */
export const SAMPLE_ABOVE = 256 * 1024;
const SAMPLE_BYTES = 16 * 1024;
/** A sample that saves less than this (3 %) means the whole would not save the 10 % either: store it as it is. */
const SAMPLE_MIN_SAVING = 0.03;

/**
 * The frame of `data` when it saves at least 10 %, otherwise undefined (store the bytes as they are). Chunks above
 * 256 KiB are sampled first (start, middle, end): when the samples save under 3 %, the whole is not compressed at
 * all, which makes incompressible chunks several times cheaper (bench/engine/primitives.bench.ts). The format does
 * not depend on this choice: readers go by the recorded length.
 */
export function compressIfWorthIt(zstd: Zstd, data: Uint8Array, level = DEFAULT_ZSTD_LEVEL): Uint8Array | undefined {
  if (data.length === 0) return undefined;
  if (data.length > SAMPLE_ABOVE && !samplesCompress(zstd, data, level)) return undefined;
  const frame = zstd.compress(data, level);
  return frame.length <= data.length * (1 - COMPRESSION_MIN_SAVING) ? frame : undefined;
}

function samplesCompress(zstd: Zstd, data: Uint8Array, level: number): boolean {
  let framed = 0;
  for (const start of [0, (data.length - SAMPLE_BYTES) >>> 1, data.length - SAMPLE_BYTES]) {
    framed += zstd.compress(data.subarray(start, start + SAMPLE_BYTES), level).length;
  }
  return framed <= 3 * SAMPLE_BYTES * (1 - SAMPLE_MIN_SAVING);
}
