import { describe, expect, it } from 'vitest';
import { SEAL_OVERHEAD, hkdf, open, seal, sameBytes } from '../../../agent/src/engine/crypto';
import { CorruptDataError, InvalidArgumentError } from '../../../agent/src/engine/errors';
import { flipped, testKeys } from './support';

describe('seal / open (AES-256-GCM, nonce ‖ ciphertext ‖ tag)', () => {
  const key = testKeys.dataKey;
  const aad = Buffer.from('context');

  it('round-trips, adds 28 bytes, and never repeats a nonce', () => {
    const plaintext = Buffer.from('des données de comptabilité');
    const a = seal(key, plaintext, aad);
    const b = seal(key, plaintext, aad);
    expect(a.length).toBe(plaintext.length + SEAL_OVERHEAD);
    expect(a.subarray(0, 12).equals(b.subarray(0, 12))).toBe(false);
    expect(open(key, a, aad, 'x').equals(plaintext)).toBe(true);
    expect(open(key, seal(key, Buffer.alloc(0), aad), aad, 'x').length).toBe(0);
  });

  it('detects a flipped bit anywhere, another AAD, another key, truncation', () => {
    const sealed = seal(key, Buffer.from('0123456789abcdef0123'), aad);
    for (let position = 0; position < sealed.length; position++) {
      expect(() => open(key, flipped(sealed, position, 0x80), aad, 'x')).toThrow(CorruptDataError);
    }
    expect(() => open(key, sealed, Buffer.from('contexT'), 'x')).toThrow(CorruptDataError);
    expect(() => open(testKeys.metadataKey, sealed, aad, 'x')).toThrow(CorruptDataError);
    expect(() => open(key, sealed.subarray(0, sealed.length - 1), aad, 'x')).toThrow(CorruptDataError);
    expect(() => open(key, sealed.subarray(0, 27), aad, 'x')).toThrow(CorruptDataError);
  });

  it('names the object and keeps the cause', () => {
    const error = (() => {
      try {
        open(key, flipped(seal(key, Buffer.from('x'), aad), 13), aad, 'blob 00ff');
      } catch (caught) {
        return caught as CorruptDataError;
      }
    })();
    expect(error).toBeInstanceOf(CorruptDataError);
    expect(error?.object).toBe('blob 00ff');
    expect(error?.code).toBe('CorruptData');
    expect(error?.cause).toBeInstanceOf(Error);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => seal(Buffer.alloc(16), Buffer.from('x'), aad)).toThrow(InvalidArgumentError);
  });
});

describe('helpers', () => {
  it('HKDF-SHA-256 matches RFC 5869 test case 3 (empty salt and info)', () => {
    expect(hkdf(Buffer.alloc(22, 0x0b), '', '', 42).toString('hex')).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });

  it('sameBytes compares lengths and contents', () => {
    expect(sameBytes(Buffer.from('ab'), Buffer.from('ab'))).toBe(true);
    expect(sameBytes(Buffer.from('ab'), Buffer.from('ac'))).toBe(false);
    expect(sameBytes(Buffer.from('ab'), Buffer.from('abc'))).toBe(false);
  });
});
