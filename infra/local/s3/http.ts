import type { IncomingMessage, ServerResponse } from 'node:http';
import { S3Error } from './errors';
import type { BucketMeta, ObjectVersion, Store } from './store';
import { el, plainXmlDocument } from './xml';

export const REGION = 'eu-west-1';
export const OWNER = { id: '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a', displayName: 'vigie-local' };

/** One request as the handlers see it. */
export interface S3Context {
  req: IncomingMessage;
  res: ServerResponse;
  store: Store;
  requestId: string;
  method: string;
  bucket?: string;
  key?: string;
  /** Query parameters, decoded; the first value wins. */
  query: Map<string, string>;
  /** What x-amz-content-sha256 (or the presigned URL) says the body hashes to. */
  payloadHash: string;
}

export function header(ctx: S3Context, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export function send(ctx: S3Context, status: number, headers: Record<string, string | number> = {}, body?: string | Buffer): void {
  const { res } = ctx;
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body === undefined || ctx.method === 'HEAD') {
    if (!res.hasHeader('content-length') && status !== 204 && status !== 304) res.setHeader('content-length', 0);
    res.end();
    return;
  }
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.setHeader('content-length', bytes.length);
  res.end(bytes);
}

export function sendXml(ctx: S3Context, status: number, xml: string, headers: Record<string, string> = {}): void {
  send(ctx, status, { 'content-type': 'application/xml', ...headers }, xml);
}

export function sendError(ctx: S3Context, error: S3Error): void {
  const resource = ctx.bucket === undefined ? '/' : `/${ctx.bucket}${ctx.key === undefined ? '' : `/${ctx.key}`}`;
  const body = plainXmlDocument(
    el(
      'Error',
      el('Code', error.code),
      el('Message', error.message),
      ...Object.entries(error.details).map(([name, value]) => el(name, value)),
      el('Resource', resource),
      el('RequestId', ctx.requestId),
      el('HostId', ctx.requestId),
    ),
  );
  if (ctx.res.headersSent) {
    ctx.res.destroy(error);
    return;
  }
  send(ctx, error.status, { 'content-type': 'application/xml', ...error.headers }, error.status === 304 ? undefined : body);
}

export function versionHeader(bucket: BucketMeta, versionId: string | undefined): Record<string, string> {
  return bucket.versioning === 'Unversioned' || versionId === undefined ? {} : { 'x-amz-version-id': versionId };
}

export function httpDate(iso: string): string {
  return new Date(iso).toUTCString();
}

/** Headers of GET/HEAD Object. */
export function objectHeaders(bucket: BucketMeta, version: ObjectVersion): Record<string, string> {
  const headers: Record<string, string> = {
    'last-modified': httpDate(version.lastModified),
    etag: version.etag ?? '',
    'content-type': version.contentType ?? 'binary/octet-stream',
    'accept-ranges': 'bytes',
    ...versionHeader(bucket, version.versionId),
    ...(version.headers ?? {}),
  };
  for (const [name, value] of Object.entries(version.metadata ?? {})) headers[`x-amz-meta-${name}`] = value;
  if (version.partsCount !== undefined) headers['x-amz-mp-parts-count'] = String(version.partsCount);
  return headers;
}

export function requireBucket(ctx: S3Context): BucketMeta {
  if (ctx.bucket === undefined) throw new S3Error('InvalidRequest', 'A bucket is required.');
  return ctx.store.bucket(ctx.bucket);
}

export function requireKey(ctx: S3Context): string {
  if (ctx.key === undefined) throw new S3Error('InvalidRequest', 'A key is required.');
  return ctx.key;
}
