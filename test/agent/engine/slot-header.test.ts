import { describe, expect, it } from 'vitest';
import { CorruptDataError, UnsupportedFormatError } from '../../../agent/src/engine/errors';
import {
  SLOT_PREFIX_BYTES,
  decodeSlotHeader,
  encodeSlotHeader,
  readSlotHeader,
  slotHeaderLength,
  type SlotHeader,
} from '../../../agent/src/engine/slot-header';

const sampleHeader = (packs = 2): SlotHeader => ({
  formatVersion: 1,
  snapshotId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  clientId: 'demo-cabinet-durand',
  host: 'SRV-COMPTA',
  kind: 'scheduled',
  startedAt: '2026-03-02T22:00:00.000Z',
  finishedAt: '2026-03-02T22:14:03.120Z',
  partial: false,
  keyFingerprint: '102f8abd84902824402f3e4e4d51d6c7',
  packs: Array.from({ length: packs }, (_, index) => ({ id: index.toString(16).padStart(64, '0'), size: 16_800_000 + index })),
  figures: { files: 12, sourceBytes: 123_456_789, addedBytes: 33_600_001 },
});

describe('slot header', () => {
  it('round-trips: "VGSN", version 1, JSON length (u32 LE), JSON', () => {
    const bytes = encodeSlotHeader(sampleHeader());
    expect(Buffer.from(bytes.subarray(0, 4)).toString('ascii')).toBe('VGSN');
    expect(bytes[4]).toBe(1);
    expect(Buffer.from(bytes).readUInt32LE(5)).toBe(bytes.length - SLOT_PREFIX_BYTES);
    expect(slotHeaderLength(bytes.subarray(0, 9))).toBe(bytes.length);
    const followed = Buffer.concat([bytes, Buffer.from('sealed manifest follows')]);
    expect(decodeSlotHeader(followed)).toEqual({ header: sampleHeader(), length: bytes.length });
  });

  it('reads only the header through ranged reads: one read for small headers, two for large ones', async () => {
    for (const packs of [3, 2000]) {
      const object = Buffer.concat([encodeSlotHeader(sampleHeader(packs)), Buffer.alloc(1_000_000, 7)]);
      const reads: Array<[number, number]> = [];
      const { header } = await readSlotHeader(async (start, end) => {
        reads.push([start, end]);
        return object.subarray(start, end);
      });
      expect(header.packs).toHaveLength(packs);
      expect(reads.length).toBe(packs === 3 ? 1 : 2);
    }
  });

  it('refuses other objects, other versions, damaged JSON, wrong shapes', () => {
    const bytes = Buffer.from(encodeSlotHeader(sampleHeader()));
    expect(() => decodeSlotHeader(Buffer.concat([Buffer.from('VGIX'), bytes.subarray(4)]))).toThrow(UnsupportedFormatError);
    const version2 = Buffer.from(bytes);
    version2[4] = 2;
    expect(() => decodeSlotHeader(version2)).toThrow(UnsupportedFormatError);
    expect(() => decodeSlotHeader(bytes.subarray(0, bytes.length - 1))).toThrow(CorruptDataError);
    expect(() => decodeSlotHeader(bytes.subarray(0, 5))).toThrow(CorruptDataError);
    const broken = Buffer.from(bytes);
    broken[SLOT_PREFIX_BYTES] = 0x20;
    expect(() => decodeSlotHeader(broken)).toThrow(CorruptDataError);
    const withFormat = (change: Record<string, unknown>) => {
      const json = Buffer.from(JSON.stringify({ ...sampleHeader(), ...change }));
      const prefix = Buffer.from([0x56, 0x47, 0x53, 0x4e, 1, 0, 0, 0, 0]);
      prefix.writeUInt32LE(json.length, 5);
      return Buffer.concat([prefix, json]);
    };
    expect(() => decodeSlotHeader(withFormat({ formatVersion: 2 }))).toThrow(UnsupportedFormatError);
    expect(() => decodeSlotHeader(withFormat({ packs: [{ id: 'zz', size: 1 }] }))).toThrow(CorruptDataError);
    expect(() => decodeSlotHeader(withFormat({ extra: true }))).toThrow(CorruptDataError);
    expect(() => decodeSlotHeader(withFormat({ packs: [sampleHeader().packs[0], sampleHeader().packs[0]] }))).toThrow(CorruptDataError);
  });
});
