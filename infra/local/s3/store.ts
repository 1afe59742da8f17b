import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { S3Error, invalidArgument, noSuchBucket, noSuchKey, noSuchUpload, noSuchVersion } from './errors';
import { isNotFound, readJson, removeQuietly, writeJsonAtomic } from './files';
import { KeyedLock } from './lock';

/*
 * Disk layout (docs/local-s3.md):
 *   {dataDir}/tmp/                                  request bodies being received (emptied at start)
 *   {dataDir}/buckets/{bucket}/bucket.json          BucketMeta
 *   {dataDir}/buckets/{bucket}/keys/{sha256(key)}.json   KeyRecord: the key and its versions, newest first
 *   {dataDir}/buckets/{bucket}/blobs/{blobId}       one body per object version
 *   {dataDir}/buckets/{bucket}/uploads/{uploadId}/upload.json and /{partNumber}   multipart uploads
 */

export type VersioningStatus = 'Unversioned' | 'Enabled' | 'Suspended';

export interface BucketMeta {
  name: string;
  createdAt: string;
  versioning: VersioningStatus;
  /** The lifecycle configuration XML exactly as it was put. */
  lifecycleXml?: string;
}

/** Headers S3 stores with an object and returns on GET/HEAD. */
export const STORED_HEADERS = ['cache-control', 'content-disposition', 'content-encoding', 'content-language', 'expires'] as const;

export interface ObjectAttributes {
  contentType: string;
  /** x-amz-meta-* user metadata, names lower-cased without the prefix. */
  metadata: Record<string, string>;
  headers: Record<string, string>;
}

export interface ObjectVersion extends Partial<ObjectAttributes> {
  versionId: string;
  isDeleteMarker: boolean;
  lastModified: string;
  /** Quoted, as S3 sends it: "md5hex" or "md5-of-md5s-N" for multipart. */
  etag?: string;
  size?: number;
  blob?: string;
  partsCount?: number;
  /** The flexible checksum verified when it was written (x-amz-checksum-*), if one was sent. */
  checksum?: { algorithm: 'SHA256' | 'SHA1' | 'CRC32'; base64: string };
  /**
   * When a newer version (or delete marker) first made this one noncurrent: lifecycle counts NoncurrentDays from
   * here, and deleting that successor later does not move it. Absent on the current version (and in records
   * written before it existed: the next newer version's LastModified stands in).
   */
  noncurrentSince?: string;
}

export interface KeyRecord {
  key: string;
  /** Newest first; versions[0] is the current one. */
  versions: ObjectVersion[];
}

export interface NewObject extends ObjectAttributes {
  /** A file under {dataDir}/tmp holding the body; the store moves it. */
  tempFile: string;
  etag: string;
  size: number;
  partsCount?: number;
  checksum?: ObjectVersion['checksum'];
}

export interface MultipartUpload extends ObjectAttributes {
  uploadId: string;
  key: string;
  initiated: string;
  parts: Record<string, UploadedPart>;
}

export interface UploadedPart {
  partNumber: number;
  etag: string;
  size: number;
  lastModified: string;
}

const VERSION_ID = /^[A-Za-z0-9_-]{32}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const NULL_VERSION = 'null';

/** 6 bytes of time then 18 random bytes: 32 URL-safe characters, like S3's opaque ids. */
export function newVersionId(now: number): string {
  const bytes = randomBytes(24);
  bytes.writeUIntBE(now, 0, 6);
  return bytes.toString('base64url');
}

export function isValidVersionId(versionId: string): boolean {
  return versionId === NULL_VERSION || VERSION_ID.test(versionId);
}

/** S3 orders keys by their UTF-8 bytes, which differs from JS string order beyond the BMP. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** The versions under a new current one: the one that was current becomes noncurrent now. */
function underNewCurrent(versions: ObjectVersion[], now: Date): ObjectVersion[] {
  const [previous, ...rest] = versions;
  if (!previous) return [];
  return [previous.noncurrentSince === undefined ? { ...previous, noncurrentSince: now.toISOString() } : previous, ...rest];
}

/** After the current version was deleted for good, the next one is current again. */
function withCurrentRestored(versions: ObjectVersion[]): ObjectVersion[] {
  const [current, ...rest] = versions;
  if (!current || current.noncurrentSince === undefined) return versions;
  const { noncurrentSince: _was, ...restored } = current;
  return [restored, ...rest];
}

interface BucketState {
  meta: BucketMeta;
  keys?: Map<string, KeyRecord>;
}

export type Clock = () => Date;

export class Store {
  private readonly lock = new KeyedLock();
  private readonly buckets = new Map<string, BucketState>();

  private constructor(
    readonly dataDir: string,
    private clock: Clock,
  ) {}

  static async open(dataDir: string, clock: Clock = () => new Date()): Promise<Store> {
    const store = new Store(resolve(dataDir), clock);
    await store.load();
    return store;
  }

  get tmpDir(): string {
    return join(this.dataDir, 'tmp');
  }

  now(): Date {
    return this.clock();
  }

  /** The time source of every write from now on (the server's clock). */
  setClock(clock: Clock): void {
    this.clock = clock;
  }

  newTempFile(): string {
    return join(this.tmpDir, randomBytes(12).toString('hex'));
  }

  private async load(): Promise<void> {
    await removeQuietly(this.tmpDir);
    await mkdir(this.tmpDir, { recursive: true });
    await mkdir(join(this.dataDir, 'buckets'), { recursive: true });
    for (const name of await readdir(join(this.dataDir, 'buckets'))) {
      const meta = await readJson<BucketMeta>(this.bucketFile(name));
      if (meta) this.buckets.set(name, { meta });
    }
  }

  private bucketDir(bucket: string): string {
    return join(this.dataDir, 'buckets', bucket);
  }

  private bucketFile(bucket: string): string {
    return join(this.bucketDir(bucket), 'bucket.json');
  }

  private keyFile(bucket: string, key: string): string {
    return join(this.bucketDir(bucket), 'keys', `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  blobPath(bucket: string, blob: string): string {
    return join(this.bucketDir(bucket), 'blobs', blob);
  }

  private uploadDir(bucket: string, uploadId: string): string {
    return join(this.bucketDir(bucket), 'uploads', uploadId);
  }

  // ---- buckets

  listBuckets(): BucketMeta[] {
    return [...this.buckets.values()].map((b) => b.meta).sort((a, b) => compareKeys(a.name, b.name));
  }

  bucket(name: string): BucketMeta {
    const state = this.buckets.get(name);
    if (!state) throw noSuchBucket(name);
    return state.meta;
  }

  async createBucket(name: string): Promise<void> {
    if (!BUCKET_NAME.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name)) {
      throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', {}, { BucketName: name });
    }
    await this.lock.run(`bucket:${name}`, async () => {
      if (this.buckets.has(name)) {
        throw new S3Error(
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          {},
          { BucketName: name },
        );
      }
      const meta: BucketMeta = { name, createdAt: this.now().toISOString(), versioning: 'Unversioned' };
      await mkdir(join(this.bucketDir(name), 'keys'), { recursive: true });
      await mkdir(join(this.bucketDir(name), 'blobs'), { recursive: true });
      await writeJsonAtomic(this.bucketFile(name), meta);
      this.buckets.set(name, { meta, keys: new Map() });
    });
  }

  async deleteBucket(name: string): Promise<void> {
    await this.lock.run(`bucket:${name}`, async () => {
      this.bucket(name);
      if ((await this.keys(name)).size > 0) {
        throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', {}, { BucketName: name });
      }
      // Rename first so a crash never leaves a half-deleted bucket that still looks like one.
      const doomed = join(this.tmpDir, `deleted-bucket-${randomBytes(6).toString('hex')}`);
      await rename(this.bucketDir(name), doomed);
      this.buckets.delete(name);
      await removeQuietly(doomed);
    });
  }

  private async updateBucket(name: string, change: (meta: BucketMeta) => BucketMeta): Promise<void> {
    await this.lock.run(`bucket:${name}`, async () => {
      const state = this.buckets.get(name);
      if (!state) throw noSuchBucket(name);
      const meta = change({ ...state.meta });
      await writeJsonAtomic(this.bucketFile(name), meta);
      state.meta = meta;
    });
  }

  async setVersioning(name: string, status: 'Enabled' | 'Suspended'): Promise<void> {
    await this.updateBucket(name, (meta) => ({ ...meta, versioning: status }));
  }

  async setLifecycle(name: string, xml: string | undefined): Promise<void> {
    await this.updateBucket(name, (meta) => {
      const { lifecycleXml: _previous, ...rest } = meta;
      return xml === undefined ? rest : { ...rest, lifecycleXml: xml };
    });
  }

  // ---- objects

  private async keys(bucket: string): Promise<Map<string, KeyRecord>> {
    const state = this.buckets.get(bucket);
    if (!state) throw noSuchBucket(bucket);
    if (state.keys) return state.keys;
    const keys = new Map<string, KeyRecord>();
    const dir = join(this.bucketDir(bucket), 'keys');
    let files: string[] = [];
    try {
      files = await readdir(dir);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    for (const file of files) {
      if (!file.endsWith('.json')) continue; // left-over temp files of an interrupted write
      const record = await readJson<KeyRecord>(join(dir, file));
      if (record && record.versions.length > 0) keys.set(record.key, record);
    }
    // Another caller may have loaded it meanwhile; keep the first.
    state.keys ??= keys;
    return state.keys;
  }

  /** Every key with at least one version (delete markers included), in S3 order. */
  async listKeys(bucket: string): Promise<KeyRecord[]> {
    const keys = await this.keys(bucket);
    return [...keys.values()].sort((a, b) => compareKeys(a.key, b.key));
  }

  async record(bucket: string, key: string): Promise<KeyRecord | undefined> {
    return (await this.keys(bucket)).get(key);
  }

  /**
   * The version a GET/HEAD addresses. Without a version id the current one, which must not be a delete
   * marker; with one, that version (a delete marker is returned: the caller answers 405).
   */
  async getVersion(bucket: string, key: string, versionId?: string): Promise<ObjectVersion> {
    this.bucket(bucket);
    if (versionId !== undefined && !isValidVersionId(versionId)) {
      throw invalidArgument('Invalid version id specified', 'versionId', versionId);
    }
    const record = await this.record(bucket, key);
    if (versionId === undefined) {
      const current = record?.versions[0];
      if (!current) throw noSuchKey(key);
      if (current.isDeleteMarker) {
        const headers: Record<string, string> = { 'x-amz-delete-marker': 'true' };
        if (this.bucket(bucket).versioning !== 'Unversioned') headers['x-amz-version-id'] = current.versionId;
        throw noSuchKey(key, headers);
      }
      return current;
    }
    const version = record?.versions.find((v) => v.versionId === versionId);
    if (!version) throw noSuchVersion(key, versionId);
    return version;
  }

  private async saveRecord(bucket: string, record: KeyRecord): Promise<void> {
    const keys = await this.keys(bucket);
    const file = this.keyFile(bucket, record.key);
    if (record.versions.length === 0) {
      await rm(file, { force: true });
      keys.delete(record.key);
    } else {
      await writeJsonAtomic(file, record);
      keys.set(record.key, record);
    }
  }

  private async unlinkBlobs(bucket: string, versions: ObjectVersion[]): Promise<void> {
    for (const v of versions) if (v.blob) await rm(this.blobPath(bucket, v.blob), { force: true });
  }

  /** Serialize work on one key (metadata read-modify-write). */
  withKey<T>(bucket: string, key: string, work: () => Promise<T>): Promise<T> {
    return this.lock.run(`key:${bucket}/${key}`, work);
  }

  /**
   * Adds a new current version. `precondition` runs under the key lock with the current version
   * (undefined when none or a delete marker), so create-only writes cannot race each other.
   */
  async putObject(
    bucket: string,
    key: string,
    object: NewObject,
    precondition?: (current: ObjectVersion | undefined) => void,
  ): Promise<ObjectVersion> {
    let moved = false;
    try {
      return await this.withKey(bucket, key, async () => {
        const meta = this.bucket(bucket);
        const record: KeyRecord = (await this.record(bucket, key)) ?? { key, versions: [] };
        const current = record.versions[0];
        precondition?.(current && !current.isDeleteMarker ? current : undefined);
        const now = this.now();
        const enabled = meta.versioning === 'Enabled';
        const replaced = enabled ? [] : record.versions.filter((v) => v.versionId === NULL_VERSION);
        const blob = randomBytes(16).toString('hex');
        await rename(object.tempFile, this.blobPath(bucket, blob)).catch(async (error: unknown) => {
          if (!isNotFound(error)) throw error;
          await mkdir(join(this.bucketDir(bucket), 'blobs'), { recursive: true });
          await rename(object.tempFile, this.blobPath(bucket, blob));
        });
        moved = true;
        const version: ObjectVersion = {
          versionId: enabled ? newVersionId(now.getTime()) : NULL_VERSION,
          isDeleteMarker: false,
          lastModified: now.toISOString(),
          etag: object.etag,
          size: object.size,
          blob,
          contentType: object.contentType,
          metadata: object.metadata,
          headers: object.headers,
          ...(object.partsCount === undefined ? {} : { partsCount: object.partsCount }),
          ...(object.checksum === undefined ? {} : { checksum: object.checksum }),
        };
        const next: KeyRecord = { key, versions: [version, ...underNewCurrent(record.versions.filter((v) => !replaced.includes(v)), now)] };
        await this.saveRecord(bucket, next);
        await this.unlinkBlobs(bucket, replaced);
        return version;
      });
    } finally {
      if (!moved) await rm(object.tempFile, { force: true });
    }
  }

  /**
   * DeleteObject. Without a version id: a delete marker on a versioned bucket (id "null" when
   * suspended), removal of the null version on an unversioned one. With one: that version, for good.
   */
  async deleteObject(
    bucket: string,
    key: string,
    versionId?: string,
    at?: Date,
  ): Promise<{ versionId?: string; deleteMarker: boolean }> {
    this.bucket(bucket);
    if (versionId !== undefined && !isValidVersionId(versionId)) {
      throw invalidArgument('Invalid version id specified', 'versionId', versionId);
    }
    return this.withKey(bucket, key, async () => {
      const meta = this.bucket(bucket);
      const record: KeyRecord = (await this.record(bucket, key)) ?? { key, versions: [] };
      if (versionId !== undefined) {
        const doomed = record.versions.find((v) => v.versionId === versionId);
        if (!doomed) return { versionId, deleteMarker: false };
        const remaining = record.versions.filter((v) => v !== doomed);
        await this.saveRecord(bucket, { key, versions: doomed === record.versions[0] ? withCurrentRestored(remaining) : remaining });
        await this.unlinkBlobs(bucket, [doomed]);
        return { versionId, deleteMarker: doomed.isDeleteMarker };
      }
      if (meta.versioning === 'Unversioned') {
        await this.saveRecord(bucket, { key, versions: [] });
        await this.unlinkBlobs(bucket, record.versions);
        return { deleteMarker: false };
      }
      const now = at ?? this.now();
      const enabled = meta.versioning === 'Enabled';
      const replaced = enabled ? [] : record.versions.filter((v) => v.versionId === NULL_VERSION);
      const marker: ObjectVersion = {
        versionId: enabled ? newVersionId(now.getTime()) : NULL_VERSION,
        isDeleteMarker: true,
        lastModified: now.toISOString(),
      };
      await this.saveRecord(bucket, { key, versions: [marker, ...underNewCurrent(record.versions.filter((v) => !replaced.includes(v)), now)] });
      await this.unlinkBlobs(bucket, replaced);
      return { versionId: marker.versionId, deleteMarker: true };
    });
  }

  // ---- multipart uploads

  async createUpload(bucket: string, key: string, attributes: ObjectAttributes): Promise<MultipartUpload> {
    this.bucket(bucket);
    const upload: MultipartUpload = {
      uploadId: randomBytes(24).toString('base64url'),
      key,
      initiated: this.now().toISOString(),
      parts: {},
      ...attributes,
    };
    await writeJsonAtomic(join(this.uploadDir(bucket, upload.uploadId), 'upload.json'), upload);
    return upload;
  }

  async upload(bucket: string, uploadId: string, key?: string): Promise<MultipartUpload> {
    this.bucket(bucket);
    const upload = /^[A-Za-z0-9_-]+$/.test(uploadId)
      ? await readJson<MultipartUpload>(join(this.uploadDir(bucket, uploadId), 'upload.json'))
      : undefined;
    if (!upload || (key !== undefined && upload.key !== key)) throw noSuchUpload(uploadId);
    return upload;
  }

  partPath(bucket: string, uploadId: string, partNumber: number): string {
    return join(this.uploadDir(bucket, uploadId), String(partNumber));
  }

  async putPart(bucket: string, key: string, uploadId: string, part: UploadedPart, tempFile: string): Promise<void> {
    try {
      await this.lock.run(`upload:${uploadId}`, async () => {
        const upload = await this.upload(bucket, uploadId, key);
        await rename(tempFile, this.partPath(bucket, uploadId, part.partNumber));
        upload.parts[String(part.partNumber)] = part;
        await writeJsonAtomic(join(this.uploadDir(bucket, uploadId), 'upload.json'), upload);
      });
    } finally {
      await rm(tempFile, { force: true });
    }
  }

  async listUploads(bucket: string): Promise<MultipartUpload[]> {
    this.bucket(bucket);
    let ids: string[] = [];
    try {
      ids = await readdir(join(this.bucketDir(bucket), 'uploads'));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    const uploads: MultipartUpload[] = [];
    for (const id of ids) {
      const upload = await readJson<MultipartUpload>(join(this.uploadDir(bucket, id), 'upload.json'));
      if (upload) uploads.push(upload);
    }
    return uploads.sort((a, b) => compareKeys(a.key, b.key) || a.initiated.localeCompare(b.initiated));
  }

  /** Removes an upload; `work` (the complete step) runs first under the upload's lock. */
  async finishUpload<T>(bucket: string, key: string, uploadId: string, work: (upload: MultipartUpload) => Promise<T>): Promise<T> {
    return this.lock.run(`upload:${uploadId}`, async () => {
      const upload = await this.upload(bucket, uploadId, key);
      const result = await work(upload);
      const doomed = join(this.tmpDir, `upload-${randomBytes(6).toString('hex')}`);
      await rename(this.uploadDir(bucket, uploadId), doomed);
      await removeQuietly(doomed);
      return result;
    });
  }
}
