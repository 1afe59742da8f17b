/**
 * The chunker's inner loop in WebAssembly, for speed: V8 has no 64-bit integer arithmetic on plain numbers, and the
 * JavaScript loop (chunker.ts) runs at ~300–400 MB/s where this one, with native i64, runs at about three times that
 * (bench/engine/chunker.bench.ts). The module is small enough to be assembled here, instruction by instruction, from
 * the same pseudo-code as docs/repository-format.md §4; tests check it cuts exactly where the JavaScript loop and the
 * reference vectors do.
 *
 * Memory layout: GEAR (256 × u64 LE) at 0, GEAR_LS at 2048, the last hash at 4096, the data window from 8192.
 * Export `cut(start, end, min, avg, max, maskS: i64, maskL: i64) → i32`: `start`/`end` are addresses in the window.
 */

const GEAR_AT = 0;
const GEAR_LS_AT = 2048;
const HASH_AT = 4096;
export const WINDOW_AT = 8192;
const PAGE = 65536;

function uleb(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function sleb(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  return: [0x0f],
  get: (index: number) => [0x20, ...uleb(index)],
  set: (index: number) => [0x21, ...uleb(index)],
  tee: (index: number) => [0x22, ...uleb(index)],
  i32: (value: number) => [0x41, ...sleb(value)],
  i64: (value: number) => [0x42, ...sleb(value)],
  load8: (offset: number) => [0x2d, 0x00, ...uleb(offset)],
  load64: (offset: number) => [0x29, 0x03, ...uleb(offset)],
  store64: (offset: number) => [0x37, 0x03, ...uleb(offset)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32And: [0x71],
  i32Shl: [0x74],
  i32LeU: [0x4d],
  i32GtU: [0x4b],
  i32LtU: [0x49],
  i32GeU: [0x4f],
  i64Add: [0x7c],
  i64And: [0x83],
  i64Shl: [0x86],
  i64Eqz: [0x50],
};

// Parameters and locals of `cut`.
const START = 0;
const END = 1;
const MIN = 2;
const AVG = 3;
const MAX = 4;
const MASK_S = 5;
const MASK_L = 6;
const N = 7;
const CENTER = 8;
const A = 9;
const LIMIT = 10;
const HASH = 11;
const MASK_S_LS = 12;
const MASK_L_LS = 13;

const storeHash = [...op.i32(0), ...op.get(HASH), ...op.store64(HASH_AT)];

/** One normalized-chunking phase: two bytes per turn, until `a` reaches `limit`. */
function phase(maskLs: number, mask: number): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.get(A), ...op.get(LIMIT), ...op.i32GeU, ...op.brIf(1),
    // hash = (hash << 2) + GEAR_LS[b[a]]
    ...op.get(HASH), ...op.i64(2), ...op.i64Shl,
    ...op.get(A), ...op.load8(0), ...op.i32(3), ...op.i32Shl, ...op.load64(GEAR_LS_AT),
    ...op.i64Add, ...op.tee(HASH),
    ...op.get(maskLs), ...op.i64And, ...op.i64Eqz,
    ...op.if, ...storeHash, ...op.get(A), ...op.return, ...op.end,
    // hash = hash + GEAR[b[a + 1]]
    ...op.get(HASH),
    ...op.get(A), ...op.load8(1), ...op.i32(3), ...op.i32Shl, ...op.load64(GEAR_AT),
    ...op.i64Add, ...op.tee(HASH),
    ...op.get(mask), ...op.i64And, ...op.i64Eqz,
    ...op.if, ...storeHash, ...op.get(A), ...op.i32(1), ...op.i32Add, ...op.return, ...op.end,
    ...op.get(A), ...op.i32(2), ...op.i32Add, ...op.set(A),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

function cutBody(): number[] {
  const code = [
    // n = end − start; a chunk no longer than min ends at `end`.
    ...op.get(END), ...op.get(START), ...op.i32Sub, ...op.set(N),
    ...op.get(N), ...op.get(MIN), ...op.i32LeU,
    ...op.if, ...op.i32(0), ...op.i64(0), ...op.store64(HASH_AT), ...op.get(END), ...op.return, ...op.end,
    // center = avg; if n > max: n = max, else if n < center: center = n
    ...op.get(AVG), ...op.set(CENTER),
    ...op.get(N), ...op.get(MAX), ...op.i32GtU,
    ...op.if, ...op.get(MAX), ...op.set(N),
    ...op.else, ...op.get(N), ...op.get(CENTER), ...op.i32LtU, ...op.if, ...op.get(N), ...op.set(CENTER), ...op.end,
    ...op.end,
    ...op.get(MASK_S), ...op.i64(1), ...op.i64Shl, ...op.set(MASK_S_LS),
    ...op.get(MASK_L), ...op.i64(1), ...op.i64Shl, ...op.set(MASK_L_LS),
    // a = start + 2·⌊min/2⌋; first phase up to start + 2·⌊center/2⌋, second up to start + 2·⌊n/2⌋
    ...op.get(START), ...op.get(MIN), ...op.i32(-2), ...op.i32And, ...op.i32Add, ...op.set(A),
    ...op.get(START), ...op.get(CENTER), ...op.i32(-2), ...op.i32And, ...op.i32Add, ...op.set(LIMIT),
    ...phase(MASK_S_LS, MASK_S),
    ...op.get(START), ...op.get(N), ...op.i32(-2), ...op.i32And, ...op.i32Add, ...op.set(LIMIT),
    ...phase(MASK_L_LS, MASK_L),
    ...storeHash,
    ...op.get(START), ...op.get(N), ...op.i32Add,
    ...op.end,
  ];
  const locals = [2, ...uleb(4), 0x7f, ...uleb(3), 0x7e];
  return [...uleb(locals.length + code.length), ...locals, ...code];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  return [...uleb(bytes.length), ...bytes];
}

function moduleBytes(): Uint8Array {
  const type = [1, 0x60, 7, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7e, 0x7e, 1, 0x7f];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, type),
    ...section(3, [1, 0]),
    ...section(5, [1, 0x00, ...uleb(1)]),
    ...section(7, [2, ...name('cut'), 0x00, 0, ...name('memory'), 0x02, 0]),
    ...section(10, [1, ...cutBody()]),
  ]);
}

/** The few WebAssembly types used here (the project's `lib` has no DOM, where TypeScript declares them). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** True where this runtime has WebAssembly (every Node since 8). */
export function hasWebAssembly(): boolean {
  return typeof (globalThis as { WebAssembly?: unknown }).WebAssembly === 'object';
}

let compiled: object | undefined;

/** A gear kernel with its own memory: the caller writes data into `window` and cuts there. */
export interface GearKernel {
  /** The data window (2 × maxSize bytes), a view into the kernel's memory. */
  readonly window: Uint8Array;
  /** The cut in window positions, as Chunker.cut. */
  cut(start: number, end: number): number;
  /** The gear hash at the last cut (64 bits). */
  lastHash(): bigint;
}

type CutExport = (start: number, end: number, min: number, avg: number, max: number, maskS: bigint, maskL: bigint) => number;

export function createGearKernel(options: {
  gear: readonly bigint[];
  minSize: number;
  avgSize: number;
  maxSize: number;
  maskS: bigint;
  maskL: bigint;
}): GearKernel {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  compiled ??= new api.Module(moduleBytes());
  const instance = new api.Instance(compiled, {});
  const memory = instance.exports['memory'] as WasmMemory;
  const windowBytes = 2 * options.maxSize;
  const pages = Math.ceil((WINDOW_AT + windowBytes) / PAGE);
  memory.grow(pages - memory.buffer.byteLength / PAGE);
  const view = new DataView(memory.buffer);
  options.gear.forEach((value, index) => {
    view.setBigUint64(GEAR_AT + index * 8, value, true);
    view.setBigUint64(GEAR_LS_AT + index * 8, (value << 1n) & 0xffff_ffff_ffff_ffffn, true);
  });
  const cut = instance.exports['cut'] as CutExport;
  const { minSize, avgSize, maxSize, maskS, maskL } = options;
  // i64 parameters travel as BigInt; signed, so masks above 2^63 would need BigInt.asIntN (none is).
  const signedS = BigInt.asIntN(64, maskS);
  const signedL = BigInt.asIntN(64, maskL);
  return {
    window: new Uint8Array(memory.buffer, WINDOW_AT, windowBytes),
    cut: (start, end) => cut(WINDOW_AT + start, WINDOW_AT + end, minSize, avgSize, maxSize, signedS, signedL) - WINDOW_AT,
    lastHash: () => view.getBigUint64(HASH_AT, true),
  };
}
