import { createHmac, hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../agent/src/engine/errors';
import { KEY_INFO, deriveKeys, generateMasterKey } from '../../../agent/src/engine/keys';
import { TEST_MASTER_KEY, testKeys } from './support';

describe('deriveKeys', () => {
  it('derives each subkey by HKDF-SHA-256 with salt "vigie-repository-v1" and its own info string', () => {
    const expected = (info: string, length = 32) =>
      Buffer.from(hkdfSync('sha256', TEST_MASTER_KEY, Buffer.from('vigie-repository-v1'), Buffer.from(info), length));
    expect(testKeys.idKey.equals(expected(KEY_INFO.blobId))).toBe(true);
    expect(testKeys.dataKey.equals(expected(KEY_INFO.data))).toBe(true);
    expect(testKeys.metadataKey.equals(expected(KEY_INFO.metadata))).toBe(true);
    expect(testKeys.chunkerSeed).toBe(expected(KEY_INFO.chunker, 8).readBigUInt64BE(0));
    expect(testKeys.fingerprint).toBe(expected(KEY_INFO.fingerprint, 16).toString('hex'));
  });

  it('pins the values of the format (a change here breaks every repository)', () => {
    expect(testKeys.fingerprint).toMatchInlineSnapshot(`"102f8abd84902824402f3e4e4d51d6c7"`);
    expect(testKeys.chunkerSeed.toString(16)).toMatchInlineSnapshot(`"495d8d5fa58566f9"`);
    expect(createHmac('sha256', testKeys.idKey).update('vigie').digest('hex')).toMatchInlineSnapshot(`"d02e8468611a779d6eb3eb7c6e5bd77484f9110a4aca94e48681b8ba8f75cfc6"`);
  });

  it('gives distinct keys, and other keys for another master key', () => {
    const keys = [testKeys.idKey, testKeys.dataKey, testKeys.metadataKey].map((key) => key.toString('hex'));
    expect(new Set(keys).size).toBe(3);
    const other = deriveKeys(generateMasterKey());
    expect(other.fingerprint).not.toBe(testKeys.fingerprint);
    expect(other.dataKey.equals(testKeys.dataKey)).toBe(false);
  });

  it('refuses a master key that is not 32 bytes', () => {
    expect(() => deriveKeys(Buffer.alloc(31))).toThrow(InvalidArgumentError);
  });
});
