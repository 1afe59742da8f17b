import type { SlotAddress, SlotBackup, SlotVersion, SnapshotSlots, WrittenVersion } from '../../../../shared/ports/snapshot-slots';
import { isoWeekOf, parisDayOf, slotKeyOf } from '../../../../shared/domain/backup/slot-policy';

/**
 * SnapshotSlots in memory, for domain tests: the same contract as the S3 adapter (the shared suite in
 * test/shared/adapters/s3/snapshot-slots.contract.ts runs against both). `failNext` makes the next call of an
 * operation throw, to play a commit interrupted half-way.
 */
export class InMemorySlots implements SnapshotSlots {
  private readonly slots = new Map<string, SlotVersion[]>();
  private ids = 0;
  private readonly failures = new Map<'write' | 'rewrite' | 'list' | 'delete', number>();
  readonly calls: string[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  keyOf(slot: SlotAddress): string {
    return slotKeyOf(slot.slotClass, slot.clientId, slot.host);
  }

  failNext(operation: 'write' | 'rewrite' | 'list' | 'delete', times = 1): void {
    this.failures.set(operation, times);
  }

  private maybeFail(operation: 'write' | 'rewrite' | 'list' | 'delete'): void {
    this.calls.push(operation);
    const left = this.failures.get(operation) ?? 0;
    if (left > 0) {
      this.failures.set(operation, left - 1);
      throw new Error(`injected ${operation} failure`);
    }
  }

  private push(key: string, backup: SlotVersion['backup'], size: number): SlotVersion {
    const versions = this.slots.get(key) ?? [];
    const version: SlotVersion = { versionId: `mem-${String(++this.ids).padStart(6, '0')}`, writtenAt: this.now(), size, latest: true, ...(backup ? { backup } : {}) };
    this.slots.set(key, [version, ...versions]);
    return { ...version };
  }

  async write(slot: SlotAddress, _stagedKey: string, backup: SlotBackup): Promise<WrittenVersion> {
    this.maybeFail('write');
    return this.push(this.keyOf(slot), { ...backup, day: parisDayOf(backup.startedAt), week: isoWeekOf(backup.startedAt) }, 100);
  }

  async rewrite(slot: SlotAddress, versionId: string): Promise<WrittenVersion> {
    this.maybeFail('rewrite');
    const source = (this.slots.get(this.keyOf(slot)) ?? []).find((v) => v.versionId === versionId);
    if (!source) throw Object.assign(new Error(`no version ${versionId}`), { name: 'NoSuchVersion' });
    return this.push(this.keyOf(slot), source.backup, source.size);
  }

  async list(slot: SlotAddress): Promise<SlotVersion[]> {
    this.maybeFail('list');
    return (this.slots.get(this.keyOf(slot)) ?? []).map((v, i) => ({ ...v, latest: i === 0 }));
  }

  async delete(slot: SlotAddress, versionId: string): Promise<void> {
    this.maybeFail('delete');
    const key = this.keyOf(slot);
    this.slots.set(key, (this.slots.get(key) ?? []).filter((v) => v.versionId !== versionId));
  }

  /** Adds a version that carries none of our metadata (written by something else). */
  foreign(slot: SlotAddress): SlotVersion {
    return this.push(this.keyOf(slot), undefined, 1);
  }
}
