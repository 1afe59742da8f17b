import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3Server } from '../../../../infra/local/s3';
import type { S3Server } from '../../../../infra/local/s3';
import { S3SnapshotSlots, backupOfMetadata, slotMetadata } from '../../../../shared/adapters/s3/snapshot-slots';
import { commitToSlots } from '../../../../shared/domain/backup/slot-policy';
import { describeSnapshotSlots } from './snapshot-slots.contract';

const credentials = { accessKeyId: 'AKIAVIGIESLOTS', secretAccessKey: 'slots-secret' };
const BUCKET = 'vigie-backup';

async function localBucket(): Promise<{ server: S3Server; s3: S3Client; dataDir: string; close(): Promise<void> }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'vigie-slots-'));
  const server = await startS3Server({ dataDir, credentials });
  const s3 = new S3Client({
    endpoint: server.endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
  return {
    server,
    s3,
    dataDir,
    async close() {
      s3.destroy();
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

describeSnapshotSlots('S3 adapter over the local S3 server', async () => {
  const local = await localBucket();
  const slots = new S3SnapshotSlots(local.s3, BUCKET);
  return {
    slots,
    stage: async (key, body) => void (await local.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }))),
    foreign: async (slot) => void (await local.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: slots.keyOf(slot), Body: 'not a commit' }))),
    teardown: () => local.close(),
  };
});

describe('S3SnapshotSlots', () => {
  let local: Awaited<ReturnType<typeof localBucket>>;
  beforeAll(async () => {
    local = await localBucket();
  });
  afterAll(async () => local?.close());

  const backup = { sessionId: '01JSESSIONAAAAAAAAAAAAAAAA', snapshotId: 'a'.repeat(64), startedAt: new Date('2026-03-29T00:30:00.000Z'), partial: false };

  it('copies the staged manifest inside S3, bytes unchanged, metadata replaced by the backup', async () => {
    await local.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'staging/c1/s1/manifest', Body: 'header+manifest', Metadata: { agent: 'x' } }));
    const slots = new S3SnapshotSlots(local.s3, BUCKET);
    const address = { slotClass: 'daily' as const, clientId: 'c1', host: 'srv-compta' };
    const written = await slots.write(address, 'staging/c1/s1/manifest', backup);
    const got = await local.s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'snapshots/daily/c1/srv-compta', VersionId: written.versionId }));
    expect(await got.Body?.transformToString()).toBe('header+manifest');
    expect(got.Metadata).toEqual({
      'vigie-session-id': backup.sessionId,
      'vigie-snapshot-id': backup.snapshotId,
      'vigie-started-at': '2026-03-29T00:30:00.000Z',
      'vigie-day': '2026-03-29', // 01:30 in Paris, the night the clocks go forward
      'vigie-week': '2026-W13',
      'vigie-partial': 'false',
    });
    const [listed] = await slots.list(address);
    expect(listed).toMatchObject({ versionId: written.versionId, size: 'header+manifest'.length, latest: true });
  });

  it('reads back what it writes and refuses metadata that is not all ours', () => {
    expect(backupOfMetadata(slotMetadata(backup))).toEqual({ ...backup, day: '2026-03-29', week: '2026-W13' });
    expect(backupOfMetadata({ ...slotMetadata(backup), 'vigie-partial': 'maybe' })).toBeUndefined();
    expect(backupOfMetadata({ ...slotMetadata(backup), 'vigie-started-at': 'yesterday' })).toBeUndefined();
    const { 'vigie-session-id': _gone, ...noSession } = slotMetadata(backup);
    expect(backupOfMetadata(noSession)).toBeUndefined();
    expect(backupOfMetadata(undefined)).toBeUndefined();
  });

  it('HEADs each version once: a slot listed again costs one request', async () => {
    const slots = new S3SnapshotSlots(local.s3, BUCKET);
    const address = { slotClass: 'weekly' as const, clientId: 'c2', host: 'srv' };
    await local.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'staging/c2/s/manifest', Body: 'm' }));
    for (let i = 0; i < 3; i++) await slots.write(address, 'staging/c2/s/manifest', { ...backup, sessionId: `01JSESSIONBBBBBBBBBBBBBBB${i}` });
    const fresh = new S3SnapshotSlots(local.s3, BUCKET);
    const sent: string[] = [];
    local.s3.middlewareStack.add((next, context) => async (args) => {
      sent.push(context.commandName ?? '');
      return next(args);
    }, { step: 'initialize', name: 'countCommands' });
    try {
      await fresh.list(address);
      expect(sent.filter((c) => c === 'HeadObjectCommand')).toHaveLength(3);
      sent.length = 0;
      expect(await fresh.list(address)).toHaveLength(3);
      expect(sent).toEqual(['ListObjectVersionsCommand']);
    } finally {
      local.s3.middlewareStack.remove('countCommands');
    }
  });

  it('commits through the slot policy: daily and weekly written once, a repeated commit writes nothing', async () => {
    const slots = new S3SnapshotSlots(local.s3, BUCKET);
    await local.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'staging/c3/s1/manifest', Body: 'm1' }));
    const commit = { clientId: 'c3', host: 'srv', kind: 'scheduled' as const, stagedKey: 'staging/c3/s1/manifest', backup };
    const first = await commitToSlots(slots, commit);
    expect(first.map((r) => [r.slotClass, r.outcome])).toEqual([
      ['daily', 'new'],
      ['weekly', 'new'],
    ]);
    const again = await commitToSlots(slots, commit);
    expect(again.map((r) => [r.slotClass, r.outcome, r.versionId])).toEqual(first.map((r) => [r.slotClass, 'already-written', r.versionId]));
    const head = await local.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'snapshots/weekly/c3/srv' }));
    expect(head.VersionId).toBe(first[1]?.versionId);
  });
});
