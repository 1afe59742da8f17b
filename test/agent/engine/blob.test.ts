import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { blobId, decodeBlob, encodeBlob, plainLengthOf } from '../../../agent/src/engine/blob';
import { loadZstd, type Zstd } from '../../../agent/src/engine/compression';
import { CorruptDataError } from '../../../agent/src/engine/errors';
import { compressibleText, flipped, otherKeys, pseudoRandomBytes, testKeys } from './support';

let zstd: Zstd;
beforeAll(async () => {
  zstd = await loadZstd();
});

describe('blobs', () => {
  it('are named by HMAC-SHA-256(idKey, plaintext)', () => {
    const data = Buffer.from('contenu');
    expect(blobId(testKeys, data)).toBe(createHmac('sha256', testKeys.idKey).update(data).digest('hex'));
    expect(blobId(otherKeys, data)).not.toBe(blobId(testKeys, data));
  });

  it('are stored compressed when it saves ≥ 10 % (rawLength = plaintext length), else as they are (rawLength 0)', () => {
    const text = compressibleText(500);
    const compressed = encodeBlob(testKeys, zstd, text);
    expect(compressed.rawLength).toBe(text.length);
    expect(compressed.bytes.length).toBeLessThan(text.length / 2);
    expect(plainLengthOf({ length: compressed.bytes.length, rawLength: compressed.rawLength })).toBe(text.length);
    expect(decodeBlob(testKeys, zstd, compressed.bytes, compressed).equals(text)).toBe(true);

    const random = pseudoRandomBytes(10_000);
    const raw = encodeBlob(testKeys, zstd, random);
    expect(raw.rawLength).toBe(0);
    expect(raw.bytes.length).toBe(random.length + 28);
    expect(plainLengthOf({ length: raw.bytes.length, rawLength: 0 })).toBe(random.length);
    expect(decodeBlob(testKeys, zstd, raw.bytes, raw).equals(random)).toBe(true);
  });

  it('detect a flipped byte anywhere, a wrong id, a wrong rawLength, another key', () => {
    for (const plaintext of [compressibleText(20), pseudoRandomBytes(64)]) {
      const blob = encodeBlob(testKeys, zstd, plaintext);
      for (let position = 0; position < blob.bytes.length; position++) {
        expect(() => decodeBlob(testKeys, zstd, flipped(blob.bytes, position), blob)).toThrow(CorruptDataError);
      }
      const otherId = blobId(testKeys, Buffer.from('autre'));
      expect(() => decodeBlob(testKeys, zstd, blob.bytes, { id: otherId, rawLength: blob.rawLength })).toThrow(CorruptDataError);
      expect(() => decodeBlob(testKeys, zstd, blob.bytes, { id: blob.id, rawLength: blob.rawLength + 1 })).toThrow(CorruptDataError);
      expect(() => decodeBlob(otherKeys, zstd, blob.bytes, blob)).toThrow(CorruptDataError);
    }
  });

  it('checks the HMAC after decryption: a blob sealed under the right key with a wrong id is refused', () => {
    // A writer bug (or a key holder forging): valid encryption, id of another plaintext.
    const forged = encodeBlob(testKeys, zstd, Buffer.from('vrai contenu'), { id: Buffer.from(blobId(testKeys, Buffer.from('faux')), 'hex') });
    expect(() => decodeBlob(testKeys, zstd, forged.bytes, forged)).toThrow(/does not hash to the blob id/);
  });
});
