import { discardBody } from './body';
import { S3Error, malformedXml } from './errors';
import { OWNER, REGION, requireBucket, send, sendXml } from './http';
import type { S3Context } from './http';
import { parseLifecycleConfiguration } from './lifecycle';
import { parseXmlBody } from './objects';
import { childText, el, xmlDocument } from './xml';

export function listBuckets(ctx: S3Context): void {
  sendXml(
    ctx,
    200,
    xmlDocument(
      'ListAllMyBucketsResult',
      el('Owner', el('ID', OWNER.id), el('DisplayName', OWNER.displayName)),
      el('Buckets', ...ctx.store.listBuckets().map((b) => el('Bucket', el('Name', b.name), el('CreationDate', b.createdAt)))),
    ),
  );
}

export async function createBucket(ctx: S3Context): Promise<void> {
  // The body (CreateBucketConfiguration with a LocationConstraint) changes nothing here.
  await discardBody(ctx.req);
  await ctx.store.createBucket(ctx.bucket ?? '');
  send(ctx, 200, { location: `/${ctx.bucket ?? ''}` });
}

export function headBucket(ctx: S3Context): void {
  requireBucket(ctx);
  send(ctx, 200, { 'x-amz-bucket-region': REGION });
}

export async function deleteBucket(ctx: S3Context): Promise<void> {
  await ctx.store.deleteBucket(requireBucket(ctx).name);
  send(ctx, 204);
}

export function getBucketLocation(ctx: S3Context): void {
  requireBucket(ctx);
  sendXml(ctx, 200, xmlDocument('LocationConstraint', REGION));
}

export async function putBucketVersioning(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const { root } = await parseXmlBody(ctx);
  const status = childText(root, 'Status');
  if (root.name !== 'VersioningConfiguration' || (status !== 'Enabled' && status !== 'Suspended')) throw malformedXml();
  await ctx.store.setVersioning(bucket.name, status);
  send(ctx, 200);
}

export function getBucketVersioning(ctx: S3Context): void {
  const bucket = requireBucket(ctx);
  sendXml(
    ctx,
    200,
    xmlDocument('VersioningConfiguration', bucket.versioning === 'Unversioned' ? undefined : el('Status', bucket.versioning)),
  );
}

export async function putBucketLifecycle(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const { xml } = await parseXmlBody(ctx);
  parseLifecycleConfiguration(xml);
  await ctx.store.setLifecycle(bucket.name, xml);
  send(ctx, 200);
}

export function getBucketLifecycle(ctx: S3Context): void {
  const bucket = requireBucket(ctx);
  if (bucket.lifecycleXml === undefined) {
    throw new S3Error('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', {}, { BucketName: bucket.name });
  }
  sendXml(ctx, 200, bucket.lifecycleXml);
}

export async function deleteBucketLifecycle(ctx: S3Context): Promise<void> {
  await ctx.store.setLifecycle(requireBucket(ctx).name, undefined);
  send(ctx, 204);
}
