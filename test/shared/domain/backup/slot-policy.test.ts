import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  commitToSlots,
  compareBackups,
  decideSlotWrite,
  isoWeekOf,
  parisDayOf,
  periodOf,
  repairSlot,
  type PolicyVersion,
} from '../../../../shared/domain/backup/slot-policy';
import type { SlotBackup } from '../../../../shared/ports/snapshot-slots';
import { InMemorySlots } from './in-memory-slots';

let sessions = 0;
const backup = (startedAt: string, overrides: Partial<SlotBackup> = {}): SlotBackup => ({
  sessionId: `S${String(++sessions).padStart(5, '0')}`,
  snapshotId: `snap${sessions}`,
  startedAt: new Date(startedAt),
  partial: false,
  ...overrides,
});
let versions = 0;
const version = (held?: SlotBackup): PolicyVersion => ({ versionId: `v${++versions}`, ...(held ? { backup: held } : {}) });

describe('the day and week a backup counts for', () => {
  it.each([
    ['2026-03-10T22:59:59Z', '2026-03-10'], // 23:59:59 in Paris (UTC+1)
    ['2026-03-10T23:00:00Z', '2026-03-11'], // midnight in Paris
    ['2026-07-01T21:59:00Z', '2026-07-01'], // 23:59 in Paris (UTC+2)
    ['2026-07-01T22:00:00Z', '2026-07-02'],
    ['2026-03-29T00:30:00Z', '2026-03-29'], // 01:30, the night the clocks go forward
    ['2026-10-25T00:30:00Z', '2026-10-25'], // 02:30 CEST, the night they go back
  ])('%s is the Paris day %s', (instant, day) => {
    expect(parisDayOf(new Date(instant))).toBe(day);
  });

  it.each([
    ['2026-01-01T12:00:00Z', '2026-W01'], // a Thursday: week 1 of 2026
    ['2026-01-04T22:30:00Z', '2026-W01'], // Sunday 23:30 in Paris
    ['2026-01-04T23:30:00Z', '2026-W02'], // Monday 00:30 in Paris, still Sunday in UTC
    ['2027-01-01T12:00:00Z', '2026-W53'], // 2026 has 53 ISO weeks
    ['2024-12-30T12:00:00Z', '2025-W01'], // a Monday of week 1 of the next year
  ])('%s is in the ISO week %s', (instant, week) => {
    expect(isoWeekOf(new Date(instant))).toBe(week);
  });

  it('gives an ad-hoc backup a period of its own', () => {
    const a = backup('2026-03-10T10:00:00Z');
    expect(periodOf('daily', a)).toBe('2026-03-10');
    expect(periodOf('weekly', a)).toBe('2026-W11');
    expect(periodOf('adhoc', a)).toBe(`session:${a.sessionId}`);
  });
});

describe('ranking of two backups of one period', () => {
  it('puts complete before partial, then the later start, then the session id', () => {
    const early = backup('2026-03-10T20:00:00Z');
    const late = backup('2026-03-10T21:00:00Z');
    const latePartial = backup('2026-03-10T22:00:00Z', { partial: true });
    expect(compareBackups(late, early)).toBe(1);
    expect(compareBackups(early, late)).toBe(-1);
    expect(compareBackups(early, latePartial)).toBe(1);
    const twin = { ...early, sessionId: `${early.sessionId}x` };
    expect(compareBackups(twin, early)).toBe(1);
    expect(compareBackups(early, early)).toBe(0);
  });
});

describe('decideSlotWrite (golden cases)', () => {
  const nightOfTheTenth = backup('2026-03-10T21:00:00Z'); // 22:00 in Paris

  it('writes the first backup of a day', () => {
    expect(decideSlotWrite('daily', [], nightOfTheTenth)).toEqual({ outcome: 'new', write: true });
    expect(decideSlotWrite('daily', [version(backup('2026-03-09T21:00:00Z'))], nightOfTheTenth)).toEqual({ outcome: 'new', write: true });
  });

  it('replaces the day by a later run of the same day (a double run)', () => {
    const rerun = backup('2026-03-10T22:10:00Z');
    expect(decideSlotWrite('daily', [version(nightOfTheTenth)], rerun)).toEqual({ outcome: 'replaces', write: true });
  });

  it('counts a backup running past midnight for the day it started', () => {
    const pastMidnight = backup('2026-03-10T22:50:00Z'); // 23:50 in Paris, committed after midnight
    expect(decideSlotWrite('daily', [version(nightOfTheTenth)], pastMidnight).outcome).toBe('replaces');
    expect(decideSlotWrite('daily', [version(backup('2026-03-10T23:10:00Z'))], pastMidnight).outcome).toBe('new'); // 00:10 is the 11th
  });

  it('never lets a backup that started earlier replace the day (a late commit)', () => {
    const startedEarlier = backup('2026-03-10T20:00:00Z');
    expect(decideSlotWrite('daily', [version(nightOfTheTenth)], startedEarlier)).toEqual({ outcome: 'outranked', write: false });
  });

  it('never lets a partial backup replace a complete one, but lets a complete one replace a partial one', () => {
    const partialRerun = backup('2026-03-10T22:30:00Z', { partial: true });
    expect(decideSlotWrite('daily', [version(nightOfTheTenth)], partialRerun).outcome).toBe('outranked');
    const partialFirst = backup('2026-03-10T22:30:00Z', { partial: true });
    expect(decideSlotWrite('daily', [version(partialFirst)], nightOfTheTenth).outcome).toBe('replaces');
    expect(decideSlotWrite('daily', [version(backup('2026-03-10T20:00:00Z', { partial: true }))], partialRerun).outcome).toBe('replaces');
  });

  it('finds a repeated commit by its session and writes nothing', () => {
    const held = version(nightOfTheTenth);
    expect(decideSlotWrite('daily', [version(backup('2026-03-11T21:00:00Z')), held], nightOfTheTenth)).toEqual({
      outcome: 'already-written',
      write: false,
      holder: held.versionId,
    });
  });

  it('keeps one version per ISO week in the weekly slot', () => {
    const monday = backup('2026-03-09T21:00:00Z');
    const sunday = backup('2026-03-15T21:00:00Z');
    const nextMonday = backup('2026-03-16T21:00:00Z');
    expect(decideSlotWrite('weekly', [version(monday)], sunday).outcome).toBe('replaces');
    expect(decideSlotWrite('weekly', [version(sunday)], nextMonday).outcome).toBe('new');
  });

  it('writes every ad-hoc backup, once', () => {
    const adhoc = backup('2026-03-10T10:00:00Z');
    expect(decideSlotWrite('adhoc', [version(backup('2026-03-10T11:00:00Z'))], adhoc).outcome).toBe('new');
    expect(decideSlotWrite('adhoc', [version(adhoc)], adhoc).outcome).toBe('already-written');
  });

  it('ignores versions that carry none of our metadata', () => {
    expect(decideSlotWrite('daily', [version()], nightOfTheTenth).outcome).toBe('new');
  });
});

describe('repairSlot (golden cases)', () => {
  it('deletes the beaten versions of a period and the older copies of one backup', () => {
    const best = backup('2026-03-10T22:00:00Z');
    const beaten = version(backup('2026-03-10T21:00:00Z'));
    const kept = version(best);
    const olderCopy = version(best);
    const foreign = version();
    expect(repairSlot('daily', [kept, beaten, foreign, olderCopy])).toEqual({ delete: [beaten.versionId, olderCopy.versionId], rewrite: [] });
  });

  it('lifts a later day written before an earlier one, so that write order is day order', () => {
    const tenth = version(backup('2026-03-10T22:50:00Z')); // started 23:50, committed last
    const eleventh = version(backup('2026-03-10T23:30:00Z')); // started 00:30 on the 11th, committed first
    const ninth = version(backup('2026-03-09T21:00:00Z'));
    expect(repairSlot('daily', [tenth, eleventh, ninth])).toEqual({ delete: [], rewrite: [eleventh.versionId] });
    expect(repairSlot('daily', [eleventh, tenth, ninth])).toEqual({ delete: [], rewrite: [] });
  });

  it('lifts the fewest versions, oldest period first', () => {
    const d5 = version(backup('2026-03-05T21:00:00Z'));
    const d3 = version(backup('2026-03-03T21:00:00Z'));
    const d4 = version(backup('2026-03-04T21:00:00Z'));
    const d1 = version(backup('2026-03-01T21:00:00Z'));
    expect(repairSlot('daily', [d5, d3, d4, d1])).toEqual({ delete: [], rewrite: [d4.versionId, d5.versionId] });
  });

  it('never reorders the adhoc slot', () => {
    const later = version(backup('2026-03-10T10:00:00Z'));
    const earlier = version(backup('2026-03-10T09:00:00Z'));
    expect(repairSlot('adhoc', [earlier, later])).toEqual({ delete: [], rewrite: [] });
  });
});

describe('repairSlot properties', () => {
  const arbitrarySlot = fc.array(
    fc.record({ day: fc.integer({ min: 1, max: 12 }), minute: fc.integer({ min: 0, max: 1439 }), partial: fc.boolean(), copy: fc.boolean() }),
    { maxLength: 14 },
  );

  it('leaves one version per day, the best of it, in day order', () => {
    fc.assert(
      fc.property(arbitrarySlot, (entries) => {
        const slot: PolicyVersion[] = [];
        for (const entry of entries) {
          const held =
            entry.copy && slot.length > 0 ? slot[0]!.backup! : backup(new Date(Date.UTC(2026, 2, entry.day, 0, entry.minute)).toISOString(), { partial: entry.partial });
          slot.unshift(version(held));
        }
        const repair = repairSlot('daily', slot);
        // Apply it as commitToSlots does: deletions, then each lifted version copied on top and its old version deleted.
        let after = slot.filter((v) => !repair.delete.includes(v.versionId));
        for (const lifted of repair.rewrite) {
          const old = after.find((v) => v.versionId === lifted)!;
          after = [version(old.backup), ...after.filter((v) => v !== old)];
        }
        const days = after.map((v) => parisDayOf(v.backup!.startedAt));
        expect(new Set(days).size).toBe(days.length);
        expect([...days].sort().reverse()).toEqual(days);
        for (const v of after) {
          const rivals = slot.filter((s) => parisDayOf(s.backup!.startedAt) === parisDayOf(v.backup!.startedAt));
          expect(rivals.every((r) => compareBackups(v.backup!, r.backup!) >= 0)).toBe(true);
        }
        expect(repairSlot('daily', after)).toEqual({ delete: [], rewrite: [] });
      }),
    );
  });
});

describe('commitToSlots (against the in-memory slots)', () => {
  const commitOf = (held: SlotBackup, kind: 'scheduled' | 'adhoc' = 'scheduled') => ({
    clientId: 'c1',
    host: 'srv',
    kind,
    stagedKey: `staging/c1/${held.sessionId}/manifest`,
    backup: held,
  });
  const sessionsIn = async (slots: InMemorySlots, slotClass: 'daily' | 'weekly' | 'adhoc') =>
    (await slots.list({ slotClass, clientId: 'c1', host: 'srv' })).map((v) => v.backup?.sessionId);

  it('writes daily and weekly for a scheduled backup, adhoc only for an ad-hoc one', async () => {
    const slots = new InMemorySlots();
    const scheduled = backup('2026-03-10T21:00:00Z');
    const adhoc = backup('2026-03-10T10:00:00Z');
    expect((await commitToSlots(slots, commitOf(scheduled))).map((r) => [r.slotClass, r.outcome])).toEqual([
      ['daily', 'new'],
      ['weekly', 'new'],
    ]);
    expect((await commitToSlots(slots, commitOf(adhoc, 'adhoc'))).map((r) => [r.slotClass, r.outcome])).toEqual([['adhoc', 'new']]);
    expect(await sessionsIn(slots, 'daily')).toEqual([scheduled.sessionId]);
    expect(await sessionsIn(slots, 'adhoc')).toEqual([adhoc.sessionId]);
  });

  it('replaces the day and deletes the version it replaced; a repeated commit writes and deletes nothing', async () => {
    const slots = new InMemorySlots();
    const first = backup('2026-03-10T21:00:00Z');
    const rerun = backup('2026-03-10T22:00:00Z');
    const [daily] = await commitToSlots(slots, commitOf(first));
    const results = await commitToSlots(slots, commitOf(rerun));
    expect(results[0]).toMatchObject({ outcome: 'replaces', deleted: [daily!.versionId] });
    expect(await sessionsIn(slots, 'daily')).toEqual([rerun.sessionId]);
    slots.calls.length = 0;
    const again = await commitToSlots(slots, commitOf(rerun));
    expect(again.map((r) => r.outcome)).toEqual(['already-written', 'already-written']);
    expect(slots.calls).toEqual(['list', 'list']);
  });

  it('finishes on a repeated commit what an interrupted one left (written, not yet cleaned)', async () => {
    const slots = new InMemorySlots();
    await commitToSlots(slots, commitOf(backup('2026-03-10T21:00:00Z')));
    const rerun = backup('2026-03-10T22:00:00Z');
    slots.failNext('delete');
    await expect(commitToSlots(slots, commitOf(rerun))).rejects.toThrow('injected delete failure');
    expect(await sessionsIn(slots, 'daily')).toHaveLength(2);
    const retried = await commitToSlots(slots, commitOf(rerun));
    expect(retried.map((r) => r.outcome)).toEqual(['already-written', 'already-written']); // the weekly slot had finished
    expect(await sessionsIn(slots, 'daily')).toEqual([rerun.sessionId]);
  });

  it('settles two commits of one day racing: both agree on the better one', async () => {
    const slots = new InMemorySlots();
    const a = backup('2026-03-10T21:00:00Z');
    const b = backup('2026-03-10T21:30:00Z');
    const [ra, rb] = await Promise.all([commitToSlots(slots, commitOf(a)), commitToSlots(slots, commitOf(b))]);
    expect(await sessionsIn(slots, 'daily')).toEqual([b.sessionId]);
    expect(await sessionsIn(slots, 'weekly')).toEqual([b.sessionId]);
    expect(ra![0]!.outcome === 'outranked' || ra![0]!.versionId === undefined).toBe(true);
    expect(rb![0]!.versionId).toBeDefined();
  });

  it('keeps day order when an earlier day is committed after a later one (runs overlapping midnight)', async () => {
    const slots = new InMemorySlots();
    const ninth = backup('2026-03-09T21:00:00Z');
    const tenthLate = backup('2026-03-10T22:50:00Z'); // 23:50 on the 10th, long
    const eleventhEarly = backup('2026-03-10T23:30:00Z'); // 00:30 on the 11th, short
    await commitToSlots(slots, commitOf(ninth));
    await commitToSlots(slots, commitOf(eleventhEarly));
    const [daily] = await commitToSlots(slots, commitOf(tenthLate));
    expect(daily).toMatchObject({ outcome: 'new' });
    expect(daily!.rewritten).toHaveLength(1);
    expect(await sessionsIn(slots, 'daily')).toEqual([eleventhEarly.sessionId, tenthLate.sessionId, ninth.sessionId]);
  });
});
