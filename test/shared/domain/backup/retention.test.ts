import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contractRestorePoints,
  lifecycleDue,
  midnightsUtc,
  replayRetention,
  type CommitEvent,
  type NoncurrentExpirationRule,
} from '../../../../shared/domain/backup/retention';
import { isoWeekOf, parisDayOf } from '../../../../shared/domain/backup/slot-policy';
import type { SlotBackup } from '../../../../shared/ports/snapshot-slots';

/** The backup bucket's snapshot rules (infra/stacks/stateful-stack.ts; the simulation reads them from the template). */
const RULES: NoncurrentExpirationRule[] = [
  { id: 'daily', prefix: 'snapshots/daily/', noncurrentDays: 1, newerNoncurrentVersions: 6 },
  { id: 'weekly', prefix: 'snapshots/weekly/', noncurrentDays: 1, newerNoncurrentVersions: 2 },
  { id: 'adhoc', prefix: 'snapshots/adhoc/', noncurrentDays: 1, newerNoncurrentVersions: 6 },
];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DAILY = 'snapshots/daily/c1/srv';
const WEEKLY = 'snapshots/weekly/c1/srv';
const ADHOC = 'snapshots/adhoc/c1/srv';

let sessions = 0;
const commit = (startedAt: string | Date, options: { minutes?: number; partial?: boolean; kind?: 'scheduled' | 'adhoc'; session?: SlotBackup } = {}): CommitEvent => {
  const started = new Date(startedAt);
  const backup: SlotBackup = options.session ?? {
    sessionId: `S${String(++sessions).padStart(5, '0')}`,
    snapshotId: `snap${sessions}`,
    startedAt: started,
    partial: options.partial ?? false,
  };
  return { clientId: 'c1', host: 'srv', kind: options.kind ?? 'scheduled', backup, committedAt: new Date(started.getTime() + (options.minutes ?? 40) * 60_000) };
};
const sessionsOf = (state: ReturnType<typeof replayRetention>, key: string) => (state.slots.get(key) ?? []).map((v) => v.backup.sessionId);
const replayAt = (commits: CommitEvent[], at: Date) =>
  replayRetention({ commits, rules: RULES, passes: midnightsUtc(new Date(Math.min(...commits.map((c) => c.committedAt.getTime()))), at), at });
/** 22:00 in Paris (UTC+1 until 29 March), `n` days after Monday 2 March 2026. */
const night = (n: number) => new Date(Date.UTC(2026, 2, 2 + n, 21, 0));

describe("S3's timing", () => {
  it('rounds up to the next midnight UTC after adding the days (the S3 documentation example)', () => {
    expect(lifecycleDue(new Date('2014-01-15T10:30:00Z'), 3).toISOString()).toBe('2014-01-19T00:00:00.000Z');
    expect(lifecycleDue(new Date('2026-01-01T00:00:00Z'), 1).toISOString()).toBe('2026-01-02T00:00:00.000Z');
  });

  it('gives one pass a night, at midnight UTC', () => {
    expect(midnightsUtc(new Date('2026-01-01T10:00:00Z'), new Date('2026-01-04T00:00:00Z')).map((d) => d.toISOString())).toEqual([
      '2026-01-02T00:00:00.000Z',
      '2026-01-03T00:00:00.000Z',
      '2026-01-04T00:00:00.000Z',
    ]);
  });

  it('expires an eighth ad-hoc backup only once it has been noncurrent a day, rounded up to midnight', () => {
    const commits = Array.from({ length: 9 }, (_, i) => commit(new Date(Date.UTC(2026, 2, 10, 8 + i)), { kind: 'adhoc', minutes: 5 }));
    // The 8th write (09:05... 15:05) makes the first one the 7th noncurrent: count reached, but it became noncurrent at 09:05.
    const nextMidnight = replayAt(commits, new Date('2026-03-11T00:00:00Z'));
    expect(sessionsOf(nextMidnight, ADHOC)).toHaveLength(9);
    const secondMidnight = replayAt(commits, new Date('2026-03-12T00:00:00Z'));
    expect(sessionsOf(secondMidnight, ADHOC)).toEqual(commits.slice(2).reverse().map((c) => c.backup.sessionId));
    expect(secondMidnight.expired.map((e) => [e.at.toISOString(), e.backup.sessionId])).toEqual([
      ['2026-03-12T00:00:00.000Z', commits[1]!.backup.sessionId],
      ['2026-03-12T00:00:00.000Z', commits[0]!.backup.sessionId],
    ]);
  });
});

describe('replayRetention (golden cases)', () => {
  it('keeps the last 7 nights in the daily slot and the last 3 weeks in the weekly slot', () => {
    const commits = Array.from({ length: 24 }, (_, n) => commit(night(n))); // 2 to 25 March: weeks 10 to 13
    const state = replayAt(commits, new Date('2026-03-26T12:00:00Z'));
    expect(sessionsOf(state, DAILY)).toEqual(commits.slice(17).reverse().map((c) => c.backup.sessionId));
    // Each week's last night: Sunday 22 (W12), Sunday 15 (W11); W13 so far: Wednesday 25.
    expect(sessionsOf(state, WEEKLY)).toEqual([commits[23], commits[20], commits[13]].map((c) => c!.backup.sessionId));
    expect(state.slots.get(DAILY)!.every((v, i, all) => i === 0 || v.noncurrentSince !== undefined || all.length === 1)).toBe(true);
  });

  it('keeps a day the best run of it: later runs replace, earlier-started late commits and partial reruns do not', () => {
    const first = commit(night(0));
    const rerun = commit(new Date(night(0).getTime() + HOUR)); // 23:00, committed 23:40
    const lateCommit = commit(new Date(night(0).getTime() + 30 * 60_000), { minutes: 150 }); // started 22:30, committed 01:00
    const partialRerun = commit(new Date(night(0).getTime() + 90 * 60_000), { partial: true });
    const state = replayAt([first, rerun, lateCommit, partialRerun], new Date('2026-03-03T12:00:00Z'));
    expect(sessionsOf(state, DAILY)).toEqual([rerun.backup.sessionId]);
    expect(sessionsOf(state, WEEKLY)).toEqual([rerun.backup.sessionId]);
  });

  it('writes a repeated commit once', () => {
    const once = commit(night(0));
    const again = { ...once, committedAt: new Date(once.committedAt.getTime() + 10 * 60_000) };
    expect(sessionsOf(replayAt([once, again], new Date('2026-03-04T00:00:00Z')), DAILY)).toEqual([once.backup.sessionId]);
  });

  it('counts a run past midnight for the day it started, and keeps write order = day order when two runs overlap midnight', () => {
    const ninth = commit(night(0));
    const long = commit(new Date(Date.UTC(2026, 2, 3, 22, 50)), { minutes: 150 }); // 23:50 on the 3rd, committed 02:20 on the 4th
    const short = commit(new Date(Date.UTC(2026, 2, 3, 23, 30)), { minutes: 30 }); // 00:30 on the 4th, committed 01:00
    const state = replayAt([ninth, long, short], new Date('2026-03-04T12:00:00Z'));
    expect(sessionsOf(state, DAILY)).toEqual([short, long, ninth].map((c) => c.backup.sessionId));
    expect(parisDayOf(long.backup.startedAt)).toBe('2026-03-03');
  });

  it('expires nothing during an outage once the last commit has been dealt with', () => {
    const commits = Array.from({ length: 10 }, (_, n) => commit(night(n)));
    const lastCommit = commits.at(-1)!.committedAt;
    const caughtUp = replayAt(commits, new Date(lastCommit.getTime() + 2 * DAY));
    const monthLater = replayAt(commits, new Date(lastCommit.getTime() + 32 * DAY));
    expect(sessionsOf(monthLater, DAILY)).toEqual(sessionsOf(caughtUp, DAILY));
    expect(sessionsOf(monthLater, WEEKLY)).toEqual(sessionsOf(caughtUp, WEEKLY));
    expect(monthLater.expired.filter((e) => e.at > new Date(lastCommit.getTime() + 2 * DAY))).toEqual([]);
  });
});

describe("the contract's set", () => {
  it('is the best backup of each of the last 7 days that had one, and of the last 3 ISO weeks that had one', () => {
    const commits = [0, 1, 2, 4, 5, 8, 9, 10, 13, 15].map((n) => commit(night(n)));
    const partialLater = commit(new Date(night(15).getTime() + HOUR), { partial: true });
    const set = contractRestorePoints([...commits, partialLater], new Date('2026-03-20T00:00:00Z'));
    expect(set.daily.map((b) => parisDayOf(b.startedAt))).toEqual(['2026-03-17', '2026-03-15', '2026-03-12', '2026-03-11', '2026-03-10', '2026-03-07', '2026-03-06']);
    expect(set.daily[0]!.sessionId).toBe(commits.at(-1)!.backup.sessionId);
    expect(set.weekly.map((b) => [isoWeekOf(b.startedAt), parisDayOf(b.startedAt)])).toEqual([
      ['2026-W12', '2026-03-17'],
      ['2026-W11', '2026-03-15'],
      ['2026-W10', '2026-03-07'],
    ]);
  });

  it('leaves out ad-hoc backups and commits made after the instant', () => {
    const scheduled = commit(night(0));
    const adhoc = commit(new Date(night(0).getTime() + HOUR), { kind: 'adhoc' });
    const later = commit(night(1));
    const set = contractRestorePoints([scheduled, adhoc, later], new Date(night(1).getTime()));
    expect(set.daily.map((b) => b.sessionId)).toEqual([scheduled.backup.sessionId]);
  });
});

describe('retention properties (fast-check)', () => {
  /** A month and a half of one host's nights: skipped, double, partial, long (past midnight), repeated commits. */
  const arbitraryNights = fc.array(
    fc.record({
      runs: fc.array(
        fc.record({
          startMinute: fc.integer({ min: 18 * 60, max: 27 * 60 }), // 18:00 to 03:00 the next day, UTC
          minutes: fc.integer({ min: 5, max: 6 * 60 }),
          partial: fc.boolean(),
          repeated: fc.boolean(),
        }),
        { maxLength: 3 },
      ),
    }),
    { minLength: 10, maxLength: 45 },
  );

  const commitsOf = (nights: Array<{ runs: Array<{ startMinute: number; minutes: number; partial: boolean; repeated: boolean }> }>) => {
    const commits: CommitEvent[] = [];
    nights.forEach(({ runs }, n) => {
      for (const run of runs) {
        const first = commit(new Date(Date.UTC(2026, 2, 2 + n) + run.startMinute * 60_000), { minutes: run.minutes, partial: run.partial && run.minutes % 3 === 0 });
        commits.push(first);
        if (run.repeated) commits.push({ ...first, committedAt: new Date(first.committedAt.getTime() + 7 * 60_000) });
      }
    });
    return commits;
  };

  it('always keeps the contract set, one best version per day and per week, in day order', () => {
    fc.assert(
      fc.property(arbitraryNights, (nights) => {
        const commits = commitsOf(nights);
        if (commits.length === 0) return;
        const first = new Date(Math.min(...commits.map((c) => c.committedAt.getTime())));
        const end = new Date(Date.UTC(2026, 2, 2 + nights.length + 3));
        const passes = midnightsUtc(first, end);
        // After every nightly pass, and just after a few commits.
        for (const at of [...passes, ...commits.filter((_, i) => i % 7 === 0).map((c) => c.committedAt)]) {
          const state = replayRetention({ commits, rules: RULES, passes, at });
          const contract = contractRestorePoints(commits, at);
          const daily = sessionsOf(state, DAILY);
          const weekly = sessionsOf(state, WEEKLY);
          for (const b of contract.daily) expect(daily).toContain(b.sessionId);
          for (const b of contract.weekly) expect(weekly).toContain(b.sessionId);
          const days = (state.slots.get(DAILY) ?? []).map((v) => parisDayOf(v.backup.startedAt));
          expect([...new Set(days)].sort().reverse()).toEqual(days);
          const weeks = (state.slots.get(WEEKLY) ?? []).map((v) => isoWeekOf(v.backup.startedAt));
          expect([...new Set(weeks)].sort().reverse()).toEqual(weeks);
          // Nothing beyond the contract's set lingers longer than a day or two of S3's timing.
          if (passes.includes(at)) {
            expect(daily.length).toBeLessThanOrEqual(contract.daily.length + 1);
            expect(weekly.length).toBeLessThanOrEqual(contract.weekly.length + 1);
          }
        }
      }),
      { numRuns: 40 },
    );
  });
});
