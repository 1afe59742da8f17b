import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { checkChecksumClaims, receiveBodyBuffer, receiveBodyToFile } from './body';
import type { ChecksumAlgorithm, ChecksumClaim } from './body';
import { S3Error, malformedXml, noSuchKey } from './errors';
import { header, httpDate, objectHeaders, requireBucket, requireKey, send, sendXml, versionHeader } from './http';
import type { S3Context } from './http';
import { STORED_HEADERS } from './store';
import type { ObjectAttributes, ObjectVersion } from './store';
import { XmlParseError, childElements, childRawText, childText, el, parseXml, xmlDocument } from './xml';
import type { Xml, XmlElement } from './xml';

export function quotedMd5(md5: Buffer): string {
  return `"${md5.toString('hex')}"`;
}

/** Content-Type, x-amz-meta-* and the other stored headers of a PUT / CreateMultipartUpload / REPLACE copy. */
export function attributesFromRequest(ctx: S3Context): ObjectAttributes {
  const metadata: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.req.headers)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(',') : value;
    if (name.startsWith('x-amz-meta-')) metadata[name.slice('x-amz-meta-'.length)] = text;
    else if ((STORED_HEADERS as readonly string[]).includes(name)) headers[name] = text;
  }
  // aws-chunked describes the transfer, not the object: S3 does not keep it.
  const encoding = headers['content-encoding']
    ?.split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '' && e.toLowerCase() !== 'aws-chunked')
    .join(',');
  if (encoding) headers['content-encoding'] = encoding;
  else delete headers['content-encoding'];
  const contentType = header(ctx, 'content-type');
  return { contentType: contentType === undefined || contentType === '' ? 'binary/octet-stream' : contentType, metadata, headers };
}

function unquote(etag: string): string {
  return etag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
}

function etagMatches(condition: string, etag: string): boolean {
  return condition.split(',').some((c) => c.trim() === '*' || unquote(c) === unquote(etag));
}

/** If-None-Match: * (create-only) and If-Match: etag on writes, checked under the key lock. */
export function writePrecondition(ctx: S3Context, key: string): (current: ObjectVersion | undefined) => void {
  const ifNoneMatch = header(ctx, 'if-none-match');
  const ifMatch = header(ctx, 'if-match');
  if (ifNoneMatch !== undefined && ifNoneMatch.trim() !== '*') {
    throw new S3Error('NotImplemented', 'If-None-Match on writes supports only *.', {}, { Header: 'If-None-Match' });
  }
  return (current) => {
    if (ifNoneMatch !== undefined && current) {
      throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {}, { Condition: 'If-None-Match' });
    }
    if (ifMatch !== undefined) {
      if (!current) throw noSuchKey(key);
      if (!etagMatches(ifMatch, current.etag ?? '')) {
        throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {}, { Condition: 'If-Match' });
      }
    }
  };
}

const VERIFIED_CHECKSUMS: readonly ChecksumAlgorithm[] = ['SHA256', 'SHA1', 'CRC32'];

/**
 * The flexible checksums a write claims, from its headers or, for a presigned URL that hoisted them, its query
 * (signed either way). Checked against the body: 400 BadDigest when they differ, as S3 does.
 */
export function checksumClaims(ctx: S3Context): ChecksumClaim[] {
  const claims: ChecksumClaim[] = [];
  for (const algorithm of VERIFIED_CHECKSUMS) {
    const name = `x-amz-checksum-${algorithm.toLowerCase()}`;
    const value = header(ctx, name) ?? ctx.query.get(name);
    if (value !== undefined) claims.push({ algorithm, base64: value.trim() });
  }
  checkChecksumClaims(claims);
  return claims;
}

/** x-amz-checksum-* of a stored version, sent on GET/HEAD of the whole object when asked (x-amz-checksum-mode: ENABLED). */
export function checksumHeaders(ctx: S3Context, version: ObjectVersion): Record<string, string> {
  if (!version.checksum || header(ctx, 'x-amz-checksum-mode')?.toUpperCase() !== 'ENABLED') return {};
  return { [`x-amz-checksum-${version.checksum.algorithm.toLowerCase()}`]: version.checksum.base64, 'x-amz-checksum-type': 'FULL_OBJECT' };
}

export async function putObject(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = requireKey(ctx);
  if (Buffer.byteLength(key, 'utf8') > 1024) throw new S3Error('KeyTooLongError', 'Your key is too long');
  const precondition = writePrecondition(ctx, key);
  const attributes = attributesFromRequest(ctx);
  const claims = checksumClaims(ctx);
  const tempFile = ctx.store.newTempFile();
  const body = await receiveBodyToFile(ctx.req, tempFile, ctx.payloadHash, claims);
  const version = await ctx.store.putObject(
    bucket.name,
    key,
    { ...attributes, tempFile, etag: quotedMd5(body.md5), size: body.size, ...(body.checksum ? { checksum: body.checksum } : {}) },
    precondition,
  );
  send(ctx, 200, { etag: version.etag ?? '', ...versionHeader(ctx.store.bucket(bucket.name), version.versionId) });
}

interface ByteRange {
  start: number;
  end: number;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; undefined when absent or not understood (S3 then sends it all). */
function parseRange(value: string | undefined, size: number): ByteRange | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const invalid = (): never => {
    throw new S3Error('InvalidRange', 'The requested range is not satisfiable', { 'content-range': `bytes */${size}` }, {
      RangeRequested: value,
      ActualObjectSize: String(size),
    });
  };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return invalid();
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return invalid();
  return { start, end };
}

/** RFC 7232 order: If-Match, If-Unmodified-Since, If-None-Match, If-Modified-Since. */
function checkReadConditions(ctx: S3Context, version: ObjectVersion, headers: Record<string, string>): void {
  const etag = version.etag ?? '';
  const modified = Math.floor(new Date(version.lastModified).getTime() / 1000) * 1000;
  const ifMatch = header(ctx, 'if-match');
  const ifNoneMatch = header(ctx, 'if-none-match');
  const ifModifiedSince = header(ctx, 'if-modified-since');
  const ifUnmodifiedSince = header(ctx, 'if-unmodified-since');
  const failed = (): never => {
    throw new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold');
  };
  const notModified = (): never => {
    throw new S3Error('NotModified', 'Not Modified', { etag, 'last-modified': headers['last-modified'] ?? '' });
  };
  if (ifMatch !== undefined && !etagMatches(ifMatch, etag)) failed();
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined) {
    const since = Date.parse(ifUnmodifiedSince);
    if (!Number.isNaN(since) && modified > since) failed();
  }
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, etag)) notModified();
  if (ifNoneMatch === undefined && ifModifiedSince !== undefined) {
    const since = Date.parse(ifModifiedSince);
    if (!Number.isNaN(since) && modified <= since) notModified();
  }
}

const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

function deleteMarkerNotAllowed(ctx: S3Context, version: ObjectVersion): S3Error {
  return new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', {
    'x-amz-delete-marker': 'true',
    'x-amz-version-id': version.versionId,
    'last-modified': httpDate(version.lastModified),
    allow: 'DELETE',
  }, { Method: ctx.method, ResourceType: 'DeleteMarker' });
}

/** GetObject and HeadObject. */
export async function getObject(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = requireKey(ctx);
  const version = await ctx.store.getVersion(bucket.name, key, ctx.query.get('versionId'));
  if (version.isDeleteMarker) throw deleteMarkerNotAllowed(ctx, version);
  const headers = objectHeaders(bucket, version);
  checkReadConditions(ctx, version, headers);
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = ctx.query.get(param);
    if (value !== undefined) headers[name] = value;
  }
  const size = version.size ?? 0;
  const range = parseRange(header(ctx, 'range'), size);
  const status = range ? 206 : 200;
  if (range) headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
  else Object.assign(headers, checksumHeaders(ctx, version));
  const length = range ? range.end - range.start + 1 : size;
  if (ctx.method === 'HEAD' || length === 0) {
    send(ctx, status, { ...headers, 'content-length': length });
    return;
  }
  // Open before answering: a concurrent delete of this version then cannot cut the body short.
  const file = await open(ctx.store.blobPath(bucket.name, version.blob ?? ''), 'r');
  try {
    ctx.res.writeHead(status, { ...headers, 'content-length': length });
    const stream = file.createReadStream({ start: range?.start ?? 0, end: range?.end ?? size - 1, autoClose: false });
    await pipeline(stream, ctx.res);
  } finally {
    await file.close();
  }
}

export async function deleteObject(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = requireKey(ctx);
  const result = await ctx.store.deleteObject(bucket.name, key, ctx.query.get('versionId'));
  const headers: Record<string, string> = {};
  if (result.deleteMarker) headers['x-amz-delete-marker'] = 'true';
  if (result.versionId !== undefined) headers['x-amz-version-id'] = result.versionId;
  send(ctx, 204, headers);
}

function parseCopySource(raw: string): { bucket: string; key: string; versionId?: string } {
  const value = raw.startsWith('/') ? raw.slice(1) : raw;
  const q = value.indexOf('?');
  const path = q < 0 ? value : value.slice(0, q);
  const versionId = q < 0 ? undefined : new URLSearchParams(value.slice(q + 1)).get('versionId') ?? undefined;
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) {
    throw new S3Error('InvalidArgument', 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey', {}, {
      ArgumentName: 'x-amz-copy-source',
      ArgumentValue: raw,
    });
  }
  try {
    return {
      bucket: decodeURIComponent(path.slice(0, slash)),
      key: decodeURIComponent(path.slice(slash + 1)),
      ...(versionId === undefined ? {} : { versionId }),
    };
  } catch (cause) {
    throw new S3Error('InvalidArgument', 'Invalid copy source encoding', {}, {}, { cause });
  }
}

export async function copyObject(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = requireKey(ctx);
  const source = parseCopySource(header(ctx, 'x-amz-copy-source') ?? '');
  const sourceBucket = ctx.store.bucket(source.bucket);
  const sourceVersion = await ctx.store.getVersion(source.bucket, source.key, source.versionId);
  if (sourceVersion.isDeleteMarker) {
    throw new S3Error('InvalidRequest', 'The source of a copy request may not specifically refer to a delete marker by version id.');
  }
  const directive = (header(ctx, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') {
    throw new S3Error('InvalidArgument', 'Unknown metadata directive.', {}, { ArgumentName: 'x-amz-metadata-directive', ArgumentValue: directive });
  }
  if (source.bucket === bucket.name && source.key === key && source.versionId === undefined && directive === 'COPY') {
    throw new S3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  const attributes: ObjectAttributes =
    directive === 'REPLACE'
      ? attributesFromRequest(ctx)
      : {
          contentType: sourceVersion.contentType ?? 'binary/octet-stream',
          metadata: sourceVersion.metadata ?? {},
          headers: sourceVersion.headers ?? {},
        };
  const tempFile = ctx.store.newTempFile();
  const md5 = createHash('md5');
  let size = 0;
  const source$ = await open(ctx.store.blobPath(source.bucket, sourceVersion.blob ?? ''), 'r');
  try {
    await pipeline(
      source$.createReadStream({ autoClose: false }),
      new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          md5.update(chunk);
          size += chunk.length;
          callback(null, chunk);
        },
      }),
      createWriteStream(tempFile),
    );
  } finally {
    await source$.close();
  }
  const version = await ctx.store.putObject(
    bucket.name,
    key,
    // Same bytes, same checksum.
    { ...attributes, tempFile, etag: quotedMd5(md5.digest()), size, ...(sourceVersion.checksum ? { checksum: sourceVersion.checksum } : {}) },
    writePrecondition(ctx, key),
  );
  const headers: Record<string, string> = { ...versionHeader(ctx.store.bucket(bucket.name), version.versionId) };
  if (sourceBucket.versioning !== 'Unversioned') headers['x-amz-copy-source-version-id'] = sourceVersion.versionId;
  sendXml(
    ctx,
    200,
    xmlDocument('CopyObjectResult', el('LastModified', version.lastModified), el('ETag', version.etag ?? '')),
    headers,
  );
}

export async function parseXmlBody(ctx: S3Context): Promise<{ xml: string; root: XmlElement }> {
  const xml = (await receiveBodyBuffer(ctx.req, ctx.payloadHash)).toString('utf8');
  try {
    return { xml, root: parseXml(xml) };
  } catch (error) {
    if (error instanceof XmlParseError) throw malformedXml(error);
    throw error;
  }
}

export async function deleteObjects(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const { root } = await parseXmlBody(ctx);
  if (root.name !== 'Delete') throw malformedXml();
  const quiet = childText(root, 'Quiet') === 'true';
  const objects = childElements(root, 'Object');
  if (objects.length === 0 || objects.length > 1000) throw malformedXml();
  const results: Xml[] = [];
  for (const object of objects) {
    const key = childRawText(object, 'Key');
    if (key === undefined) throw malformedXml();
    const versionId = childText(object, 'VersionId');
    try {
      const result = await ctx.store.deleteObject(bucket.name, key, versionId);
      if (quiet) continue;
      results.push(
        el(
          'Deleted',
          el('Key', key),
          el('VersionId', versionId),
          result.deleteMarker ? el('DeleteMarker', 'true') : undefined,
          result.deleteMarker ? el('DeleteMarkerVersionId', result.versionId) : undefined,
        ),
      );
    } catch (error) {
      if (!(error instanceof S3Error)) throw error;
      results.push(el('Error', el('Key', key), el('VersionId', versionId), el('Code', error.code), el('Message', error.message)));
    }
  }
  sendXml(ctx, 200, xmlDocument('DeleteResult', results));
}
