import { deriveKeys, type RepositoryKeys } from '../../../agent/src/engine/keys';

/** A fixed master key for tests (never a real one): tests that pin format values depend on it. */
export const TEST_MASTER_KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
export const OTHER_MASTER_KEY = Buffer.alloc(32, 0xee);

export const testKeys: RepositoryKeys = deriveKeys(TEST_MASTER_KEY);
export const otherKeys: RepositoryKeys = deriveKeys(OTHER_MASTER_KEY);

/** A copy of `bytes` with byte `position` XORed with `mask`. */
export function flipped(bytes: Uint8Array, position: number, mask = 0x01): Buffer {
  const copy = Buffer.from(bytes);
  copy[position] = copy[position]! ^ mask;
  return copy;
}

/** Deterministic pseudo-random bytes (xorshift32), for reproducible data without a seed file. */
export function pseudoRandomBytes(length: number, seed = 1): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  let state = seed >>> 0 || 1;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}

/** Text that compresses well. */
export function compressibleText(lines: number): Buffer {
  const parts: string[] = [];
  for (let index = 0; index < lines; index++) parts.push(`ligne ${index} facture client montant ${(index * 37) % 101} TVA 20%\n`);
  return Buffer.from(parts.join(''));
}
