import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlotAddress, SlotBackup, SnapshotSlots } from '../../../../shared/ports/snapshot-slots';

/** What every SnapshotSlots must do: the S3 adapter (over the local S3 server) and the in-memory one run it. */
export interface SnapshotSlotsTarget {
  slots: SnapshotSlots;
  /** Puts a staged manifest (for `write` to copy). */
  stage(key: string, body: string): Promise<void>;
  /** Adds a version of the slot without our metadata. */
  foreign(slot: SlotAddress): Promise<void>;
  teardown?(): Promise<void>;
}

let counter = 0;
const backup = (overrides: Partial<SlotBackup> = {}): SlotBackup => ({
  sessionId: `01JSESSION${String(++counter).padStart(16, '0')}`,
  snapshotId: `snap-${counter}`,
  startedAt: new Date('2026-03-08T22:30:00.000Z'), // Sunday 23:30 in Paris
  partial: false,
  ...overrides,
});

export function describeSnapshotSlots(name: string, setup: () => Promise<SnapshotSlotsTarget>): void {
  describe(`SnapshotSlots: ${name}`, () => {
    let target: SnapshotSlotsTarget;
    let n = 0;
    const slot = (slotClass: SlotAddress['slotClass'] = 'daily', host = `srv-${++n}`): SlotAddress => ({ slotClass, clientId: 'client-a', host });

    beforeAll(async () => {
      target = await setup();
      await target.stage('staging/client-a/s1/manifest', 'manifest bytes');
    });
    afterAll(async () => target?.teardown?.());

    it('writes a version holding the backup, with the Paris day and ISO week it counts for', async () => {
      const address = slot();
      const held = backup({ partial: true });
      const written = await target.slots.write(address, 'staging/client-a/s1/manifest', held);
      expect(written.backup).toEqual({ ...held, day: '2026-03-08', week: '2026-W10' });
      const listed = await target.slots.list(address);
      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ versionId: written.versionId, latest: true, backup: written.backup, writtenAt: written.writtenAt });
      expect(target.slots.keyOf(address)).toBe(`snapshots/daily/client-a/${address.host}`);
    });

    it('lists versions newest first, only the newest latest', async () => {
      const address = slot('weekly');
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push((await target.slots.write(address, 'staging/client-a/s1/manifest', backup())).versionId);
      const listed = await target.slots.list(address);
      expect(listed.map((v) => v.versionId)).toEqual([...ids].reverse());
      expect(listed.map((v) => v.latest)).toEqual([true, false, false]);
    });

    it('rewrites a version on top, metadata and all, and deletes one version for good (twice is fine)', async () => {
      const address = slot();
      const first = await target.slots.write(address, 'staging/client-a/s1/manifest', backup());
      const second = await target.slots.write(address, 'staging/client-a/s1/manifest', backup());
      const copy = await target.slots.rewrite(address, first.versionId);
      expect(copy.versionId).not.toBe(first.versionId);
      expect(copy.backup).toEqual(first.backup);
      await target.slots.delete(address, first.versionId);
      await target.slots.delete(address, first.versionId);
      expect((await target.slots.list(address)).map((v) => v.versionId)).toEqual([copy.versionId, second.versionId]);
    });

    it("keeps to its own key (host srv1 is not srv10) and class, and lists an empty slot as []", async () => {
      const host = `srv${++n}`;
      await target.slots.write({ slotClass: 'adhoc', clientId: 'client-a', host: `${host}0` }, 'staging/client-a/s1/manifest', backup());
      await target.slots.write({ slotClass: 'daily', clientId: 'client-a', host }, 'staging/client-a/s1/manifest', backup());
      expect(await target.slots.list({ slotClass: 'adhoc', clientId: 'client-a', host })).toEqual([]);
    });

    it('lists a version without our metadata with no backup', async () => {
      const address = slot();
      await target.foreign(address);
      const listed = await target.slots.list(address);
      expect(listed).toHaveLength(1);
      expect(listed[0]?.backup).toBeUndefined();
    });
  });
}
