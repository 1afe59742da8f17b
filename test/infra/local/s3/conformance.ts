/**
 * S3 conformance suite: the behaviour Vigie relies on, written against the S3 API only, so it runs
 * against the local server (s3-server.test.ts) and could run unchanged against real S3 given a client
 * factory and two existing buckets (one never versioned).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
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
import type { ListObjectVersionsCommandOutput, ObjectVersion } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

export interface S3ConformanceTarget {
  /** A client for the target; must use requestChecksumCalculation/responseChecksumValidation 'WHEN_REQUIRED'. */
  makeClient(): S3Client;
  /** An existing bucket; the suite enables versioning on it. */
  versionedBucket: string;
  /** An existing bucket that has never been versioned. */
  unversionedBucket: string;
  /** Whether bad signatures are rejected (real S3: yes; the local server: when started with credentials). */
  checksSignatures: boolean;
  teardown?(): Promise<void>;
}

export interface S3ErrorLike {
  name: string;
  message: string;
  $metadata: { httpStatusCode?: number };
  $response?: { headers: Record<string, string | undefined> };
}

export async function failure(promise: Promise<unknown>): Promise<S3ErrorLike> {
  try {
    await promise;
  } catch (error) {
    return error as S3ErrorLike;
  }
  throw new Error('expected the call to fail');
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function bodyBytes(output: { Body?: { transformToByteArray(): Promise<Uint8Array> } }): Promise<Buffer> {
  if (!output.Body) throw new Error('no body');
  return Buffer.from(await output.Body.transformToByteArray());
}

export async function bodyText(output: { Body?: { transformToString(): Promise<string> } }): Promise<string> {
  if (!output.Body) throw new Error('no body');
  return output.Body.transformToString();
}

export function describeS3Conformance(name: string, setup: () => Promise<S3ConformanceTarget>): void {
  describe(`S3 conformance: ${name}`, () => {
    let target: S3ConformanceTarget;
    let s3: S3Client;
    let bucket: string;
    let plain: string;
    const run = `conformance/${randomUUID()}/`;
    let counter = 0;
    /** A fresh key prefix per test, so the suite can share a bucket with other data. */
    const fresh = (label: string): string => `${run}${++counter}-${label}/`;

    const put = async (key: string, body: string | Uint8Array, on = bucket) =>
      s3.send(new PutObjectCommand({ Bucket: on, Key: key, Body: body }));
    const get = async (key: string, versionId?: string, on = bucket) =>
      s3.send(new GetObjectCommand({ Bucket: on, Key: key, ...(versionId === undefined ? {} : { VersionId: versionId }) }));
    const text = async (key: string, versionId?: string, on = bucket) => bodyText(await get(key, versionId, on));
    const allVersions = async (prefix: string, on = bucket): Promise<Array<ObjectVersion & { deleteMarker: boolean }>> => {
      const out = await s3.send(new ListObjectVersionsCommand({ Bucket: on, Prefix: prefix }));
      return mergeVersions(out);
    };

    beforeAll(async () => {
      target = await setup();
      s3 = target.makeClient();
      bucket = target.versionedBucket;
      plain = target.unversionedBucket;
      await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    });

    afterAll(async () => {
      if (!s3) return;
      for (const on of [bucket, plain]) {
        let keyMarker: string | undefined;
        let versionIdMarker: string | undefined;
        for (;;) {
          const page = await s3.send(
            new ListObjectVersionsCommand({ Bucket: on, Prefix: run, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
          );
          const doomed = mergeVersions(page).map((v) => ({ Key: v.Key, VersionId: v.VersionId }));
          if (doomed.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: on, Delete: { Objects: doomed, Quiet: true } }));
          if (!page.IsTruncated) break;
          keyMarker = page.NextKeyMarker;
          versionIdMarker = page.NextVersionIdMarker;
        }
      }
      s3.destroy();
      await target.teardown?.();
    });

    describe('buckets', () => {
      it('reports versioning Enabled on the versioned bucket and nothing on the other', async () => {
        expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
        expect((await s3.send(new GetBucketVersioningCommand({ Bucket: plain }))).Status).toBeUndefined();
      });

      it('creates, heads, lists and deletes a bucket; refuses a second create and a non-empty delete', async () => {
        const name = `vigie-conf-${randomBytes(6).toString('hex')}`;
        await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
        try {
          await s3.send(new HeadBucketCommand({ Bucket: name }));
          const listed = await s3.send(new ListBucketsCommand({}));
          expect(listed.Buckets?.map((b) => b.Name)).toContain(name);
          const again = await failure(s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
          expect(again.name).toBe('BucketAlreadyOwnedByYou');
          expect(again.$metadata.httpStatusCode).toBe(409);
          await put('x', 'x', name);
          const notEmpty = await failure(s3.send(new DeleteBucketCommand({ Bucket: name })));
          expect(notEmpty.name).toBe('BucketNotEmpty');
          expect(notEmpty.$metadata.httpStatusCode).toBe(409);
          await s3.send(new DeleteObjectCommand({ Bucket: name, Key: 'x' }));
        } finally {
          await s3.send(new DeleteBucketCommand({ Bucket: name }));
        }
        const gone = await failure(s3.send(new HeadBucketCommand({ Bucket: name })));
        expect(gone.$metadata.httpStatusCode).toBe(404);
        const noBucket = await failure(s3.send(new GetObjectCommand({ Bucket: name, Key: 'x' })));
        expect(noBucket.name).toBe('NoSuchBucket');
        expect(noBucket.$metadata.httpStatusCode).toBe(404);
      });
    });

    describe('versioned objects', () => {
      it('gives each PUT a version id, serves the latest, and any version by id (GET and HEAD)', async () => {
        const key = `${fresh('put-get')}slot`;
        const v1 = await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'one', ContentType: 'text/plain', Metadata: { snapshot: 'day-1' } }),
        );
        const v2 = await put(key, 'two!');
        expect(v1.VersionId).toBeTruthy();
        expect(v2.VersionId).toBeTruthy();
        expect(v2.VersionId).not.toBe(v1.VersionId);
        expect(v1.ETag).toBe(`"${createHash('md5').update('one').digest('hex')}"`);

        const latest = await get(key);
        expect(await bodyText(latest)).toBe('two!');
        expect(latest.VersionId).toBe(v2.VersionId);
        expect(latest.ETag).toBe(v2.ETag);

        const first = await get(key, v1.VersionId);
        expect(await bodyText(first)).toBe('one');
        expect(first.ContentType).toBe('text/plain');
        expect(first.Metadata).toEqual({ snapshot: 'day-1' });
        expect(first.VersionId).toBe(v1.VersionId);

        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: v1.VersionId }));
        expect(head.ContentLength).toBe(3);
        expect(head.ETag).toBe(v1.ETag);
        expect(head.Metadata).toEqual({ snapshot: 'day-1' });
        expect(head.LastModified).toBeInstanceOf(Date);
        const headLatest = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        expect(headLatest.VersionId).toBe(v2.VersionId);
        expect(headLatest.ContentLength).toBe(4);
      });

      it('hides a deleted key behind a delete marker and restores it when the marker is deleted', async () => {
        const key = `${fresh('delete-marker')}slot`;
        const v1 = await put(key, 'kept');
        const deleted = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        expect(deleted.DeleteMarker).toBe(true);
        expect(deleted.VersionId).toBeTruthy();

        const missing = await failure(get(key));
        expect(missing.name).toBe('NoSuchKey');
        expect(missing.$metadata.httpStatusCode).toBe(404);
        expect(missing.$response?.headers['x-amz-delete-marker']).toBe('true');
        const headMissing = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
        expect(headMissing.$metadata.httpStatusCode).toBe(404);

        expect(await text(key, v1.VersionId)).toBe('kept');
        const onMarker = await failure(get(key, deleted.VersionId));
        expect(onMarker.$metadata.httpStatusCode).toBe(405);
        expect(onMarker.name).toBe('MethodNotAllowed');
        const headOnMarker = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, VersionId: deleted.VersionId })));
        expect(headOnMarker.$metadata.httpStatusCode).toBe(405);

        const listed = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }));
        expect(listed.DeleteMarkers?.map((d) => [d.Key, d.VersionId, d.IsLatest])).toEqual([[key, deleted.VersionId, true]]);
        expect(listed.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual([[key, v1.VersionId, false]]);

        const undo = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: deleted.VersionId }));
        expect(undo.DeleteMarker).toBe(true);
        expect(undo.VersionId).toBe(deleted.VersionId);
        expect(await text(key)).toBe('kept');
      });

      it('removes one version for good when deleted by id; the previous one becomes current', async () => {
        const key = `${fresh('delete-version')}slot`;
        const v1 = await put(key, 'v1');
        const v2 = await put(key, 'v2');
        const removed = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: v2.VersionId }));
        expect(removed.VersionId).toBe(v2.VersionId);
        expect(removed.DeleteMarker).toBeUndefined();
        expect(await text(key)).toBe('v1');
        const gone = await failure(get(key, v2.VersionId));
        expect(gone.name).toBe('NoSuchVersion');
        expect(gone.$metadata.httpStatusCode).toBe(404);
        expect((await allVersions(key)).map((v) => [v.VersionId, v.IsLatest])).toEqual([[v1.VersionId, true]]);
      });

      it('lists versions newest first per key, with IsLatest, and paginates with key/version markers', async () => {
        const prefix = fresh('list-versions');
        const a1 = await put(`${prefix}a`, 'a1');
        const a2 = await put(`${prefix}a`, 'a2');
        const aDel = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${prefix}a` }));
        const a3 = await put(`${prefix}a`, 'a3');
        const b1 = await put(`${prefix}b`, 'b1');
        const c1 = await put(`${prefix}c/d`, 'c1');
        const expectedVersions = [
          [`${prefix}a`, a3.VersionId, true],
          [`${prefix}a`, a2.VersionId, false],
          [`${prefix}a`, a1.VersionId, false],
          [`${prefix}b`, b1.VersionId, true],
          [`${prefix}c/d`, c1.VersionId, true],
        ];
        const expectedMarkers = [[`${prefix}a`, aDel.VersionId, false]];
        const full = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
        expect(full.Versions?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual(expectedVersions);
        expect(full.DeleteMarkers?.map((v) => [v.Key, v.VersionId, v.IsLatest])).toEqual(expectedMarkers);
        expect(full.IsTruncated).toBe(false);
        const version = full.Versions?.find((v) => v.VersionId === a2.VersionId);
        expect(version?.ETag).toBe(a2.ETag);
        expect(version?.Size).toBe(2);

        const pagedVersions: unknown[] = [];
        const pagedMarkers: unknown[] = [];
        let keyMarker: string | undefined;
        let versionIdMarker: string | undefined;
        let pages = 0;
        for (;;) {
          const page = await s3.send(
            new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, MaxKeys: 2, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
          );
          pages++;
          expect((page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0)).toBeLessThanOrEqual(2);
          pagedVersions.push(...(page.Versions ?? []).map((v) => [v.Key, v.VersionId, v.IsLatest]));
          pagedMarkers.push(...(page.DeleteMarkers ?? []).map((v) => [v.Key, v.VersionId, v.IsLatest]));
          if (!page.IsTruncated) break;
          keyMarker = page.NextKeyMarker;
          versionIdMarker = page.NextVersionIdMarker;
        }
        expect(pagedVersions).toEqual(expectedVersions);
        expect(pagedMarkers).toEqual(expectedMarkers);
        expect(pages).toBe(3);

        const rolled = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, Delimiter: '/' }));
        expect(rolled.CommonPrefixes?.map((p) => p.Prefix)).toEqual([`${prefix}c/`]);
        expect(mergeVersions(rolled)).toHaveLength(5);
      });

      it('refuses a malformed version id with InvalidArgument', async () => {
        const key = `${fresh('bad-version')}obj`;
        await put(key, 'x');
        const bad = await failure(get(key, 'not a version id'));
        expect(bad.name).toBe('InvalidArgument');
        expect(bad.$metadata.httpStatusCode).toBe(400);
      });

      it('returns NoSuchKey for a key that never existed', async () => {
        const missing = await failure(get(`${fresh('missing')}nothing`));
        expect(missing.name).toBe('NoSuchKey');
        expect(missing.$metadata.httpStatusCode).toBe(404);
        const head = await failure(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${fresh('missing')}nothing` })));
        expect(head.name).toBe('NotFound');
        expect(head.$metadata.httpStatusCode).toBe(404);
      });
    });

    describe('ListObjectsV2', () => {
      it('lists live keys under a prefix, rolls up by delimiter and paginates', async () => {
        const prefix = fresh('list-v2');
        for (const key of ['a.txt', 'b.txt', 'dir1/x', 'dir1/y', 'dir2/z', 'gone']) await put(`${prefix}${key}`, key);
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${prefix}gone` }));

        const flat = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
        expect(flat.Contents?.map((c) => c.Key?.slice(prefix.length))).toEqual(['a.txt', 'b.txt', 'dir1/x', 'dir1/y', 'dir2/z']);
        expect(flat.KeyCount).toBe(5);
        expect(flat.IsTruncated).toBe(false);
        expect(flat.Contents?.[0]?.Size).toBe(5);
        expect(flat.Contents?.[0]?.ETag).toBe(`"${createHash('md5').update('a.txt').digest('hex')}"`);

        const rolled = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/' }));
        expect(rolled.Contents?.map((c) => c.Key?.slice(prefix.length))).toEqual(['a.txt', 'b.txt']);
        expect(rolled.CommonPrefixes?.map((p) => p.Prefix?.slice(prefix.length))).toEqual(['dir1/', 'dir2/']);

        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await s3.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', MaxKeys: 1, ContinuationToken: token }),
          );
          pages++;
          expect(page.KeyCount).toBe(1);
          seen.push(...(page.Contents ?? []).map((c) => c.Key ?? ''), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix ?? ''));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        expect(seen.map((k) => k.slice(prefix.length))).toEqual(['a.txt', 'b.txt', 'dir1/', 'dir2/']);
        expect(pages).toBe(4);

        const after = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, StartAfter: `${prefix}dir1/x` }));
        expect(after.Contents?.map((c) => c.Key?.slice(prefix.length))).toEqual(['dir1/y', 'dir2/z']);

        const none = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}nothing-here` }));
        expect(none.Contents ?? []).toEqual([]);
        expect(none.KeyCount).toBe(0);
      });
    });

    describe('unversioned bucket', () => {
      it('keeps one "null" version: no version id on PUT, overwrite replaces, delete removes', async () => {
        const key = `${fresh('null-version')}obj`;
        const first = await put(key, 'first', plain);
        expect(first.VersionId).toBeUndefined();
        await put(key, 'second', plain);
        expect(await text(key, undefined, plain)).toBe('second');
        expect(await text(key, 'null', plain)).toBe('second');
        const versions = await allVersions(key, plain);
        expect(versions.map((v) => [v.VersionId, v.IsLatest, v.deleteMarker])).toEqual([['null', true, false]]);
        const deleted = await s3.send(new DeleteObjectCommand({ Bucket: plain, Key: key }));
        expect(deleted.DeleteMarker).toBeUndefined();
        expect(await allVersions(key, plain)).toEqual([]);
        expect((await failure(get(key, undefined, plain))).name).toBe('NoSuchKey');
      });
    });

    describe('conditional and partial requests', () => {
      it('creates only once with If-None-Match: *, and again once the key is deleted', async () => {
        const key = `${fresh('create-only')}pack`;
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'first', IfNoneMatch: '*' }));
        const second = await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'second', IfNoneMatch: '*' })));
        expect(second.name).toBe('PreconditionFailed');
        expect(second.$metadata.httpStatusCode).toBe(412);
        expect(await text(key)).toBe('first');
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'third', IfNoneMatch: '*' }));
        expect(await text(key)).toBe('third');
      });

      it('lets exactly one of several concurrent create-only PUTs win', async () => {
        const key = `${fresh('create-race')}pack`;
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `writer ${i}`, IfNoneMatch: '*' }))),
        );
        const won = attempts.filter((a) => a.status === 'fulfilled');
        expect(won).toHaveLength(1);
        for (const lost of attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected')) {
          // S3 answers 409 ConditionalRequestConflict when the writes overlap in flight.
          expect([409, 412]).toContain((lost.reason as S3ErrorLike).$metadata.httpStatusCode);
        }
        expect(await allVersions(key)).toHaveLength(1);
      });

      it('serves byte ranges with 206 and Content-Range, and refuses unsatisfiable ones', async () => {
        const key = `${fresh('range')}blob`;
        const data = Buffer.from('0123456789abcdefghijklmnopqrstuvwxyz');
        await put(key, data);
        const middle = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=10-19' }));
        expect(middle.$metadata.httpStatusCode).toBe(206);
        expect(middle.ContentRange).toBe(`bytes 10-19/${data.length}`);
        expect(middle.ContentLength).toBe(10);
        expect(await bodyText(middle)).toBe('abcdefghij');
        const suffix = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=-4' }));
        expect(await bodyText(suffix)).toBe('wxyz');
        const open = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=30-' }));
        expect(await bodyText(open)).toBe('uvwxyz');
        const beyond = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=30-1000' }));
        expect(await bodyText(beyond)).toBe('uvwxyz');
        const invalid = await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: 'bytes=100-200' })));
        expect(invalid.name).toBe('InvalidRange');
        expect(invalid.$metadata.httpStatusCode).toBe(416);
      });

      it('honours If-Match / If-None-Match on GET', async () => {
        const key = `${fresh('get-conditions')}obj`;
        const v = await put(key, 'content');
        expect(await bodyText(await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: v.ETag })))).toBe('content');
        const stale = await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: '"0123"' })));
        expect(stale.$metadata.httpStatusCode).toBe(412);
        const same = await failure(s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: v.ETag })));
        expect(same.$metadata.httpStatusCode).toBe(304);
      });
    });

    describe('CopyObject', () => {
      it('copies the latest or a given version into a new version, keeping or replacing metadata', async () => {
        const prefix = fresh('copy');
        const v1 = await s3.send(
          new PutObjectCommand({ Bucket: bucket, Key: `${prefix}staging`, Body: 'manifest-1', ContentType: 'application/x-vigie', Metadata: { host: 'srv1' } }),
        );
        await put(`${prefix}staging`, 'manifest-2');
        const target1 = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}slot`, Body: 'older' }));

        const copied = await s3.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: `${prefix}slot`,
            CopySource: `${bucket}/${encodeURIComponent(`${prefix}staging`)}?versionId=${v1.VersionId}`,
          }),
        );
        expect(copied.VersionId).toBeTruthy();
        expect(copied.VersionId).not.toBe(target1.VersionId);
        expect(copied.CopySourceVersionId).toBe(v1.VersionId);
        expect(copied.CopyObjectResult?.ETag).toBe(v1.ETag);
        const slot = await get(`${prefix}slot`);
        expect(await bodyText(slot)).toBe('manifest-1');
        expect(slot.ContentType).toBe('application/x-vigie');
        expect(slot.Metadata).toEqual({ host: 'srv1' });
        expect(await text(`${prefix}slot`, target1.VersionId)).toBe('older');

        await s3.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: `${prefix}slot`,
            CopySource: `${bucket}/${encodeURIComponent(`${prefix}staging`)}`,
            MetadataDirective: 'REPLACE',
            ContentType: 'text/plain',
            Metadata: { host: 'srv2' },
          }),
        );
        const replaced = await get(`${prefix}slot`);
        expect(await bodyText(replaced)).toBe('manifest-2');
        expect(replaced.ContentType).toBe('text/plain');
        expect(replaced.Metadata).toEqual({ host: 'srv2' });
        expect(await allVersions(`${prefix}slot`)).toHaveLength(3);

        const missing = await failure(
          s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${prefix}x`, CopySource: `${bucket}/${encodeURIComponent(`${prefix}nothing`)}` })),
        );
        expect(missing.name).toBe('NoSuchKey');
      });
    });

    describe('DeleteObjects', () => {
      it('deletes several keys at once, by key (delete markers) and by version (for good)', async () => {
        const prefix = fresh('delete-objects');
        await put(`${prefix}a`, 'a');
        const b = await put(`${prefix}b`, 'b');
        const result = await s3.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            Delete: { Objects: [{ Key: `${prefix}a` }, { Key: `${prefix}b`, VersionId: b.VersionId }] },
          }),
        );
        expect(result.Errors ?? []).toEqual([]);
        const byKey = new Map(result.Deleted?.map((d) => [d.Key, d]));
        expect(byKey.get(`${prefix}a`)?.DeleteMarker).toBe(true);
        expect(byKey.get(`${prefix}a`)?.DeleteMarkerVersionId).toBeTruthy();
        expect(byKey.get(`${prefix}b`)?.VersionId).toBe(b.VersionId);
        expect(byKey.get(`${prefix}b`)?.DeleteMarker).toBeFalsy();
        const left = await allVersions(prefix);
        expect(left.map((v) => [v.Key, v.deleteMarker])).toEqual([
          [`${prefix}a`, false],
          [`${prefix}a`, true],
        ]);
      });
    });

    describe('bodies and keys', () => {
      it('round-trips a few MiB of random bytes exactly', async () => {
        const key = `${fresh('binary')}blob.bin`;
        const data = randomBytes(3 * 1024 * 1024 + 17);
        const out = await put(key, data);
        expect(out.ETag).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
        const back = await get(key);
        expect(back.ContentLength).toBe(data.length);
        expect(sha256(await bodyBytes(back))).toBe(sha256(data));
      });

      it('checks Content-MD5 when sent', async () => {
        const key = `${fresh('md5')}obj`;
        const data = Buffer.from('checked');
        const md5 = createHash('md5').update(data).digest('base64');
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ContentMD5: md5 }));
        const wrong = createHash('md5').update('other').digest('base64');
        const bad = await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ContentMD5: wrong })));
        expect(bad.name).toBe('BadDigest');
        expect(bad.$metadata.httpStatusCode).toBe(400);
      });

      it('handles keys with spaces, unicode, slashes and reserved characters', async () => {
        const prefix = fresh('odd-keys');
        const keys = [
          `${prefix}dossier été/α β/fichier (1)+x&y=z?.txt`,
          `${prefix}C:/Users/Léa/Documents/rapport final.docx`,
          `${prefix}emoji 📦/~tilde%percent#hash`,
          `${prefix}double//slash/ trailing space `,
        ];
        for (const key of keys) await put(key, key);
        for (const key of keys) expect(await text(key)).toBe(key);
        const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
        expect(new Set(listed.Contents?.map((c) => c.Key))).toEqual(new Set(keys));
        const source = keys[0] as string;
        await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${prefix}copy é`, CopySource: `${bucket}/${encodeURIComponent(source)}` }));
        expect(await text(`${prefix}copy é`)).toBe(source);
        const versions = await allVersions(prefix);
        await s3.send(
          new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: versions.map((v) => ({ Key: v.Key, VersionId: v.VersionId })) } }),
        );
        expect(await allVersions(prefix)).toEqual([]);
      });
    });

    describe('presigned URLs', () => {
      it('uploads and downloads with presigned PUT and GET over plain fetch', async () => {
        const key = `${fresh('presigned')}agent upload é.bin`;
        const data = randomBytes(64 * 1024);
        const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
        const uploaded = await fetch(putUrl, { method: 'PUT', body: data });
        expect(uploaded.status).toBe(200);
        expect(uploaded.headers.get('etag')).toBe(`"${createHash('md5').update(data).digest('hex')}"`);
        expect(uploaded.headers.get('x-amz-version-id')).toBeTruthy();

        const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 });
        const downloaded = await fetch(getUrl);
        expect(downloaded.status).toBe(200);
        expect(sha256(Buffer.from(await downloaded.arrayBuffer()))).toBe(sha256(data));
      });

      it('rejects a tampered or expired presigned URL with 403', async (ctx) => {
        if (!target.checksSignatures) ctx.skip();
        const key = `${fresh('presigned-bad')}obj`;
        await put(key, 'secret');
        const url = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 }));
        const signature = url.searchParams.get('X-Amz-Signature') ?? '';
        url.searchParams.set('X-Amz-Signature', `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}`);
        const tampered = await fetch(url);
        expect(tampered.status).toBe(403);
        expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');

        const otherKey = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 300 }));
        otherKey.pathname = `${otherKey.pathname}x`;
        expect((await fetch(otherKey)).status).toBe(403);

        const shortLived = await getSignedUrl(s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: 1 });
        await new Promise((resolve) => setTimeout(resolve, 2100));
        const expired = await fetch(shortLived);
        expect(expired.status).toBe(403);
        expect(await expired.text()).toContain('<Code>AccessDenied</Code>');

        const anonymous = await fetch(`${url.origin}${url.pathname}`);
        expect(anonymous.status).toBe(403);
      });
    });

    describe('presigned PUTs bound to a length, a SHA-256 and create-only (how agents upload)', () => {
      const b64 = (data: Uint8Array) => createHash('sha256').update(data).digest('base64');
      /** As the control plane signs them: length, checksum and If-None-Match all in the signature. */
      const presignCreate = (key: string, data: Uint8Array, checksumAsHeader = true) =>
        getSignedUrl(s3, new PutObjectCommand({ Bucket: bucket, Key: key, ContentLength: data.length, ChecksumSHA256: b64(data), IfNoneMatch: '*' }), {
          expiresIn: 300,
          signableHeaders: new Set(['content-length', 'x-amz-checksum-sha256', 'if-none-match']),
          ...(checksumAsHeader ? { unhoistableHeaders: new Set(['x-amz-checksum-sha256']) } : {}),
        });
      const send = (url: string, body: Uint8Array, headers: Record<string, string>) => fetch(url, { method: 'PUT', body, headers });
      const codeOf = async (response: Response) => /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1];

      it('accepts exactly the signed bytes once, then refuses to overwrite them', async () => {
        const key = `${fresh('bound-put')}pack`;
        const data = randomBytes(4096);
        const url = await presignCreate(key, data);
        const headers = { 'if-none-match': '*', 'x-amz-checksum-sha256': b64(data) };
        const created = await send(url, data, headers);
        expect(created.status).toBe(200);
        const again = await send(url, data, headers);
        expect(again.status).toBe(412);
        expect(await codeOf(again)).toBe('PreconditionFailed');
        expect(sha256(await bodyBytes(await get(key)))).toBe(sha256(data));
        expect(await allVersions(key)).toHaveLength(1);
      });

      it('refuses other bytes of the same length with 400 BadDigest and stores nothing', async () => {
        const key = `${fresh('bound-put-digest')}pack`;
        const data = randomBytes(4096);
        const other = randomBytes(4096);
        const response = await send(await presignCreate(key, data), other, { 'if-none-match': '*', 'x-amz-checksum-sha256': b64(data) });
        expect(response.status).toBe(400);
        expect(await codeOf(response)).toBe('BadDigest');
        expect((await failure(get(key))).name).toBe('NoSuchKey');
      });

      it('refuses another length, another checksum or a missing If-None-Match: they are signed', async (ctx) => {
        if (!target.checksSignatures) ctx.skip();
        const key = `${fresh('bound-put-signed')}pack`;
        const data = randomBytes(4096);
        const url = await presignCreate(key, data);
        const longer = Buffer.concat([data, Buffer.from('x')]);
        expect((await send(url, longer, { 'if-none-match': '*', 'x-amz-checksum-sha256': b64(data) })).status).toBe(403);
        expect((await send(url, longer, { 'if-none-match': '*', 'x-amz-checksum-sha256': b64(longer) })).status).toBe(403);
        expect((await send(url, data, { 'x-amz-checksum-sha256': b64(data) })).status).toBe(403);
        expect((await failure(get(key))).name).toBe('NoSuchKey');
      });

      it('verifies the checksum when the presigner put it in the query string', async () => {
        const key = `${fresh('bound-put-query')}pack`;
        const data = randomBytes(1024);
        const url = await presignCreate(key, data, false);
        expect(new URL(url).searchParams.get('x-amz-checksum-sha256')).toBe(b64(data));
        const bad = await send(url, randomBytes(1024), { 'if-none-match': '*' });
        expect(bad.status).toBe(400);
        expect(await codeOf(bad)).toBe('BadDigest');
        expect((await send(url, data, { 'if-none-match': '*' })).status).toBe(200);
      });

      it('verifies x-amz-checksum-sha256 on an SDK PUT and returns it when asked (ChecksumMode ENABLED)', async () => {
        const key = `${fresh('checksum')}obj`;
        const data = randomBytes(2048);
        const bad = await failure(s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ChecksumSHA256: b64(randomBytes(16)) })));
        expect(bad.$metadata.httpStatusCode).toBe(400);
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ChecksumSHA256: b64(data) }));
        const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
        expect(head.ChecksumSHA256).toBe(b64(data));
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
        expect(got.ChecksumSHA256).toBe(b64(data));
        expect(sha256(await bodyBytes(got))).toBe(sha256(data));
      });
    });

    describe('multipart upload', () => {
      it('assembles parts into one object with an md5-of-md5s-N ETag', async () => {
        const key = `${fresh('multipart')}pack`;
        const part1 = randomBytes(5 * 1024 * 1024);
        const part2 = randomBytes(1024 * 1024 + 3);
        const created = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'application/octet-stream', Metadata: { kind: 'pack' } }));
        const uploadId = created.UploadId;
        expect(uploadId).toBeTruthy();
        const p1 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 1, Body: part1 }));
        const p2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber: 2, Body: part2 }));
        const parts = await s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
        expect(parts.Parts?.map((p) => [p.PartNumber, p.ETag, p.Size])).toEqual([
          [1, p1.ETag, part1.length],
          [2, p2.ETag, part2.length],
        ]);
        const done = await s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
          }),
        );
        const md5s = createHash('md5')
          .update(createHash('md5').update(part1).digest())
          .update(createHash('md5').update(part2).digest())
          .digest('hex');
        expect(done.ETag).toBe(`"${md5s}-2"`);
        expect(done.VersionId).toBeTruthy();
        const back = await get(key);
        expect(back.Metadata).toEqual({ kind: 'pack' });
        expect(sha256(await bodyBytes(back))).toBe(sha256(Buffer.concat([part1, part2])));
      });

      it('refuses a small non-last part, and forgets an aborted upload', async () => {
        const key = `${fresh('multipart-small')}pack`;
        const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
        const p1 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: 'tiny' }));
        const p2 = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 2, Body: 'tail' }));
        const small = await failure(
          s3.send(
            new CompleteMultipartUploadCommand({
              Bucket: bucket,
              Key: key,
              UploadId,
              MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }] },
            }),
          ),
        );
        expect(small.name).toBe('EntityTooSmall');
        await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId }));
        const gone = await failure(s3.send(new ListPartsCommand({ Bucket: bucket, Key: key, UploadId })));
        expect(gone.name).toBe('NoSuchUpload');
        expect(gone.$metadata.httpStatusCode).toBe(404);
      });
    });

    describe('lifecycle configuration', () => {
      it('stores and returns the rules as put', async () => {
        const name = `vigie-conf-lc-${randomBytes(6).toString('hex')}`;
        await s3.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
        try {
          await s3.send(
            new PutBucketLifecycleConfigurationCommand({
              Bucket: name,
              LifecycleConfiguration: {
                Rules: [
                  {
                    ID: 'daily',
                    Status: 'Enabled',
                    Filter: { Prefix: 'snapshots/daily/' },
                    NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 6 },
                  },
                  { ID: 'staging', Status: 'Enabled', Filter: { Prefix: 'staging/' }, Expiration: { Days: 1 } },
                  { ID: 'mpu', Status: 'Enabled', Filter: { Prefix: '' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
                ],
              },
            }),
          );
          const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
          expect(got.Rules?.map((r) => r.ID)).toEqual(['daily', 'staging', 'mpu']);
          expect(got.Rules?.[0]?.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 1, NewerNoncurrentVersions: 6 });
          expect(got.Rules?.[1]?.Expiration?.Days).toBe(1);
          expect(got.Rules?.[0]?.Filter?.Prefix).toBe('snapshots/daily/');
        } finally {
          await s3.send(new DeleteBucketCommand({ Bucket: name }));
        }
      });
    });
  });
}

/**
 * Versions and delete markers of one ListObjectVersions page, by key. The SDK splits S3's single
 * ordered list into two arrays, so within a key this gives versions first, then delete markers; tests
 * that care about the interleaving look at `Versions` and `DeleteMarkers` themselves.
 */
export function mergeVersions(page: ListObjectVersionsCommandOutput): Array<ObjectVersion & { deleteMarker: boolean }> {
  const all = [
    ...(page.Versions ?? []).map((v) => ({ ...v, deleteMarker: false })),
    ...(page.DeleteMarkers ?? []).map((d) => ({ Key: d.Key, VersionId: d.VersionId, IsLatest: d.IsLatest, LastModified: d.LastModified, deleteMarker: true })),
  ];
  return all.sort((a, b) => Buffer.compare(Buffer.from(a.Key ?? ''), Buffer.from(b.Key ?? '')));
}

export function localClient(endpoint: string, credentials = { accessKeyId: 'local', secretAccessKey: 'local-secret' }): S3Client {
  return new S3Client({
    endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
