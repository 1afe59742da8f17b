import { beforeAll, describe, expect, it } from 'vitest';
import { loadZstd, type Zstd } from '../../../agent/src/engine/compression';
import { CorruptDataError, InvalidArgumentError, WrongKeyError } from '../../../agent/src/engine/errors';
import { decodeSlotHeader } from '../../../agent/src/engine/slot-header';
import { decodeSnapshot, encodeSnapshot, type ManifestEntry, type SnapshotMeta } from '../../../agent/src/engine/snapshot';
import { flipped, otherKeys, pseudoRandomBytes, testKeys } from './support';

let zstd: Zstd;
beforeAll(async () => {
  zstd = await loadZstd();
});

const blob = (seed: number) => pseudoRandomBytes(32, seed).toString('hex');

const meta = (change: Partial<SnapshotMeta> = {}): SnapshotMeta => ({
  id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  clientId: 'demo-cabinet-durand',
  host: 'SRV-COMPTA',
  kind: 'scheduled',
  paths: ['C:/Données', '//nas/partage/Compta'],
  startedAt: '2026-03-02T22:00:00.000Z',
  finishedAt: '2026-03-02T22:14:03.120Z',
  partial: true,
  problems: [{ path: 'C:/Données/verrouillé.pst', kind: 'unreadable', message: 'EBUSY: resource busy or locked' }],
  parent: '01JABCDEFGHJKMNPQRSTVWXYY0',
  ...change,
});

const entries: ManifestEntry[] = [
  { type: 'file', path: 'C:/Données/b.xlsx', size: 3_000_000, mtimeMs: 1_772_400_000_123.5, mode: 0o100666, attributes: { readOnly: true, hidden: false, system: false }, blobs: [blob(1), blob(2), blob(3)], inode: '18446744073709551615' },
  { type: 'dir', path: 'C:/Données', mtimeMs: 1_772_400_000_000, mode: 0o40777 },
  { type: 'file', path: 'C:/Données/vide.txt', size: 0, mtimeMs: 1_772_400_000_000, mode: 0o100666, blobs: [] },
  { type: 'symlink', path: '//nas/partage/Compta/lien', mtimeMs: 1_772_400_000_000, mode: 0o120777, target: '../ailleurs' },
  { type: 'dir', path: '//nas/partage/Compta', mtimeMs: 1_772_400_000_000, mode: 0o40777, attributes: { hidden: true, system: true } },
];

const packs = [{ id: blob(100), size: 16_900_000 }];
const figures = { files: 2, sourceBytes: 3_000_000, addedBytes: 1_500_000 };

describe('snapshots', () => {
  it('round-trip; entries sorted; the plaintext header says what the server needs and nothing more', () => {
    const encoded = encodeSnapshot(testKeys, zstd, { snapshot: meta(), entries, packs, figures });
    const { header, manifest } = decodeSnapshot(testKeys, zstd, encoded.bytes, { expectedId: encoded.id });
    expect(header).toEqual(encoded.header);
    expect(header).toMatchObject({ snapshotId: meta().id, host: 'SRV-COMPTA', partial: true, kind: 'scheduled', packs, figures, keyFingerprint: testKeys.fingerprint });
    expect(manifest.snapshot).toEqual(meta());
    expect(manifest.entries.map((entry) => entry.path)).toEqual([
      '//nas/partage/Compta',
      '//nas/partage/Compta/lien',
      'C:/Données',
      'C:/Données/b.xlsx',
      'C:/Données/vide.txt',
    ]);
    const plaintext = Buffer.from(encoded.bytes).toString('latin1');
    expect(plaintext).not.toContain('Donn');
    expect(plaintext).not.toContain('b.xlsx');
    expect(decodeSlotHeader(encoded.bytes).header).toEqual(header);
  });

  it('detect a flipped byte anywhere, header included', () => {
    const encoded = encodeSnapshot(testKeys, zstd, { snapshot: meta({ paths: ['/srv'], problems: [], partial: false }), entries: [{ type: 'dir', path: '/srv', mtimeMs: 1, mode: 0o40755 }], packs: [], figures });
    for (let position = 0; position < encoded.bytes.length; position++) {
      const damaged = flipped(encoded.bytes, position);
      expect(() => decodeSnapshot(testKeys, zstd, damaged), `byte ${position}`).toThrow(Error);
      expect(() => decodeSnapshot(testKeys, zstd, damaged, { expectedId: encoded.id })).toThrow(CorruptDataError);
    }
  });

  it('a header edited consistently (valid JSON, right length) still fails: the manifest authenticates it', () => {
    const encoded = encodeSnapshot(testKeys, zstd, { snapshot: meta(), entries, packs, figures });
    const text = Buffer.from(encoded.bytes).toString('latin1');
    const edited = Buffer.from(text.replace('"partial":true', '"partial":fals'), 'latin1');
    expect(() => decodeSnapshot(testKeys, zstd, edited)).toThrow(CorruptDataError);
    const swapped = Buffer.from(text.replace('"addedBytes":1500000', '"addedBytes":1500001'), 'latin1');
    expect(decodeSlotHeader(swapped).header.figures.addedBytes).toBe(1_500_001);
    expect(() => decodeSnapshot(testKeys, zstd, swapped)).toThrow(CorruptDataError);
  });

  it('tell a wrong key from damage', () => {
    const encoded = encodeSnapshot(otherKeys, zstd, { snapshot: meta(), entries, packs, figures });
    expect(() => decodeSnapshot(testKeys, zstd, encoded.bytes)).toThrow(WrongKeyError);
  });

  it('refuse manifests that break the format', () => {
    const encode = (snapshot: SnapshotMeta, list: ManifestEntry[]) => () => encodeSnapshot(testKeys, zstd, { snapshot, entries: list, packs, figures });
    expect(encode(meta({ partial: false }), entries)).toThrow(InvalidArgumentError);
    expect(encode(meta(), [...entries, entries[1]!])).toThrow(InvalidArgumentError);
    expect(encode(meta(), [{ type: 'dir', path: 'relative/path', mtimeMs: 0, mode: 0 }])).toThrow(InvalidArgumentError);
    expect(encode(meta(), [{ type: 'dir', path: 'C:\\Windows', mtimeMs: 0, mode: 0 }])).toThrow(InvalidArgumentError);
    expect(encode(meta(), [{ type: 'file', path: '/a', size: 1, mtimeMs: 0, mode: 0, blobs: ['xyz'] }])).toThrow(InvalidArgumentError);
  });

  it('hold 20,000 files in a compact object', () => {
    const many: ManifestEntry[] = Array.from({ length: 20_000 }, (_, index) => ({
      type: 'file' as const,
      path: `C:/Données/dossier-${Math.floor(index / 100)}/fichier-${index}.docx`,
      size: 40_000 + index,
      mtimeMs: 1_772_400_000_000 + index,
      mode: 0o100666,
      blobs: [blob(index + 1)],
    }));
    const encoded = encodeSnapshot(testKeys, zstd, { snapshot: meta(), entries: many, packs, figures });
    expect(encoded.bytes.length).toBeLessThan(20_000 * 100);
    expect(decodeSnapshot(testKeys, zstd, encoded.bytes).manifest.entries).toHaveLength(20_000);
  });
});
