import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { receiveBodyToFile } from './body';
import { S3Error, invalidArgument, malformedXml } from './errors';
import { OWNER, requireBucket, requireKey, send, sendXml, versionHeader } from './http';
import type { S3Context } from './http';
import { attributesFromRequest, checksumClaims, parseXmlBody, quotedMd5, writePrecondition } from './objects';
import { childElements, childText, el, xmlDocument } from './xml';

/** Every part but the last must be at least 5 MiB, as on S3. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;

function initiator(): ReturnType<typeof el>[] {
  return [
    el('Initiator', el('ID', OWNER.id), el('DisplayName', OWNER.displayName)),
    el('Owner', el('ID', OWNER.id), el('DisplayName', OWNER.displayName)),
  ];
}

export async function createMultipartUpload(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = requireKey(ctx);
  const upload = await ctx.store.createUpload(bucket.name, key, attributesFromRequest(ctx));
  sendXml(
    ctx,
    200,
    xmlDocument('InitiateMultipartUploadResult', el('Bucket', bucket.name), el('Key', key), el('UploadId', upload.uploadId)),
  );
}

function partNumber(ctx: S3Context): number {
  const raw = ctx.query.get('partNumber') ?? '';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 10000) {
    throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', raw);
  }
  return value;
}

export async function uploadPart(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = requireKey(ctx);
  const uploadId = ctx.query.get('uploadId') ?? '';
  const number = partNumber(ctx);
  if (ctx.req.headers['x-amz-copy-source'] !== undefined) {
    throw new S3Error('NotImplemented', 'UploadPartCopy is not implemented by this server.');
  }
  await ctx.store.upload(bucket.name, uploadId, key);
  const tempFile = ctx.store.newTempFile();
  // A part's checksum is verified too; it is not kept (no composite checksum on the completed object).
  const body = await receiveBodyToFile(ctx.req, tempFile, ctx.payloadHash, checksumClaims(ctx));
  const etag = quotedMd5(body.md5);
  await ctx.store.putPart(
    bucket.name,
    key,
    uploadId,
    { partNumber: number, etag, size: body.size, lastModified: ctx.store.now().toISOString() },
    tempFile,
  );
  send(ctx, 200, { etag });
}

function unquote(etag: string): string {
  return etag.trim().replace(/^"|"$/g, '');
}

export async function completeMultipartUpload(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = requireKey(ctx);
  const uploadId = ctx.query.get('uploadId') ?? '';
  await ctx.store.upload(bucket.name, uploadId, key);
  const precondition = writePrecondition(ctx, key);
  const { root } = await parseXmlBody(ctx);
  if (root.name !== 'CompleteMultipartUpload') throw malformedXml();
  const requested = childElements(root, 'Part').map((p) => ({
    partNumber: Number(childText(p, 'PartNumber')),
    etag: unquote(childText(p, 'ETag') ?? ''),
  }));
  if (requested.length === 0) throw malformedXml();

  const version = await ctx.store.finishUpload(bucket.name, key, uploadId, async (upload) => {
    let previous = 0;
    for (const [i, part] of requested.entries()) {
      if (!Number.isInteger(part.partNumber) || part.partNumber <= previous) {
        throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', {}, {
          UploadId: uploadId,
        });
      }
      previous = part.partNumber;
      const stored = upload.parts[String(part.partNumber)];
      if (!stored || unquote(stored.etag) !== part.etag) {
        throw new S3Error(
          'InvalidPart',
          "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
          {},
          { UploadId: uploadId, PartNumber: String(part.partNumber), ETag: part.etag },
        );
      }
      if (i < requested.length - 1 && stored.size < MIN_PART_SIZE) {
        throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {}, {
          ProposedSize: String(stored.size),
          MinSizeAllowed: String(MIN_PART_SIZE),
          PartNumber: String(part.partNumber),
          ETag: part.etag,
        });
      }
    }
    const tempFile = ctx.store.newTempFile();
    const out = createWriteStream(tempFile);
    const md5s = createHash('md5');
    for (const part of requested) {
      md5s.update(Buffer.from(part.etag, 'hex'));
      await pipeline(createReadStream(ctx.store.partPath(bucket.name, uploadId, part.partNumber)), out, { end: false });
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const size = (await stat(tempFile)).size;
    return ctx.store.putObject(
      bucket.name,
      key,
      {
        contentType: upload.contentType,
        metadata: upload.metadata,
        headers: upload.headers,
        tempFile,
        size,
        etag: `"${md5s.digest('hex')}-${requested.length}"`,
        partsCount: requested.length,
      },
      precondition,
    );
  });
  sendXml(
    ctx,
    200,
    xmlDocument(
      'CompleteMultipartUploadResult',
      el('Location', `/${bucket.name}/${encodeURIComponent(key)}`),
      el('Bucket', bucket.name),
      el('Key', key),
      el('ETag', version.etag ?? ''),
    ),
    versionHeader(ctx.store.bucket(bucket.name), version.versionId),
  );
}

export async function abortMultipartUpload(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = requireKey(ctx);
  await ctx.store.finishUpload(bucket.name, key, ctx.query.get('uploadId') ?? '', async () => undefined);
  send(ctx, 204);
}

export async function listParts(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const key = requireKey(ctx);
  const uploadId = ctx.query.get('uploadId') ?? '';
  const upload = await ctx.store.upload(bucket.name, uploadId, key);
  const marker = Number(ctx.query.get('part-number-marker') ?? 0);
  const maxParts = Math.min(Number(ctx.query.get('max-parts') ?? 1000), 1000);
  const all = Object.values(upload.parts)
    .filter((p) => p.partNumber > marker)
    .sort((a, b) => a.partNumber - b.partNumber);
  const page = all.slice(0, maxParts);
  const truncated = all.length > page.length;
  sendXml(
    ctx,
    200,
    xmlDocument(
      'ListPartsResult',
      el('Bucket', bucket.name),
      el('Key', key),
      el('UploadId', uploadId),
      ...initiator(),
      el('StorageClass', 'STANDARD'),
      el('PartNumberMarker', marker),
      el('NextPartNumberMarker', page.at(-1)?.partNumber ?? marker),
      el('MaxParts', maxParts),
      el('IsTruncated', truncated),
      page.map((p) => el('Part', el('PartNumber', p.partNumber), el('LastModified', p.lastModified), el('ETag', p.etag), el('Size', p.size))),
    ),
  );
}

export async function listMultipartUploads(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const uploads = (await ctx.store.listUploads(bucket.name)).filter((u) => u.key.startsWith(prefix));
  sendXml(
    ctx,
    200,
    xmlDocument(
      'ListMultipartUploadsResult',
      el('Bucket', bucket.name),
      el('KeyMarker', ''),
      el('UploadIdMarker', ''),
      el('Prefix', prefix),
      el('MaxUploads', 1000),
      el('IsTruncated', false),
      uploads.map((u) =>
        el('Upload', el('Key', u.key), el('UploadId', u.uploadId), ...initiator(), el('StorageClass', 'STANDARD'), el('Initiated', u.initiated)),
      ),
    ),
  );
}
