import { createHash } from 'node:crypto';
import type { PresignedGet, PresignedPut } from '../../../shared/schemas/backup';
import { exchange, isTransient, proxyAwareFetch, retryAfterMs, throttledBody, TransientHttpError, type Fetch } from './http';
import { unlimited, type BandwidthLimiter } from './limiter';
import { DEFAULT_RETRY, withRetries, type RetryHooks, type RetryPolicy } from './retry';

/** Moving objects to and from S3 through presigned URLs: the data plane, where no Lambda carries a byte. */
export interface TransferOptions {
  fetch?: Fetch;
  limiter?: BandwidthLimiter;
  retry?: RetryPolicy;
  hooks?: RetryHooks;
}

/** S3 refused an upload or a download for a reason another try will not change (a 4xx). */
export class TransferRefusedError extends Error {
  override readonly name = 'TransferRefusedError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The presigned URL expired before the transfer went through: ask the API for a new one. */
export class UrlExpiredError extends TransferRefusedError {}

async function s3Failure(response: Response, what: string): Promise<Error> {
  const text = await response.text().catch(() => '');
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? String(response.status);
  if (response.status >= 500 || response.status === 429 || code === 'SlowDown' || code === 'RequestTimeout') {
    return new TransientHttpError(`${what}: ${response.status} ${code}`, response.status, retryAfterMs(response.headers.get('retry-after')));
  }
  if (response.status === 403 && /expired/i.test(text)) return new UrlExpiredError(`${what}: the presigned URL expired`, 403);
  return new TransferRefusedError(`${what}: ${response.status} ${code}`, response.status);
}

/**
 * PUTs `bytes` to a presigned create-only URL, retrying transient failures. A 412 means the object already exists:
 * objects are content-addressed, so the same id is the same bytes, and that is a success (an earlier attempt whose
 * answer was lost, or another host of the client uploading the same pack).
 */
export async function putObject(target: PresignedPut, bytes: Uint8Array, options: TransferOptions = {}, onSent?: (bytes: number) => void): Promise<'uploaded' | 'existed'> {
  const fetchImpl = options.fetch ?? proxyAwareFetch;
  const what = `upload of ${target.kind} ${target.id.slice(0, 12)}`;
  return withRetries(
    async () => {
      const response = await exchange(fetchImpl, target.url, {
        method: 'PUT',
        headers: { ...target.headers, 'content-length': String(bytes.length) },
        body: throttledBody(bytes, options.limiter ?? unlimited, onSent) as unknown as RequestInit["body"],
        duplex: 'half',
      });
      if (response.ok) {
        await response.arrayBuffer();
        return 'uploaded' as const;
      }
      if (response.status === 412) {
        await response.arrayBuffer();
        return 'existed' as const;
      }
      throw await s3Failure(response, what);
    },
    isTransient,
    options.retry ?? DEFAULT_RETRY,
    options.hooks,
  );
}

/** GETs a presigned URL (a byte range when given), retrying transient failures; the length is checked. */
export async function getObject(source: Pick<PresignedGet, 'id' | 'url'>, options: TransferOptions & { range?: { start: number; end: number } } = {}): Promise<Uint8Array> {
  const fetchImpl = options.fetch ?? proxyAwareFetch;
  return withRetries(
    async () => {
      const headers: Record<string, string> = options.range ? { range: `bytes=${options.range.start}-${options.range.end - 1}` } : {};
      const response = await exchange(fetchImpl, source.url, { method: 'GET', headers });
      if (!response.ok) throw await s3Failure(response, `download of ${source.id.slice(0, 12)}`);
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (cause) {
        throw new TransientHttpError(`download of ${source.id.slice(0, 12)} was cut: ${(cause as Error).message}`, undefined, undefined, { cause });
      }
      const announced = Number(response.headers.get('content-length') ?? bytes.length);
      if (bytes.length !== announced) throw new TransientHttpError(`download of ${source.id.slice(0, 12)} was cut (${bytes.length}/${announced} bytes)`, undefined);
      return bytes;
    },
    isTransient,
    options.retry ?? DEFAULT_RETRY,
    options.hooks,
  );
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
