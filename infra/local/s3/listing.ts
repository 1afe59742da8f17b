import { invalidArgument } from './errors';
import { OWNER, requireBucket, sendXml } from './http';
import type { S3Context } from './http';
import { compareKeys } from './store';
import type { KeyRecord, ObjectVersion } from './store';
import { el, xmlDocument } from './xml';
import type { Xml } from './xml';

/** ListObjectsV2, ListObjects (v1) and ListObjectVersions. */

type Item<T> = { kind: 'entry'; key: string; value: T } | { kind: 'prefix'; prefix: string };

function maxKeys(ctx: S3Context, name = 'max-keys'): number {
  const raw = ctx.query.get(name);
  if (raw === undefined) return 1000;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw invalidArgument(`Provided ${name} not an integer or within integer range`, name, raw);
  return Math.min(value, 1000);
}

/** A marker equal to a common prefix means "after everything under that prefix". */
function isCommonPrefixMarker(marker: string, prefix: string, delimiter: string): boolean {
  return delimiter !== '' && marker.startsWith(prefix) && marker.indexOf(delimiter, prefix.length) === marker.length - delimiter.length;
}

function* rollUp<T>(entries: Iterable<{ key: string; value: T }>, prefix: string, delimiter: string): Generator<Item<T>> {
  let lastPrefix: string | undefined;
  for (const entry of entries) {
    if (delimiter !== '') {
      const at = entry.key.indexOf(delimiter, prefix.length);
      if (at >= 0) {
        const common = entry.key.slice(0, at + delimiter.length);
        if (common !== lastPrefix) {
          lastPrefix = common;
          yield { kind: 'prefix', prefix: common };
        }
        continue;
      }
    }
    yield { kind: 'entry', key: entry.key, value: entry.value };
  }
}

function take<T>(items: Iterator<Item<T>>, limit: number): { page: Item<T>[]; truncated: boolean } {
  const page: Item<T>[] = [];
  if (limit === 0) return { page, truncated: false };
  for (let next = items.next(); !next.done; next = items.next()) {
    if (page.length === limit) return { page, truncated: true };
    page.push(next.value);
  }
  return { page, truncated: false };
}

function encoder(ctx: S3Context): (value: string | undefined) => string | undefined {
  const encodingType = ctx.query.get('encoding-type');
  if (encodingType === undefined) return (v) => v;
  if (encodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encodingType);
  return (v) => (v === undefined ? undefined : encodeURIComponent(v).replace(/%2F/g, '/'));
}

function owner(): Xml {
  return el('Owner', el('ID', OWNER.id), el('DisplayName', OWNER.displayName));
}

function liveEntries(records: KeyRecord[]): Array<{ key: string; value: ObjectVersion }> {
  const entries: Array<{ key: string; value: ObjectVersion }> = [];
  for (const record of records) {
    const current = record.versions[0];
    if (current && !current.isDeleteMarker) entries.push({ key: record.key, value: current });
  }
  return entries;
}

function objectEntry(key: string | undefined, version: ObjectVersion, withOwner: boolean): Xml {
  return el(
    'Contents',
    el('Key', key),
    el('LastModified', version.lastModified),
    el('ETag', version.etag ?? ''),
    el('Size', version.size ?? 0),
    withOwner ? owner() : undefined,
    el('StorageClass', 'STANDARD'),
  );
}

function afterMarker(key: string, marker: string, prefix: string, delimiter: string): boolean {
  if (marker === '') return true;
  if (compareKeys(key, marker) <= 0) return false;
  return !(isCommonPrefixMarker(marker, prefix, delimiter) && key.startsWith(marker));
}

export async function listObjectsV2(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const limit = maxKeys(ctx);
  const startAfter = ctx.query.get('start-after');
  const token = ctx.query.get('continuation-token');
  let marker = startAfter ?? '';
  if (token !== undefined) {
    const decoded = Buffer.from(token, 'base64url').toString('utf8');
    if (token === '' || !decoded.startsWith('v1:')) {
      throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    }
    marker = decoded.slice(3);
  }
  const fromToken = token !== undefined;
  const entries = liveEntries(await ctx.store.listKeys(bucket.name)).filter(
    (e) => e.key.startsWith(prefix) && (fromToken ? afterMarker(e.key, marker, prefix, delimiter) : marker === '' || compareKeys(e.key, marker) > 0),
  );
  const { page, truncated } = take(rollUp(entries, prefix, delimiter)[Symbol.iterator](), limit);
  const last = page.at(-1);
  const encode = encoder(ctx);
  const withOwner = ctx.query.get('fetch-owner') === 'true';
  sendXml(
    ctx,
    200,
    xmlDocument(
      'ListBucketResult',
      el('Name', bucket.name),
      el('Prefix', encode(prefix)),
      delimiter === '' ? undefined : el('Delimiter', encode(delimiter)),
      el('MaxKeys', limit),
      el('KeyCount', page.length),
      el('IsTruncated', truncated),
      ctx.query.has('encoding-type') ? el('EncodingType', 'url') : undefined,
      token === undefined ? undefined : el('ContinuationToken', token),
      startAfter === undefined ? undefined : el('StartAfter', encode(startAfter)),
      truncated && last
        ? el('NextContinuationToken', Buffer.from(`v1:${last.kind === 'entry' ? last.key : last.prefix}`).toString('base64url'))
        : undefined,
      page.filter((i) => i.kind === 'entry').map((i) => objectEntry(encode(i.key), i.value, withOwner)),
      page.filter((i) => i.kind === 'prefix').map((i) => el('CommonPrefixes', el('Prefix', encode(i.prefix)))),
    ),
  );
}

export async function listObjectsV1(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const marker = ctx.query.get('marker') ?? '';
  const limit = maxKeys(ctx);
  const entries = liveEntries(await ctx.store.listKeys(bucket.name)).filter(
    (e) => e.key.startsWith(prefix) && afterMarker(e.key, marker, prefix, delimiter),
  );
  const { page, truncated } = take(rollUp(entries, prefix, delimiter)[Symbol.iterator](), limit);
  const last = page.at(-1);
  const encode = encoder(ctx);
  sendXml(
    ctx,
    200,
    xmlDocument(
      'ListBucketResult',
      el('Name', bucket.name),
      el('Prefix', encode(prefix)),
      el('Marker', encode(marker)),
      delimiter === '' ? undefined : el('Delimiter', encode(delimiter)),
      el('MaxKeys', limit),
      el('IsTruncated', truncated),
      ctx.query.has('encoding-type') ? el('EncodingType', 'url') : undefined,
      truncated && last ? el('NextMarker', encode(last.kind === 'entry' ? last.key : last.prefix)) : undefined,
      page.filter((i) => i.kind === 'entry').map((i) => objectEntry(encode(i.key), i.value, true)),
      page.filter((i) => i.kind === 'prefix').map((i) => el('CommonPrefixes', el('Prefix', encode(i.prefix)))),
    ),
  );
}

interface VersionEntry {
  version: ObjectVersion;
  isLatest: boolean;
}

export async function listObjectVersions(ctx: S3Context): Promise<void> {
  const bucket = requireBucket(ctx);
  const prefix = ctx.query.get('prefix') ?? '';
  const delimiter = ctx.query.get('delimiter') ?? '';
  const keyMarker = ctx.query.get('key-marker') ?? '';
  const versionIdMarker = ctx.query.get('version-id-marker') ?? '';
  const limit = maxKeys(ctx);
  if (versionIdMarker !== '' && keyMarker === '') {
    throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', versionIdMarker);
  }

  const entries: Array<{ key: string; value: VersionEntry }> = [];
  for (const record of await ctx.store.listKeys(bucket.name)) {
    if (!record.key.startsWith(prefix)) continue;
    let versions = record.versions.map((version, i) => ({ version, isLatest: i === 0 }));
    if (keyMarker !== '') {
      const order = compareKeys(record.key, keyMarker);
      if (order < 0) continue;
      if (order === 0) {
        if (versionIdMarker === '') continue;
        const at = versions.findIndex((v) => v.version.versionId === versionIdMarker);
        if (at < 0) continue;
        versions = versions.slice(at + 1);
      } else if (isCommonPrefixMarker(keyMarker, prefix, delimiter) && record.key.startsWith(keyMarker)) {
        continue;
      }
    }
    for (const value of versions) entries.push({ key: record.key, value });
  }
  const { page, truncated } = take(rollUp(entries, prefix, delimiter)[Symbol.iterator](), limit);
  const last = page.at(-1);
  const encode = encoder(ctx);
  const versionElements = page.map((item) => {
    if (item.kind === 'prefix') return undefined;
    const { version, isLatest } = item.value;
    return version.isDeleteMarker
      ? el(
          'DeleteMarker',
          el('Key', encode(item.key)),
          el('VersionId', version.versionId),
          el('IsLatest', isLatest),
          el('LastModified', version.lastModified),
          owner(),
        )
      : el(
          'Version',
          el('Key', encode(item.key)),
          el('VersionId', version.versionId),
          el('IsLatest', isLatest),
          el('LastModified', version.lastModified),
          el('ETag', version.etag ?? ''),
          el('Size', version.size ?? 0),
          owner(),
          el('StorageClass', 'STANDARD'),
        );
  });
  sendXml(
    ctx,
    200,
    xmlDocument(
      'ListVersionsResult',
      el('Name', bucket.name),
      el('Prefix', encode(prefix)),
      el('KeyMarker', encode(keyMarker)),
      el('VersionIdMarker', versionIdMarker),
      delimiter === '' ? undefined : el('Delimiter', encode(delimiter)),
      el('MaxKeys', limit),
      el('IsTruncated', truncated),
      ctx.query.has('encoding-type') ? el('EncodingType', 'url') : undefined,
      truncated && last ? el('NextKeyMarker', encode(last.kind === 'entry' ? last.key : last.prefix)) : undefined,
      truncated && last?.kind === 'entry' ? el('NextVersionIdMarker', last.value.version.versionId) : undefined,
      versionElements,
      page.filter((i) => i.kind === 'prefix').map((i) => el('CommonPrefixes', el('Prefix', encode(i.prefix)))),
    ),
  );
}
