import { beforeAll, describe, expect, it } from 'vitest';
import { loadZstd, type Zstd } from '../../../agent/src/engine/compression';
import { CorruptDataError, UnsupportedFormatError, WrongKeyError } from '../../../agent/src/engine/errors';
import { decodeIndexFile, encodeIndexFile, type IndexFile } from '../../../agent/src/engine/index-file';
import { flipped, otherKeys, pseudoRandomBytes, testKeys } from './support';

let zstd: Zstd;
beforeAll(async () => {
  zstd = await loadZstd();
});

const hex = (seed: number) => pseudoRandomBytes(32, seed).toString('hex');

function sampleFile(packs = 3, blobsPerPack = 4): IndexFile {
  return {
    supersedes: [hex(900)],
    packs: Array.from({ length: packs }, (_, pack) => {
      let offset = 0;
      const blobs = Array.from({ length: blobsPerPack }, (_, blob) => {
        const length = 1000 + blob * 17;
        const entry = { type: blob % 2 ? ('tree' as const) : ('data' as const), id: hex(pack * 100 + blob + 1), offset, length, rawLength: blob % 3 ? 5000 : 0 };
        offset += length;
        return entry;
      });
      return { id: hex(1000 + pack), size: offset + 300, blobs };
    }),
  };
}

describe('index files', () => {
  it('round-trip; the id is the SHA-256 of the bytes', () => {
    const file = sampleFile();
    const { id, bytes } = encodeIndexFile(testKeys, zstd, file);
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('VGIX');
    expect(decodeIndexFile(testKeys, zstd, bytes, id)).toEqual(file);
    expect(decodeIndexFile(testKeys, zstd, encodeIndexFile(testKeys, zstd, { supersedes: [], packs: [] }).bytes)).toEqual({ supersedes: [], packs: [] });
  });

  it('detect a flipped byte anywhere (by the id, and by authentication alone)', () => {
    const { id, bytes } = encodeIndexFile(testKeys, zstd, sampleFile(2, 2));
    for (let position = 0; position < bytes.length; position++) {
      const damaged = flipped(bytes, position);
      expect(() => decodeIndexFile(testKeys, zstd, damaged, id)).toThrow(CorruptDataError);
      // Without the id: the magic and version say "another format", the fingerprint "another key", the rest fails GCM.
      expect(() => decodeIndexFile(testKeys, zstd, damaged)).toThrow(position < 5 ? UnsupportedFormatError : position < 21 ? WrongKeyError : CorruptDataError);
    }
  });

  it('tell a wrong key from damage', () => {
    const { bytes } = encodeIndexFile(otherKeys, zstd, sampleFile());
    expect(() => decodeIndexFile(testKeys, zstd, bytes)).toThrow(WrongKeyError);
  });

  it('compress large indexes of many packs', () => {
    const file = sampleFile(200, 40);
    const { bytes } = encodeIndexFile(testKeys, zstd, file);
    expect(decodeIndexFile(testKeys, zstd, bytes).packs).toHaveLength(200);
  });
});
