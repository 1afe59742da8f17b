import * as buckets from './buckets';
import { S3Error } from './errors';
import type { S3Context } from './http';
import * as listing from './listing';
import * as multipart from './multipart';
import * as objects from './objects';

type Handler = (ctx: S3Context) => void | Promise<void>;

/** Subresources we know S3 has but this server does not emulate: answered 501, never mistaken for a list. */
const UNSUPPORTED_BUCKET = [
  'accelerate', 'acl', 'analytics', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'logging', 'metrics',
  'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication',
  'requestPayment', 'tagging', 'website',
];
const UNSUPPORTED_OBJECT = ['acl', 'attributes', 'legal-hold', 'restore', 'retention', 'select', 'tagging', 'torrent'];

function notImplemented(what: string): never {
  throw new S3Error('NotImplemented', `${what} is not implemented by this local S3 server.`);
}

/** Picks the operation from method, path shape and query subresource. */
export function route(ctx: S3Context): Handler {
  const q = ctx.query;
  const { method } = ctx;
  if (ctx.bucket === undefined) {
    if (method === 'GET') return buckets.listBuckets;
    return notImplemented(`${method} /`);
  }
  if (ctx.key === undefined) {
    const unsupported = UNSUPPORTED_BUCKET.find((name) => q.has(name));
    if (unsupported) return notImplemented(`Bucket ${unsupported}`);
    switch (method) {
      case 'PUT':
        if (q.has('versioning')) return buckets.putBucketVersioning;
        if (q.has('lifecycle')) return buckets.putBucketLifecycle;
        return buckets.createBucket;
      case 'GET':
        if (q.has('versioning')) return buckets.getBucketVersioning;
        if (q.has('lifecycle')) return buckets.getBucketLifecycle;
        if (q.has('location')) return buckets.getBucketLocation;
        if (q.has('versions')) return listing.listObjectVersions;
        if (q.has('uploads')) return multipart.listMultipartUploads;
        if (q.get('list-type') === '2') return listing.listObjectsV2;
        return listing.listObjectsV1;
      case 'HEAD':
        return buckets.headBucket;
      case 'DELETE':
        if (q.has('lifecycle')) return buckets.deleteBucketLifecycle;
        return buckets.deleteBucket;
      case 'POST':
        if (q.has('delete')) return objects.deleteObjects;
        return notImplemented('This bucket POST');
    }
    return notImplemented(`${method} on a bucket`);
  }
  const unsupported = UNSUPPORTED_OBJECT.find((name) => q.has(name));
  if (unsupported) return notImplemented(`Object ${unsupported}`);
  switch (method) {
    case 'PUT':
      if (q.has('uploadId') && q.has('partNumber')) return multipart.uploadPart;
      if (ctx.req.headers['x-amz-copy-source'] !== undefined) return objects.copyObject;
      return objects.putObject;
    case 'GET':
      if (q.has('uploadId')) return multipart.listParts;
      return objects.getObject;
    case 'HEAD':
      return objects.getObject;
    case 'DELETE':
      if (q.has('uploadId')) return multipart.abortMultipartUpload;
      return objects.deleteObject;
    case 'POST':
      if (q.has('uploads')) return multipart.createMultipartUpload;
      if (q.has('uploadId')) return multipart.completeMultipartUpload;
      return notImplemented('This object POST');
  }
  return notImplemented(`${method} on an object`);
}
