import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  ListPartsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { LifecycleRule } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RuntimeClock } from '../../../../infra/local/clock';
import { applyLifecycle, startS3Server } from '../../../../infra/local/s3';
import type { S3Server } from '../../../../infra/local/s3';
import { bodyBytes, bodyText, failure, localClient, mergeVersions, sha256 } from './conformance';

/** Behaviour only the local server has (restarts, on-demand lifecycle) or that needs its configuration. */

const DAY = 24 * 3600 * 1000;
const dirs: string[] = [];
const servers: S3Server[] = [];
const clients: S3Client[] = [];

async function start(
  options: { dataDir?: string; credentials?: { accessKeyId: string; secretAccessKey: string }; logger?: (l: string) => void; clock?: RuntimeClock } = {},
) {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'vigie-s3-local-')));
  if (!dirs.includes(dataDir)) dirs.push(dataDir);
  const server = await startS3Server({ dataDir, ...options });
  servers.push(server);
  const client = localClient(server.endpoint, options.credentials);
  clients.push(client);
  return { dataDir, server, s3: client };
}

afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  for (const server of servers.splice(0)) await server.close();
});

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function versioned(s3: S3Client, bucket: string): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}

describe('local S3 server', () => {
  it('keeps buckets, versions, delete markers, lifecycle rules and uploads across a restart', async () => {
    const first = await start();
    await versioned(first.s3, 'backups');
    const big = randomBytes(2 * 1024 * 1024);
    const v1 = await first.s3.send(new PutObjectCommand({ Bucket: 'backups', Key: 'snapshots/daily/c1/h1', Body: big, Metadata: { n: '1' } }));
    const v2 = await first.s3.send(new PutObjectCommand({ Bucket: 'backups', Key: 'snapshots/daily/c1/h1', Body: 'second' }));
    const marker = await first.s3.send(new DeleteObjectCommand({ Bucket: 'backups', Key: 'snapshots/daily/c1/h1' }));
    await first.s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'backups',
        LifecycleConfiguration: { Rules: [{ ID: 'staging', Status: 'Enabled', Filter: { Prefix: 'staging/' }, Expiration: { Days: 1 } }] },
      }),
    );
    const upload = await first.s3.send(new CreateMultipartUploadCommand({ Bucket: 'backups', Key: 'packs/c1/p1' }));
    await first.s3.send(new UploadPartCommand({ Bucket: 'backups', Key: 'packs/c1/p1', UploadId: upload.UploadId, PartNumber: 1, Body: 'part' }));
    first.s3.destroy();
    await first.server.close();

    const second = await start({ dataDir: first.dataDir });
    expect(second.server.port).not.toBe(0);
    const { s3 } = second;
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['backups']);
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'backups' }))).Status).toBe('Enabled');
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'backups' }));
    expect(versions.Versions?.map((v) => v.VersionId)).toEqual([v2.VersionId, v1.VersionId]);
    expect(versions.DeleteMarkers?.map((d) => [d.VersionId, d.IsLatest])).toEqual([[marker.VersionId, true]]);
    const old = await s3.send(new GetObjectCommand({ Bucket: 'backups', Key: 'snapshots/daily/c1/h1', VersionId: v1.VersionId }));
    expect(old.Metadata).toEqual({ n: '1' });
    expect(sha256(await bodyBytes(old))).toBe(sha256(big));
    const rules = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'backups' }));
    expect(rules.Rules?.map((r) => r.ID)).toEqual(['staging']);
    const parts = await s3.send(new ListPartsCommand({ Bucket: 'backups', Key: 'packs/c1/p1', UploadId: upload.UploadId }));
    expect(parts.Parts?.map((p) => p.PartNumber)).toEqual([1]);
  });

  it('behaves like S3 when versioning is suspended: one "null" version, null delete markers', async () => {
    const { s3 } = await start();
    await versioned(s3, 'suspended');
    const v1 = await s3.send(new PutObjectCommand({ Bucket: 'suspended', Key: 'k', Body: 'v1' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'suspended', VersioningConfiguration: { Status: 'Suspended' } }));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: 'suspended' }))).Status).toBe('Suspended');
    await s3.send(new PutObjectCommand({ Bucket: 'suspended', Key: 'k', Body: 'n1' }));
    await s3.send(new PutObjectCommand({ Bucket: 'suspended', Key: 'k', Body: 'n2' }));
    let listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'suspended' }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([
      ['null', true],
      [v1.VersionId, false],
    ]);
    expect(await bodyText(await s3.send(new GetObjectCommand({ Bucket: 'suspended', Key: 'k' })))).toBe('n2');
    const deleted = await s3.send(new DeleteObjectCommand({ Bucket: 'suspended', Key: 'k' }));
    expect([deleted.DeleteMarker, deleted.VersionId]).toEqual([true, 'null']);
    listed = await s3.send(new ListObjectVersionsCommand({ Bucket: 'suspended' }));
    expect(listed.Versions?.map((v) => v.VersionId)).toEqual([v1.VersionId]);
    expect(listed.DeleteMarkers?.map((d) => [d.VersionId, d.IsLatest])).toEqual([['null', true]]);
  });

  describe('signatures', () => {
    const credentials = { accessKeyId: 'AKIAVIGIETEST', secretAccessKey: 'right-secret' };

    it('rejects a wrong secret, an unknown access key and anonymous requests when credentials are set', async () => {
      const { server, s3 } = await start({ credentials });
      await s3.send(new CreateBucketCommand({ Bucket: 'signed' }));
      const wrongSecret = localClient(server.endpoint, { ...credentials, secretAccessKey: 'wrong' });
      clients.push(wrongSecret);
      const bad = await failure(wrongSecret.send(new ListObjectsV2Command({ Bucket: 'signed' })));
      expect(bad.name).toBe('SignatureDoesNotMatch');
      expect(bad.$metadata.httpStatusCode).toBe(403);
      const badPut = await failure(wrongSecret.send(new PutObjectCommand({ Bucket: 'signed', Key: 'k', Body: 'x' })));
      expect(badPut.name).toBe('SignatureDoesNotMatch');
      const unknown = localClient(server.endpoint, { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'right-secret' });
      clients.push(unknown);
      expect((await failure(unknown.send(new ListObjectsV2Command({ Bucket: 'signed' })))).name).toBe('InvalidAccessKeyId');
      const anonymous = await fetch(`${server.endpoint}/signed?list-type=2`);
      expect(anonymous.status).toBe(403);
      expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
    });

    it('accepts any signature without credentials, but still checks a claimed body hash', async () => {
      const { server, s3 } = await start();
      await s3.send(new CreateBucketCommand({ Bucket: 'open' }));
      const anyone = localClient(server.endpoint, { accessKeyId: 'whoever', secretAccessKey: 'whatever' });
      clients.push(anyone);
      await anyone.send(new PutObjectCommand({ Bucket: 'open', Key: 'k', Body: 'ok' }));
      expect((await fetch(`${server.endpoint}/open/k`)).status).toBe(200);
      const lying = await fetch(`${server.endpoint}/open/k2`, {
        method: 'PUT',
        body: 'tampered',
        headers: { 'x-amz-content-sha256': createHash('sha256').update('original').digest('hex') },
      });
      expect(lying.status).toBe(400);
      expect(await lying.text()).toContain('<Code>XAmzContentSHA256Mismatch</Code>');
    });

    it('decodes aws-chunked bodies from a client left on default checksums', async () => {
      const { server, s3 } = await start({ credentials });
      await s3.send(new CreateBucketCommand({ Bucket: 'chunked' }));
      const defaults = new S3Client({ endpoint: server.endpoint, region: 'eu-west-1', forcePathStyle: true, credentials });
      clients.push(defaults);
      const data = randomBytes(300 * 1024);
      await defaults.send(new PutObjectCommand({ Bucket: 'chunked', Key: 'stream', Body: Readable.from([data]), ContentLength: data.length }));
      await defaults.send(new PutObjectCommand({ Bucket: 'chunked', Key: 'buffer', Body: data }));
      for (const key of ['stream', 'buffer']) {
        const back = await s3.send(new GetObjectCommand({ Bucket: 'chunked', Key: key }));
        expect(back.ContentEncoding).toBeUndefined();
        expect(sha256(await bodyBytes(back))).toBe(sha256(data));
      }
    });
  });

  it('logs one line per request', async () => {
    const lines: string[] = [];
    const { s3 } = await start({ logger: (line) => lines.push(line) });
    await s3.send(new CreateBucketCommand({ Bucket: 'logged' }));
    await failure(s3.send(new GetObjectCommand({ Bucket: 'logged', Key: 'missing' })));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^[0-9A-F]{16} GET \/logged\/missing 404 \d+ms$/);
  });
});

describe('lifecycle applied on demand', () => {
  let server: S3Server;
  let s3: S3Client;
  let dataDir: string;
  const bucket = 'lifecycle';

  const rules: LifecycleRule[] = [
    {
      ID: 'daily',
      Status: 'Enabled',
      Filter: { Prefix: 'snapshots/daily/' },
      NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 6 },
    },
    {
      ID: 'weekly',
      Status: 'Enabled',
      Filter: { Prefix: 'snapshots/weekly/' },
      NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 2 },
    },
    { ID: 'packs', Status: 'Enabled', Filter: { Prefix: 'packs/' }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
    { ID: 'staging', Status: 'Enabled', Filter: { Prefix: 'staging/' }, Expiration: { Days: 1 } },
    { ID: 'markers', Status: 'Enabled', Filter: { Prefix: 'markers/' }, Expiration: { ExpiredObjectDeleteMarker: true } },
    { ID: 'tagged', Status: 'Enabled', Filter: { Tag: { Key: 'tmp', Value: 'yes' } }, Expiration: { Days: 1 } },
    { ID: 'disabled', Status: 'Disabled', Filter: { Prefix: 'keep/' }, Expiration: { Days: 1 } },
    { ID: 'mpu', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
  ];

  const versionsOf = async (key: string) =>
    mergeVersions(await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key })));

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vigie-s3-lifecycle-'));
    server = await startS3Server({ dataDir });
    s3 = localClient(server.endpoint);
    await versioned(s3, bucket);
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }));
  });

  afterAll(async () => {
    s3.destroy();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the current daily version and 6 newer noncurrent ones, once the noncurrent day has passed', async () => {
    const key = 'snapshots/daily/c1/srv1';
    const ids: string[] = [];
    for (let n = 1; n <= 10; n++) ids.push((await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `day ${n}` }))).VersionId ?? '');
    const weekly: string[] = [];
    for (let n = 1; n <= 5; n++) weekly.push((await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'snapshots/weekly/c1/srv1', Body: `week ${n}` }))).VersionId ?? '');

    const now = new Date();
    const tooEarly = await server.applyLifecycle(bucket, now);
    expect(tooEarly.actions.filter((a) => a.action === 'ExpireNoncurrentVersion')).toEqual([]);
    expect(await versionsOf(key)).toHaveLength(10);

    const later = await server.applyLifecycle(bucket, new Date(now.getTime() + 2 * DAY));
    const expired = later.actions.filter((a) => a.action === 'ExpireNoncurrentVersion');
    expect(expired.filter((a) => a.key === key).map((a) => [a.versionId, a.ruleId])).toEqual(
      ids.slice(0, 3).reverse().map((id) => [id, 'daily']),
    );
    expect((await versionsOf(key)).map((v) => v.VersionId)).toEqual(ids.slice(3).reverse());
    expect((await versionsOf('snapshots/weekly/c1/srv1')).map((v) => v.VersionId)).toEqual(weekly.slice(2).reverse());
    expect(await bodyText(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })))).toBe('day 10');
  });

  it('counts versions, not age: a slot that stopped receiving backups keeps all it has', async () => {
    const key = 'snapshots/daily/c2/dead-server';
    for (let n = 1; n <= 4; n++) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `day ${n}` }));
    await server.applyLifecycle(bucket, new Date(Date.now() + 365 * DAY));
    expect(await versionsOf(key)).toHaveLength(4);
  });

  it('expires noncurrent packs only after their safety window', async () => {
    const key = 'packs/c1/abc';
    const first = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'pack' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    await server.applyLifecycle(bucket, new Date(Date.now() + 29 * DAY));
    expect((await versionsOf(key)).map((v) => v.VersionId)).toContain(first.VersionId);
    await server.applyLifecycle(bucket, new Date(Date.now() + 32 * DAY));
    const left = await versionsOf(key);
    expect(left.map((v) => v.deleteMarker)).toEqual([true]);
  });

  it('expires current staging objects with a delete marker and leaves other prefixes, tag and disabled rules alone', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'staging/c1/manifest', Body: 'm' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'keep/c1/file', Body: 'k' }));
    const at = new Date(Date.now() + 2 * DAY);
    const report = await applyLifecycle(dataDir, bucket, at);
    const staging = report.actions.find((a) => a.key === 'staging/c1/manifest');
    expect(staging).toMatchObject({ action: 'ExpireCurrentVersion', ruleId: 'staging' });
    expect(staging?.deleteMarkerVersionId).toBeTruthy();
    expect(report.actions.some((a) => a.key.startsWith('keep/'))).toBe(false);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'staging/' }));
    expect(listed.KeyCount).toBe(0);
    const versions = await versionsOf('staging/c1/manifest');
    expect(versions.map((v) => v.deleteMarker)).toEqual([false, true]);
    expect(versions.find((v) => v.deleteMarker)?.LastModified?.toISOString()).toBe(at.toISOString());
    expect(await bodyText(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'keep/c1/file' })))).toBe('k');
  });

  it('removes expired object delete markers and aborts old incomplete multipart uploads', async () => {
    const v = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'markers/x', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'markers/x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'markers/x', VersionId: v.VersionId }));
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'packs/c1/in-flight' }));
    const report = await server.applyLifecycle(bucket, new Date(Date.now() + 2 * DAY));
    expect(report.actions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'RemoveExpiredDeleteMarker', key: 'markers/x', ruleId: 'markers' }),
        expect.objectContaining({ action: 'AbortIncompleteMultipartUpload', key: 'packs/c1/in-flight', uploadId: upload.UploadId }),
      ]),
    );
    expect(await versionsOf('markers/x')).toEqual([]);
    const gone = await failure(s3.send(new ListPartsCommand({ Bucket: bucket, Key: 'packs/c1/in-flight', UploadId: upload.UploadId })));
    expect(gone.name).toBe('NoSuchUpload');
  });

  it('deletes expired current objects outright in an unversioned bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'plain-lifecycle' }));
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'plain-lifecycle',
        LifecycleConfiguration: { Rules: [{ ID: 'all', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 3 } }] },
      }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'plain-lifecycle', Key: 'old', Body: 'o' }));
    expect((await server.applyLifecycle('plain-lifecycle', new Date(Date.now() + 2 * DAY))).actions).toEqual([]);
    const report = await server.applyLifecycle('plain-lifecycle', new Date(Date.now() + 4 * DAY));
    expect(report.actions).toEqual([{ action: 'ExpireCurrentVersion', key: 'old', versionId: 'null', ruleId: 'all' }]);
    const versions = await s3.send(new ListObjectVersionsCommand({ Bucket: 'plain-lifecycle' }));
    expect(mergeVersions(versions)).toEqual([]);
  });
});

describe('lifecycle timing on the server clock', () => {
  it('counts NoncurrentDays from when a version was first overwritten, even after that successor is deleted', async () => {
    const clock = new RuntimeClock({ startAt: new Date('2026-01-01T10:00:00Z'), scale: 0 });
    const { server, s3 } = await start({ clock });
    await versioned(s3, 'timing');
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'timing',
        LifecycleConfiguration: { Rules: [{ ID: 'two-days', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 2 } }] },
      }),
    );
    const key = 'snapshots/daily/c1/h1';
    const put = async (body: string) => (await s3.send(new PutObjectCommand({ Bucket: 'timing', Key: key, Body: body }))).VersionId!;
    const v1 = await put('v1');
    clock.set(new Date('2026-01-01T12:00:00Z'));
    const v2 = await put('v2'); // v1 noncurrent since 01-01 12:00: due 01-03 12:00, rounded up to 01-04 00:00 UTC
    clock.set(new Date('2026-01-05T10:00:00Z'));
    const v3 = await put('v3');
    await s3.send(new DeleteObjectCommand({ Bucket: 'timing', Key: key, VersionId: v2 }));

    const report = await server.applyLifecycle('timing'); // at the clock's now
    expect(report.at).toBe('2026-01-05T10:00:00.000Z');
    expect(report.actions).toEqual([{ action: 'ExpireNoncurrentVersion', key, versionId: v1, ruleId: 'two-days' }]);
    const left = mergeVersions(await s3.send(new ListObjectVersionsCommand({ Bucket: 'timing', Prefix: key })));
    expect(left.map((v) => v.VersionId)).toEqual([v3]);
    expect(left[0]?.LastModified?.toISOString()).toBe('2026-01-05T10:00:00.000Z');
  });

  it('makes a version current again when its successor is deleted, and counts afresh from the next overwrite', async () => {
    const clock = new RuntimeClock({ startAt: new Date('2026-02-01T10:00:00Z'), scale: 0 });
    const { server, s3 } = await start({ clock });
    await versioned(s3, 'timing');
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: 'timing',
        LifecycleConfiguration: { Rules: [{ ID: 'one-day', Status: 'Enabled', Filter: { Prefix: '' }, NoncurrentVersionExpiration: { NoncurrentDays: 1 } }] },
      }),
    );
    const put = async (body: string) => (await s3.send(new PutObjectCommand({ Bucket: 'timing', Key: 'k', Body: body }))).VersionId!;
    const w1 = await put('w1');
    const w2 = await put('w2');
    await s3.send(new DeleteObjectCommand({ Bucket: 'timing', Key: 'k', VersionId: w2 })); // w1 is current again
    clock.set(new Date('2026-02-10T10:00:00Z'));
    expect((await server.applyLifecycle('timing')).actions).toEqual([]);
    const w3 = await put('w3'); // w1 noncurrent since 02-10 10:00: due 02-12 00:00 UTC
    expect((await server.applyLifecycle('timing', new Date('2026-02-11T23:59:59Z'))).actions).toEqual([]);
    expect((await server.applyLifecycle('timing', new Date('2026-02-12T00:00:00Z'))).actions.map((a) => a.versionId)).toEqual([w1]);
    expect(mergeVersions(await s3.send(new ListObjectVersionsCommand({ Bucket: 'timing' }))).map((v) => v.VersionId)).toEqual([w3]);
  });
});
