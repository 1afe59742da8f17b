import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { Transform, Writable } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { S3Error } from './errors';

/**
 * Request bodies: streamed to a temp file (objects, parts) or read in memory (XML), hashed on the way
 * so Content-MD5 and a hex x-amz-content-sha256 can be checked. aws-chunked bodies are decoded
 * (their chunk signatures and trailing checksums are not verified).
 */

export interface ReceivedBody {
  size: number;
  md5: Buffer;
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
  size = 0;

  constructor(private readonly wantSha256: boolean) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.md5.update(chunk);
    if (this.wantSha256) this.sha256.update(chunk);
    this.size += chunk.length;
    callback(null, chunk);
  }
}

function isAwsChunked(request: IncomingMessage, payloadHash: string): boolean {
  return payloadHash.startsWith('STREAMING-') || /aws-chunked/i.test(String(request.headers['content-encoding'] ?? ''));
}

function checkDigests(request: IncomingMessage, payloadHash: string, hasher: Hasher, md5: Buffer): void {
  const contentMd5 = request.headers['content-md5'];
  if (typeof contentMd5 === 'string') {
    const expected = Buffer.from(contentMd5, 'base64');
    if (expected.length !== 16) throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.');
    if (!expected.equals(md5)) {
      throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.');
    }
  }
  if (HEX_SHA256.test(payloadHash)) {
    const actual = hasher.sha256.digest('hex');
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
}

function pump(request: IncomingMessage, payloadHash: string, hasher: Hasher, sink: Writable): Promise<void> {
  return isAwsChunked(request, payloadHash)
    ? pipeline(request, new AwsChunkedDecoder(), hasher, sink)
    : pipeline(request, hasher, sink);
}

/** Streams the body into `file`; removes the file when the body is rejected. */
export async function receiveBodyToFile(request: IncomingMessage, file: string, payloadHash: string): Promise<ReceivedBody> {
  const hasher = new Hasher(HEX_SHA256.test(payloadHash));
  try {
    await pump(request, payloadHash, hasher, createWriteStream(file));
    const md5 = hasher.md5.digest();
    checkDigests(request, payloadHash, hasher, md5);
    return { size: hasher.size, md5 };
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
