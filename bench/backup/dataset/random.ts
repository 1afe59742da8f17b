import { createHash } from 'node:crypto';
import { prng } from '../../../test/support/prng';

export { prng };

const FIRST_BLOCK_WORDS = 1_024;
const BLOCK_WORDS = 16_384;

/**
 * A seeded stream of bytes for file contents: xorshift128 (Marsaglia), its 128-bit state taken from SHA-256 of
 * `label` (which carries the data set's seed and the file). The project's mulberry32 (`prng`) draws the layout
 * and the pools; it cannot make the bytes: ~60 MB/s through its float interface, and with 32 bits of state the
 * streams of two large files would overlap (and deduplicate) by chance. This one gives ~3 GB/s and never
 * allocates.
 */
export class ByteStream {
  private x: number;
  private y: number;
  private z: number;
  private w: number;
  // Small files and database extents need a few KiB: the block starts small and grows on the second refill.
  private block = new Uint32Array(FIRST_BLOCK_WORDS);
  private bytes = Buffer.from(this.block.buffer);
  /** Next unread byte of `bytes`; a fresh stream starts with the block used up. */
  private offset = this.bytes.length;
  private refills = 0;

  constructor(label: string) {
    const digest = createHash('sha256').update(`vigie-bench/${label}`).digest();
    this.x = digest.readUInt32LE(0) | 1; // never the all-zero state
    this.y = digest.readUInt32LE(4);
    this.z = digest.readUInt32LE(8);
    this.w = digest.readUInt32LE(12);
  }

  /** Fills `target[start, end)` with the next bytes of the stream. */
  fill(target: Buffer, start = 0, end = target.length): void {
    let position = start;
    while (position < end) {
      if (this.offset === this.bytes.length) this.refill();
      const copied = this.bytes.copy(target, position, this.offset, Math.min(this.bytes.length, this.offset + end - position));
      this.offset += copied;
      position += copied;
    }
  }

  /** The next 32 bits of the stream. */
  u32(): number {
    if (this.offset > this.bytes.length - 4) this.refill();
    const value = this.bytes.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  /** A uniform integer in [0, bound), bound ≤ 2^32. */
  below(bound: number): number {
    return Math.floor((this.u32() / 4_294_967_296) * bound);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.u32() / 4_294_967_296;
  }

  private refill(): void {
    if (this.refills++ === 1) {
      this.block = new Uint32Array(BLOCK_WORDS);
      this.bytes = Buffer.from(this.block.buffer);
    }
    let { x, y, z, w } = this;
    const block = this.block;
    for (let i = 0; i < block.length; i++) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = w ^ (w >>> 19) ^ (t ^ (t >>> 8));
      block[i] = w;
    }
    Object.assign(this, { x, y, z, w });
    this.offset = 0;
  }
}

/** An integer in [min, max] drawn log-uniformly (file sizes spread over orders of magnitude, as on real shares). */
export function logUniform(random: () => number, min: number, max: number): number {
  if (max <= min) return Math.max(0, Math.round(max));
  return Math.round(Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min))));
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
