import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { crc32 } from 'node:zlib';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform, Writable } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { S3Error } from './errors';

/**
 * Request bodies: streamed to a temp file (objects, parts) or read in memory (XML), hashed on the way
 * so Content-MD5, a hex x-amz-content-sha256 and a flexible checksum sent as a header (or signed into a
 * presigned URL) can be checked. aws-chunked bodies are decoded (their chunk signatures and trailing
 * checksums are not verified).
 */

/** The flexible checksums this server verifies; CRC32C and CRC64NVME are accepted unverified. */
export type ChecksumAlgorithm = 'SHA256' | 'SHA1' | 'CRC32';

/** A checksum the client claims for the body: base64 of the digest, as in `x-amz-checksum-sha256`. */
export interface ChecksumClaim {
  algorithm: ChecksumAlgorithm;
  base64: string;
}

const DIGEST_BYTES: Record<ChecksumAlgorithm, number> = { SHA256: 32, SHA1: 20, CRC32: 4 };

export interface ReceivedBody {
  size: number;
  md5: Buffer;
  /** The claimed checksum, verified against the body (the first one when several were sent). */
  checksum?: ChecksumClaim;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** Decodes `aws-chunked`: `hex-size[;chunk-signature=…]\r\n data \r\n` … `0\r\n` trailers. */
class AwsChunkedDecoder extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private state: 'header' | 'data' | 'crlf' | 'done' = 'header';

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    try {
      this.drain();
      callback();
    } catch (error) {
      callback(error as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    callback(this.state === 'done' ? null : new S3Error('IncompleteBody', 'The aws-chunked body ended early.'));
  }

  private drain(): void {
    for (;;) {
      if (this.state === 'done') {
        this.pending = Buffer.alloc(0);
        return;
      }
      if (this.state === 'header') {
        const end = this.pending.indexOf('\r\n');
        if (end < 0) {
          if (this.pending.length > 4096) throw new S3Error('InvalidRequest', 'Malformed aws-chunked header.');
          return;
        }
        const line = this.pending.subarray(0, end).toString('latin1');
        const size = parseInt(line.split(';')[0] ?? '', 16);
        if (!Number.isInteger(size) || size < 0) throw new S3Error('InvalidRequest', 'Malformed aws-chunked header.');
        this.pending = this.pending.subarray(end + 2);
        if (size === 0) {
          this.state = 'done';
        } else {
          this.remaining = size;
          this.state = 'data';
        }
      } else if (this.state === 'data') {
        if (this.pending.length === 0) return;
        const take = Math.min(this.remaining, this.pending.length);
        this.push(this.pending.subarray(0, take));
        this.pending = this.pending.subarray(take);
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'crlf';
      } else {
        if (this.pending.length < 2) return;
        this.pending = this.pending.subarray(2);
        this.state = 'header';
      }
    }
  }
}

class Hasher extends Transform {
  readonly md5 = createHash('md5');
  readonly sha256 = createHash('sha256');
  private readonly sha1?: ReturnType<typeof createHash>;
  private crc?: number;
  size = 0;

  constructor(
    private readonly wantSha256: boolean,
    private readonly claims: readonly ChecksumClaim[] = [],
  ) {
    super();
    if (claims.some((c) => c.algorithm === 'SHA1')) this.sha1 = createHash('sha1');
    if (claims.some((c) => c.algorithm === 'CRC32')) this.crc = 0;
  }

  private get needsSha256(): boolean {
    return this.wantSha256 || this.claims.some((c) => c.algorithm === 'SHA256');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.md5.update(chunk);
    if (this.needsSha256) this.sha256.update(chunk);
    this.sha1?.update(chunk);
    if (this.crc !== undefined) this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    callback(null, chunk);
  }

  /** Digests are read once: the SHA-256 serves both x-amz-content-sha256 and a SHA256 checksum. */
  private sha256Digest?: Buffer;

  digestOf(algorithm: ChecksumAlgorithm | 'SHA256-HEX'): Buffer {
    if (algorithm === 'SHA256' || algorithm === 'SHA256-HEX') return (this.sha256Digest ??= this.sha256.digest());
    if (algorithm === 'SHA1') return this.sha1!.digest();
    const out = Buffer.alloc(4);
    out.writeUInt32BE((this.crc ?? 0) >>> 0);
    return out;
  }
}

/** Checks that each claim is a well-formed digest of its algorithm (before reading the body). */
export function checkChecksumClaims(claims: readonly ChecksumClaim[]): void {
  for (const claim of claims) {
    const bytes = Buffer.from(claim.base64, 'base64');
    if (bytes.length !== DIGEST_BYTES[claim.algorithm] || bytes.toString('base64') !== claim.base64) {
      throw new S3Error('InvalidRequest', `Value for x-amz-checksum-${claim.algorithm.toLowerCase()} header is invalid.`);
    }
  }
}

function isAwsChunked(request: IncomingMessage, payloadHash: string): boolean {
  return payloadHash.startsWith('STREAMING-') || /aws-chunked/i.test(String(request.headers['content-encoding'] ?? ''));
}

function checkDigests(request: IncomingMessage, payloadHash: string, hasher: Hasher, md5: Buffer, claims: readonly ChecksumClaim[] = []): void {
  const contentMd5 = request.headers['content-md5'];
  if (typeof contentMd5 === 'string') {
    const expected = Buffer.from(contentMd5, 'base64');
    if (expected.length !== 16) throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.');
    if (!expected.equals(md5)) {
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
  }
  if (HEX_SHA256.test(payloadHash)) {
    const actual = hasher.digestOf('SHA256-HEX').toString('hex');
    if (actual !== payloadHash) {
      throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {}, {
        ClientComputedContentSHA256: payloadHash,
        S3ComputedContentSHA256: actual,
      });
    }
  }
  const decodedLength = request.headers['x-amz-decoded-content-length'];
  if (typeof decodedLength === 'string' && Number(decodedLength) !== hasher.size) {
    throw new S3Error('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.');
  }
  for (const claim of claims) {
    if (hasher.digestOf(claim.algorithm).toString('base64') !== claim.base64) {
      throw new S3Error('BadDigest', `The ${claim.algorithm} you specified did not match the calculated checksum.`);
    }
  }
}

function pump(request: IncomingMessage, payloadHash: string, hasher: Hasher, sink: Writable): Promise<void> {
  return isAwsChunked(request, payloadHash)
    ? pipeline(request, new AwsChunkedDecoder(), hasher, sink)
    : pipeline(request, hasher, sink);
}

/** Streams the body into `file`; removes the file when the body is rejected (a digest or a claimed checksum differs). */
export async function receiveBodyToFile(
  request: IncomingMessage,
  file: string,
  payloadHash: string,
  claims: readonly ChecksumClaim[] = [],
): Promise<ReceivedBody> {
  const hasher = new Hasher(HEX_SHA256.test(payloadHash), claims);
  try {
    await pump(request, payloadHash, hasher, createWriteStream(file));
    const md5 = hasher.md5.digest();
    checkDigests(request, payloadHash, hasher, md5, claims);
    return { size: hasher.size, md5, ...(claims[0] ? { checksum: claims[0] } : {}) };
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}

/** Reads a small body (XML) in memory. */
export async function receiveBodyBuffer(request: IncomingMessage, payloadHash: string, limit = 2 * 1024 * 1024): Promise<Buffer> {
  const hasher = new Hasher(HEX_SHA256.test(payloadHash));
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (hasher.size > limit) {
        callback(new S3Error('InvalidRequest', 'The request body is too large.'));
        return;
      }
      chunks.push(chunk);
      callback();
    },
  });
  await pump(request, payloadHash, hasher, sink);
  checkDigests(request, payloadHash, hasher, hasher.md5.digest());
  return Buffer.concat(chunks);
}

/** Drains an unwanted body so the connection can be reused. */
export async function discardBody(request: IncomingMessage): Promise<void> {
  if (request.readableEnded) return;
  request.resume();
  await new Promise<void>((resolve) => {
    request.once('end', resolve);
    request.once('error', () => resolve());
    request.once('close', () => resolve());
  });
}
