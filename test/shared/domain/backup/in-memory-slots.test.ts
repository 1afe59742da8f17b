import { describeSnapshotSlots } from '../../adapters/s3/snapshot-slots.contract';
import { InMemorySlots } from './in-memory-slots';

describeSnapshotSlots('in memory (the fake the domain tests use)', async () => {
  const slots = new InMemorySlots();
  return { slots, stage: async () => undefined, foreign: async (slot) => void slots.foreign(slot) };
});
