import { S3Error, malformedXml } from './errors';
import type { ObjectVersion, Store } from './store';
import { XmlParseError, childElement, childElements, childRawText, childText, parseXml } from './xml';
import type { XmlElement } from './xml';

/**
 * Bucket lifecycle rules, stored as put and applied only on demand (`applyLifecycle(bucket, at)`),
 * never by a timer. What is emulated and what is not is listed in docs/local-s3.md.
 */

export interface LifecycleRule {
  id?: string;
  enabled: boolean;
  prefix: string;
  /** Tag filters: this server stores no object tags, so a rule with tags never matches. */
  tags: Array<{ key: string; value: string }>;
  objectSizeGreaterThan?: number;
  objectSizeLessThan?: number;
  expiration?: { days?: number; date?: Date; expiredObjectDeleteMarker?: boolean };
  noncurrentVersionExpiration?: { noncurrentDays: number; newerNoncurrentVersions?: number };
  abortIncompleteMultipartUploadDays?: number;
}

export type LifecycleActionKind =
  | 'ExpireCurrentVersion'
  | 'ExpireNoncurrentVersion'
  | 'RemoveExpiredDeleteMarker'
  | 'AbortIncompleteMultipartUpload';

export interface LifecycleAction {
  action: LifecycleActionKind;
  ruleId?: string;
  key: string;
  /** The version removed (or, for ExpireCurrentVersion, the version that became noncurrent). */
  versionId?: string;
  /** For ExpireCurrentVersion on a versioned bucket: the delete marker created. */
  deleteMarkerVersionId?: string;
  uploadId?: string;
}

export interface LifecycleReport {
  bucket: string;
  at: string;
  actions: LifecycleAction[];
}

function integer(text: string | undefined, name: string, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new S3Error('InvalidArgument', `'${name}' must be an integer of at least ${min}`, {}, { ArgumentName: name, ArgumentValue: text });
  }
  return value;
}

function parseFilter(rule: XmlElement): Pick<LifecycleRule, 'prefix' | 'tags' | 'objectSizeGreaterThan' | 'objectSizeLessThan'> {
  const filter = childElement(rule, 'Filter');
  if (!filter) return { prefix: childRawText(rule, 'Prefix') ?? '', tags: [] };
  const scope = childElement(filter, 'And') ?? filter;
  const tags = childElements(scope, 'Tag').map((t) => ({ key: childRawText(t, 'Key') ?? '', value: childRawText(t, 'Value') ?? '' }));
  const greater = integer(childText(scope, 'ObjectSizeGreaterThan'), 'ObjectSizeGreaterThan', 0);
  const less = integer(childText(scope, 'ObjectSizeLessThan'), 'ObjectSizeLessThan', 1);
  return {
    prefix: childRawText(scope, 'Prefix') ?? '',
    tags,
    ...(greater === undefined ? {} : { objectSizeGreaterThan: greater }),
    ...(less === undefined ? {} : { objectSizeLessThan: less }),
  };
}

function parseRule(rule: XmlElement): LifecycleRule {
  const status = childText(rule, 'Status');
  if (status !== 'Enabled' && status !== 'Disabled') throw malformedXml();
  const result: LifecycleRule = { enabled: status === 'Enabled', ...parseFilter(rule) };
  const id = childText(rule, 'ID');
  if (id !== undefined) result.id = id;

  const expiration = childElement(rule, 'Expiration');
  if (expiration) {
    const days = integer(childText(expiration, 'Days'), 'Days', 1);
    const dateText = childText(expiration, 'Date');
    const date = dateText === undefined ? undefined : new Date(dateText);
    if (date && Number.isNaN(date.getTime())) throw new S3Error('InvalidArgument', "'Date' must be ISO 8601");
    const marker = childText(expiration, 'ExpiredObjectDeleteMarker');
    if ([days, date, marker].filter((v) => v !== undefined).length !== 1) {
      throw new S3Error('InvalidArgument', 'Expiration takes exactly one of Days, Date or ExpiredObjectDeleteMarker');
    }
    result.expiration = {
      ...(days === undefined ? {} : { days }),
      ...(date === undefined ? {} : { date }),
      ...(marker === undefined ? {} : { expiredObjectDeleteMarker: marker === 'true' }),
    };
  }
  const noncurrent = childElement(rule, 'NoncurrentVersionExpiration');
  if (noncurrent) {
    const noncurrentDays = integer(childText(noncurrent, 'NoncurrentDays'), 'NoncurrentDays', 1);
    if (noncurrentDays === undefined) throw malformedXml();
    const newer = integer(childText(noncurrent, 'NewerNoncurrentVersions'), 'NewerNoncurrentVersions', 1);
    result.noncurrentVersionExpiration = { noncurrentDays, ...(newer === undefined ? {} : { newerNoncurrentVersions: newer }) };
  }
  const abort = childElement(rule, 'AbortIncompleteMultipartUpload');
  if (abort) {
    const days = integer(childText(abort, 'DaysAfterInitiation'), 'DaysAfterInitiation', 1);
    if (days === undefined) throw malformedXml();
    result.abortIncompleteMultipartUploadDays = days;
  }
  const transitions = childElements(rule, 'Transition').length + childElements(rule, 'NoncurrentVersionTransition').length;
  if (!result.expiration && !result.noncurrentVersionExpiration && result.abortIncompleteMultipartUploadDays === undefined && transitions === 0) {
    throw new S3Error('InvalidRequest', 'At least one action needs to be specified in a rule');
  }
  return result;
}

/** Parses and validates a LifecycleConfiguration document; throws MalformedXML / InvalidArgument. */
export function parseLifecycleConfiguration(xml: string): LifecycleRule[] {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch (error) {
    if (error instanceof XmlParseError) throw malformedXml(error);
    throw error;
  }
  if (root.name !== 'LifecycleConfiguration') throw malformedXml();
  const rules = childElements(root, 'Rule').map(parseRule);
  if (rules.length === 0) throw malformedXml();
  return rules;
}

const DAY_MS = 24 * 3600 * 1000;

/** S3 adds the days then rounds up to the next midnight UTC. */
export function lifecycleDue(since: Date, days: number): Date {
  const raw = since.getTime() + days * DAY_MS;
  return new Date(Math.ceil(raw / DAY_MS) * DAY_MS);
}

function matches(rule: LifecycleRule, key: string, version?: ObjectVersion): boolean {
  if (!rule.enabled || rule.tags.length > 0 || !key.startsWith(rule.prefix)) return false;
  if (version && !version.isDeleteMarker) {
    const size = version.size ?? 0;
    if (rule.objectSizeGreaterThan !== undefined && !(size > rule.objectSizeGreaterThan)) return false;
    if (rule.objectSizeLessThan !== undefined && !(size < rule.objectSizeLessThan)) return false;
  }
  return true;
}

/**
 * One lifecycle pass over `bucket` as S3 would have run it at `at`: noncurrent versions first, then
 * expired object delete markers, then current versions, then incomplete multipart uploads.
 */
export async function applyLifecycleRules(store: Store, bucket: string, at: Date): Promise<LifecycleReport> {
  const meta = store.bucket(bucket);
  const report: LifecycleReport = { bucket, at: at.toISOString(), actions: [] };
  if (meta.lifecycleXml === undefined) return report;
  const rules = parseLifecycleConfiguration(meta.lifecycleXml).filter((r) => r.enabled);
  const versioned = meta.versioning !== 'Unversioned';

  for (const { key } of await store.listKeys(bucket)) {
    const before = await store.record(bucket, key);
    if (!before) continue;

    if (versioned) {
      const versions = before.versions;
      for (let i = 1; i < versions.length; i++) {
        const version = versions[i] as ObjectVersion;
        const noncurrentSince = new Date(version.noncurrentSince ?? (versions[i - 1] as ObjectVersion).lastModified);
        const rule = rules.find((r) => {
          const nve = r.noncurrentVersionExpiration;
          return (
            nve !== undefined &&
            matches(r, key, version) &&
            i - 1 >= (nve.newerNoncurrentVersions ?? 0) &&
            at >= lifecycleDue(noncurrentSince, nve.noncurrentDays)
          );
        });
        if (rule) {
          await store.deleteObject(bucket, key, version.versionId);
          report.actions.push({ action: 'ExpireNoncurrentVersion', key, versionId: version.versionId, ...ruleId(rule) });
        }
      }
      const remaining = (await store.record(bucket, key))?.versions ?? [];
      const only = remaining[0];
      if (remaining.length === 1 && only?.isDeleteMarker) {
        const rule = rules.find((r) => r.expiration?.expiredObjectDeleteMarker === true && matches(r, key));
        if (rule) {
          await store.deleteObject(bucket, key, only.versionId);
          report.actions.push({ action: 'RemoveExpiredDeleteMarker', key, versionId: only.versionId, ...ruleId(rule) });
        }
      }
    }

    const current = (await store.record(bucket, key))?.versions[0];
    if (current && !current.isDeleteMarker) {
      const rule = rules.find((r) => {
        const e = r.expiration;
        if (!e || !matches(r, key, current)) return false;
        if (e.days !== undefined) return at >= lifecycleDue(new Date(current.lastModified), e.days);
        return e.date !== undefined && at >= e.date;
      });
      if (rule) {
        const result = await store.deleteObject(bucket, key, undefined, at);
        report.actions.push({
          action: 'ExpireCurrentVersion',
          key,
          versionId: current.versionId,
          ...(result.deleteMarker && result.versionId !== undefined ? { deleteMarkerVersionId: result.versionId } : {}),
          ...ruleId(rule),
        });
      }
    }
  }

  for (const upload of await store.listUploads(bucket)) {
    const rule = rules.find(
      (r) =>
        r.abortIncompleteMultipartUploadDays !== undefined &&
        matches(r, upload.key) &&
        at >= lifecycleDue(new Date(upload.initiated), r.abortIncompleteMultipartUploadDays),
    );
    if (rule) {
      await store.finishUpload(bucket, upload.key, upload.uploadId, async () => undefined);
      report.actions.push({ action: 'AbortIncompleteMultipartUpload', key: upload.key, uploadId: upload.uploadId, ...ruleId(rule) });
    }
  }
  return report;
}

function ruleId(rule: LifecycleRule): { ruleId?: string } {
  return rule.id === undefined ? {} : { ruleId: rule.id };
}
