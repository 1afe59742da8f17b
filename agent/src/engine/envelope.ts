import { open, seal } from './crypto';
import { compressIfWorthIt, DEFAULT_ZSTD_LEVEL, type Zstd } from './compression';
import { CorruptDataError, UnsupportedFormatError } from './errors';

/**
 * The sealed envelope of metadata objects (index files, snapshot manifests): a 5-byte prefix, then the payload, all
 * sealed with AES-256-GCM under the metadata key.
 *
 *   plaintext = compression (u8: 0 stored, 1 zstd) ‖ payload length (u32 LE, before compression) ‖ payload or frame
 */

const STORED = 0;
const ZSTD = 1;
const PREFIX_BYTES = 5;
/** Metadata objects stay below 4 GiB (the length field); far larger than any index file or manifest we write. */
export const MAX_ENVELOPE_PAYLOAD = 0xffff_ffff;

export function sealEnvelope(
  key: Uint8Array,
  zstd: Zstd,
  payload: Uint8Array,
  aad: Uint8Array,
  level = DEFAULT_ZSTD_LEVEL,
): Buffer {
  const frame = compressIfWorthIt(zstd, payload, level);
  const body = frame ?? payload;
  const plaintext = Buffer.allocUnsafe(PREFIX_BYTES + body.length);
  plaintext.writeUInt8(frame ? ZSTD : STORED, 0);
  plaintext.writeUInt32LE(payload.length, 1);
  plaintext.set(body, PREFIX_BYTES);
  return seal(key, plaintext, aad);
}

export function openEnvelope(key: Uint8Array, zstd: Zstd, sealed: Uint8Array, aad: Uint8Array, object: string): Buffer {
  const plaintext = open(key, sealed, aad, object);
  if (plaintext.length < PREFIX_BYTES) throw new CorruptDataError(object, 'envelope shorter than its prefix');
  const compression = plaintext.readUInt8(0);
  const length = plaintext.readUInt32LE(1);
  const body = plaintext.subarray(PREFIX_BYTES);
  if (compression === STORED) {
    if (body.length !== length) throw new CorruptDataError(object, `payload is ${body.length} bytes, ${length} recorded`);
    return body;
  }
  if (compression === ZSTD) return Buffer.from(zstd.decompress(body, length, object));
  throw new UnsupportedFormatError(object, `unknown compression ${compression}`);
}
