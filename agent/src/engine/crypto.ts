import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { CorruptDataError, InvalidArgumentError } from './errors';

/**
 * The repository's symmetric primitives, in one place: AES-256-GCM with a random 96-bit nonce, sealed as
 * nonce ‖ ciphertext ‖ tag; HMAC-SHA-256; SHA-256; HKDF-SHA-256.
 */

export const KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
/** What sealing adds to a plaintext: the nonce in front, the tag behind. */
export const SEAL_OVERHEAD = NONCE_BYTES + TAG_BYTES;

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new InvalidArgumentError(`a key is ${KEY_BYTES} bytes, not ${key.length}`);
}

/** AES-256-GCM under `key` with a fresh random nonce, authenticating `aad` too: nonce ‖ ciphertext ‖ tag. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Buffer {
  checkKey(key);
  const sealed = Buffer.allocUnsafe(plaintext.length + SEAL_OVERHEAD);
  const nonce = randomBytes(NONCE_BYTES);
  nonce.copy(sealed, 0);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  let offset = NONCE_BYTES;
  offset += cipher.update(plaintext).copy(sealed, offset);
  offset += cipher.final().copy(sealed, offset);
  cipher.getAuthTag().copy(sealed, offset);
  return sealed;
}

/** The plaintext of `sealed`, or a CorruptDataError naming `object` when the tag does not verify (any byte changed). */
export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array, object: string): Buffer {
  checkKey(key);
  if (sealed.length < SEAL_OVERHEAD) {
    throw new CorruptDataError(object, `${sealed.length} bytes is shorter than a sealed object`);
  }
  const tagAt = sealed.length - TAG_BYTES;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, NONCE_BYTES));
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(tagAt));
    const head = decipher.update(sealed.subarray(NONCE_BYTES, tagAt));
    const tail = decipher.final();
    return tail.length === 0 ? head : Buffer.concat([head, tail]);
  } catch (error) {
    throw new CorruptDataError(object, 'authentication failed (damaged, or sealed under another key)', {
      cause: error,
    });
  }
}

export function hmacSha256(key: Uint8Array, data: Uint8Array): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

export function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** HKDF-SHA-256 (RFC 5869) of `length` bytes. */
export function hkdf(secret: Uint8Array, salt: string, info: string, length: number): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.from(salt, 'utf8'), Buffer.from(info, 'utf8'), length));
}

export function randomKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Constant-time comparison of two byte strings of any length. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let index = 0; index < a.length; index++) difference |= a[index]! ^ b[index]!;
  return difference === 0;
}
