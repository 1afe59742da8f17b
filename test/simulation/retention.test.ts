import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeClock, sdkClockOffset } from '../../infra/local/clock';
import { startS3Server, type S3Server } from '../../infra/local/s3';
import { S3SnapshotSlots } from '../../shared/adapters/s3/snapshot-slots';
import { parisWallClockToEpochMs } from '../../shared/domain/calendar/wall-clock';
import { contractRestorePoints, midnightsUtc, replayRetention, type CommitEvent } from '../../shared/domain/backup/retention';
import { commitToSlots, slotClassesOf, slotKeyOf, type BackupKind } from '../../shared/domain/backup/slot-policy';
import type { SlotClass } from '../../shared/ports/snapshot-slots';
import { backupBucketRulesFromTemplate, toRetentionRules, toS3ApiRules, type CfnLifecycleRule } from './template-lifecycle';

/**
 * Retention, end to end (DESIGN.md §3, issue 7): 120 days of two hosts' backups — missed nights, double runs, late
 * commits, partial backups, runs past midnight and across a week boundary, two runs overlapping midnight, repeated
 * commits, ad-hoc bursts, a 30-day outage of one host — committed through the slot policy and the S3 adapter into the
 * local S3 server on the runtime's clock, with the lifecycle rules of the synthesized template on the bucket and the
 * server's lifecycle pass run every simulated midnight (UTC). After every pass the restore points left must be
 * exactly those the pure retention model predicts, and always include the contract's set; the outage expires nothing.
 */

const BUCKET = 'vigie-backup';
const CLIENT = 'cabinet-durand';
const credentials = { accessKeyId: 'AKIAVIGIESIMULATION', secretAccessKey: 'simulation-secret' };
/** Monday 5 January 2026: the simulation crosses the spring clock change (29 March). */
const FIRST_DAY = { year: 2026, month: 1, day: 5 };
const DAYS = 120;
const HOSTS = { compta: 'srv-compta', paie: 'srv-paie' } as const;
/** srv-compta's server dies: no backup on these days. */
const OUTAGE = { from: 60, to: 89 };

interface PlannedCommit {
  host: string;
  kind: BackupKind;
  sessionId: string;
  startedAt: Date;
  partial: boolean;
  /** The commit, and any repeat of it (an agent that did not hear the answer). */
  commits: Date[];
}

/** The instant Paris clocks show hh:mm on the simulation's day `day` (a minute past 24:00 rolls over). */
const paris = (day: number, hour: number, minute = 0): Date => {
  const date = new Date(Date.UTC(FIRST_DAY.year, FIRST_DAY.month - 1, FIRST_DAY.day + day));
  return new Date(parisWallClockToEpochMs(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour * 60 + minute));
};
const after = (start: Date, minutes: number) => new Date(start.getTime() + minutes * 60_000);

function plan(): PlannedCommit[] {
  const planned: PlannedCommit[] = [];
  let n = 0;
  const backup = (host: string, kind: BackupKind, startedAt: Date, minutes: number, options: { partial?: boolean; repeatAfter?: number } = {}) => {
    const committedAt = after(startedAt, minutes);
    planned.push({
      host,
      kind,
      sessionId: `01SIM${String(++n).padStart(21, '0')}`,
      startedAt,
      partial: options.partial ?? false,
      commits: options.repeatAfter === undefined ? [committedAt] : [committedAt, after(committedAt, options.repeatAfter)],
    });
  };

  // srv-compta: the nightly backup at 22:00, 40 minutes, and every kind of trouble.
  const missed = new Set([9, 10, 23, 41, 42, 43]);
  for (let day = 0; day < DAYS; day++) {
    if (missed.has(day) || (day >= OUTAGE.from && day <= OUTAGE.to)) continue;
    const host = HOSTS.compta;
    switch (day) {
      case 12: // a double run: the rerun replaces the first
      case 95:
        backup(host, 'scheduled', paris(day, 22), 40);
        backup(host, 'scheduled', paris(day, 23, 15), 30);
        break;
      case 13: // a Sunday run past midnight: counts for Sunday, so for week 2
        backup(host, 'scheduled', paris(day, 23, 30), 75);
        break;
      case 15: // past midnight on a weekday
      case 100:
        backup(host, 'scheduled', paris(day, 23, 40), 95);
        break;
      case 20: // a partial rerun never replaces a complete backup
        backup(host, 'scheduled', paris(day, 22), 40);
        backup(host, 'scheduled', paris(day, 23), 30, { partial: true });
        break;
      case 21: // a partial backup alone is the day's restore point
        backup(host, 'scheduled', paris(day, 22), 40, { partial: true });
        break;
      case 22: // a complete backup that started earlier replaces the partial one committed before it
        backup(host, 'scheduled', paris(day, 22), 30, { partial: true });
        backup(host, 'scheduled', paris(day, 21, 30), 120);
        break;
      case 25: // repeated commits: nothing written twice
      case 35:
        backup(host, 'scheduled', paris(day, 22), 40, { repeatAfter: 5 });
        break;
      case 30: // a late commit: the run that started first commits last, and does not replace the later one
        backup(host, 'scheduled', paris(day, 22), 115);
        backup(host, 'scheduled', paris(day, 22, 20), 30);
        break;
      case 50: // two runs overlap midnight: the 23:50 run (day 50) commits after the 00:30 catch-up (day 51)
        backup(host, 'scheduled', paris(day, 23, 50), 150);
        backup(host, 'scheduled', paris(day + 1, 0, 30), 20);
        break;
      case 51: // its nightly run is missed: the order the commit restored must hold on its own
        break;
      default:
        backup(host, 'scheduled', paris(day, 22), 40);
    }
  }

  // srv-paie: a nightly backup at 02:10 (it counts for the day it runs in), ad-hoc backups, a burst.
  for (let day = 0; day < DAYS; day++) {
    const host = HOSTS.paie;
    if (day % 11 !== 5) backup(host, 'scheduled', paris(day, 2, 10), 30);
    if (day % 7 === 3) for (const hour of [10, 12, 14]) backup(host, 'adhoc', paris(day, hour), 20);
    if (day === 44) for (let i = 0; i < 9; i++) backup(host, 'adhoc', paris(day, 9, i * 50), 10, i === 4 ? { repeatAfter: 3 } : {});
  }
  return planned;
}

type Step = { at: Date; order: number } & ({ commit: PlannedCommit; repeat: boolean } | { pass: true });

let dataDir: string;
let server: S3Server;
let s3: S3Client;
let rules: CfnLifecycleRule[];
const clock = new RuntimeClock({ startAt: paris(0, 0), scale: 0 });
const timings: Record<string, number> = {};

beforeAll(async () => {
  const started = performance.now();
  rules = backupBucketRulesFromTemplate();
  timings['synth'] = performance.now() - started;
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-retention-'));
  server = await startS3Server({ dataDir, credentials, clock });
  s3 = new S3Client({
    endpoint: server.endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials,
    systemClockOffset: sdkClockOffset(clock),
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: BUCKET, LifecycleConfiguration: { Rules: toS3ApiRules(rules) } }));
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await server?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Moves the runtime's clock (frozen between steps) and the SDK's signing clock with it. */
function setTime(at: Date): void {
  clock.set(at);
  s3.config.systemClockOffset = sdkClockOffset(clock);
}

describe('retention simulation (120 days, the template rules, the local S3 server on the runtime clock)', () => {
  it('leaves exactly the restore points the model predicts, always the contract set, and an outage expires nothing', { timeout: 120_000 }, async () => {
    const started = performance.now();
    const modelRules = toRetentionRules(rules);
    expect(modelRules.map((r) => r.prefix)).toEqual(expect.arrayContaining(['snapshots/daily/', 'snapshots/weekly/', 'snapshots/adhoc/']));
    const slots = new S3SnapshotSlots(s3, BUCKET);
    const planned = plan();
    const passes = midnightsUtc(paris(0, 0), paris(DAYS + 2, 0));
    const steps: Step[] = [
      ...planned.flatMap((commit) => commit.commits.map((at, i) => ({ at, commit, repeat: i > 0 }))),
      ...passes.map((at) => ({ at, pass: true as const })),
    ]
      .map((step, order) => ({ ...step, order }))
      // Equal instants: commits before the pass, as the model has it.
      .sort((a, b) => a.at.getTime() - b.at.getTime() || ('pass' in a ? 1 : 0) - ('pass' in b ? 1 : 0) || a.order - b.order);

    const done: CommitEvent[] = [];
    const outcomes = new Map<string, number>();
    const addresses = Object.values(HOSTS).flatMap((host) => (['daily', 'weekly', 'adhoc'] as SlotClass[]).map((slotClass) => ({ slotClass, clientId: CLIENT, host })));
    const comptaKeys = new Set(addresses.filter((a) => a.host === HOSTS.compta).map((a) => slotKeyOf(a.slotClass, a.clientId, a.host)));
    const lastComptaCommitBeforeOutage = Math.max(...planned.filter((p) => p.host === HOSTS.compta).flatMap((p) => p.commits).filter((t) => t < paris(OUTAGE.from, 0)).map((t) => t.getTime()));
    const comptaDuringOutage: Array<{ at: Date; sessions: string }> = [];
    let nights = 0;

    for (const step of steps) {
      setTime(step.at);
      if ('commit' in step) {
        const { commit } = step;
        const stagedKey = `staging/${CLIENT}/${commit.sessionId}/manifest`;
        if (!step.repeat) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: stagedKey, Body: `manifest of ${commit.sessionId} (${commit.host})` }));
        const backup = { sessionId: commit.sessionId, snapshotId: `snap-${commit.sessionId}`, startedAt: commit.startedAt, partial: commit.partial };
        const results = await commitToSlots(slots, { clientId: CLIENT, host: commit.host, kind: commit.kind, stagedKey, backup });
        expect(results.map((r) => r.slotClass)).toEqual(slotClassesOf(commit.kind));
        if (step.repeat) expect(results.every((r) => r.outcome === 'already-written' || r.outcome === 'outranked')).toBe(true);
        for (const result of results) outcomes.set(`${result.slotClass}:${result.outcome}`, (outcomes.get(`${result.slotClass}:${result.outcome}`) ?? 0) + 1);
        done.push({ clientId: CLIENT, host: commit.host, kind: commit.kind, backup, committedAt: step.at });
        continue;
      }

      // A simulated night: S3's lifecycle pass, then what is left must be what the model says.
      nights++;
      const report = await server.applyLifecycle(BUCKET);
      expect(report.at).toBe(step.at.toISOString());
      const modelStarted = performance.now();
      const model = replayRetention({ commits: done, rules: modelRules, passes: passes.filter((p) => p <= step.at), at: step.at });
      timings['model'] = (timings['model'] ?? 0) + performance.now() - modelStarted;
      for (const address of addresses) {
        const key = slotKeyOf(address.slotClass, address.clientId, address.host);
        const actual = await slots.list(address);
        const predicted = model.slots.get(key) ?? [];
        expect(
          actual.map((v) => [v.backup?.sessionId, v.writtenAt.toISOString()]),
          `${key} after the pass of ${step.at.toISOString()}`,
        ).toEqual(predicted.map((v) => [v.backup.sessionId, v.writtenAt.toISOString()]));
      }
      for (const host of Object.values(HOSTS)) {
        const contract = contractRestorePoints(
          done.filter((c) => c.host === host),
          step.at,
        );
        const daily = (model.slots.get(slotKeyOf('daily', CLIENT, host)) ?? []).map((v) => v.backup.sessionId);
        const weekly = (model.slots.get(slotKeyOf('weekly', CLIENT, host)) ?? []).map((v) => v.backup.sessionId);
        expect(daily, `${host}: the contract's days on ${step.at.toISOString()}`).toEqual(expect.arrayContaining(contract.daily.map((b) => b.sessionId)));
        expect(weekly, `${host}: the contract's weeks on ${step.at.toISOString()}`).toEqual(expect.arrayContaining(contract.weekly.map((b) => b.sessionId)));
        if (done.some((c) => c.host === host && c.kind === 'scheduled' && c.committedAt < paris(-1 + 8, 0))) {
          expect(contract.daily.length).toBeGreaterThan(0);
        }
      }
      // The outage: once the lifecycle has dealt with the last commit before it (two nights), nothing of srv-compta goes.
      const outageEnd = paris(OUTAGE.to + 1, 0);
      if (step.at.getTime() > lastComptaCommitBeforeOutage + 2 * 86_400_000 && step.at <= outageEnd) {
        expect(report.actions.filter((a) => comptaKeys.has(a.key)), `nothing of srv-compta expires on ${step.at.toISOString()}`).toEqual([]);
        const sessions = [...comptaKeys].map((key) => (model.slots.get(key) ?? []).map((v) => v.backup.sessionId).join(',')).join('|');
        comptaDuringOutage.push({ at: step.at, sessions });
      }
    }

    // The outage spanned many nights, and srv-compta's restore points were the same on every one of them.
    expect(comptaDuringOutage.length).toBeGreaterThanOrEqual(27);
    expect(new Set(comptaDuringOutage.map((n) => n.sessions)).size).toBe(1);
    // Every situation the scenario means to play happened.
    expect(nights).toBeGreaterThanOrEqual(DAYS);
    for (const seen of ['daily:new', 'daily:replaces', 'daily:outranked', 'daily:already-written', 'weekly:replaces', 'adhoc:new', 'adhoc:already-written']) {
      expect(outcomes.get(seen) ?? 0, seen).toBeGreaterThan(0);
    }
    timings['simulation'] = performance.now() - started;
    console.info(
      `retention simulation: ${planned.length} backups, ${done.length} commits, ${nights} nights; synth ${Math.round(timings['synth']!)} ms, simulation ${Math.round(timings['simulation'])} ms (model ${Math.round(timings['model'] ?? 0)} ms)`,
    );
  });
});
