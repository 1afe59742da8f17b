import { EnvHttpProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import type { BandwidthLimiter } from './limiter';

/**
 * The agent's HTTP: undici's fetch through an agent that honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY (client sites
 * often reach the internet only through a proxy), with timeouts so a stalled connection fails and is retried.
 */
let dispatcher: Dispatcher | undefined;
const defaultDispatcher = (): Dispatcher => (dispatcher ??= new EnvHttpProxyAgent({ headersTimeout: 60_000, bodyTimeout: 120_000, connect: { timeout: 30_000 } }));

export type Fetch = (url: string, init: RequestInit & { duplex?: 'half' }) => Promise<Response>;

export const proxyAwareFetch: Fetch = (url, init) => undiciFetch(url, { ...(init as object), dispatcher: defaultDispatcher() }) as unknown as Promise<Response>;

/** A failed HTTP exchange that may succeed if tried again: 5xx, 429, a dropped connection, a timeout. */
export class TransientHttpError extends Error {
  override readonly name = 'TransientHttpError';
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isTransient = (error: unknown): boolean => error instanceof TransientHttpError;

/** Retry-After in seconds or as a date, in ms (undefined when absent or unreadable). */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Runs one exchange; a network failure becomes a TransientHttpError (it is worth another try). */
export async function exchange(fetchImpl: Fetch, url: string, init: RequestInit & { duplex?: 'half' }): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (cause) {
    throw new TransientHttpError(`${init.method ?? 'GET'} ${new URL(url).host}: ${(cause as Error).message}`, undefined, undefined, { cause });
  }
}

/** The bytes as a stream of 64 KiB pieces, each let through by the limiter: the cap holds within a transfer, not only between them. */
export function throttledBody(bytes: Uint8Array, limiter: BandwidthLimiter, onSent?: (bytes: number) => void): AsyncIterable<Uint8Array> {
  const PIECE = 64 * 1024;
  return {
    async *[Symbol.asyncIterator]() {
      for (let offset = 0; offset < bytes.length; offset += PIECE) {
        const piece = bytes.subarray(offset, Math.min(bytes.length, offset + PIECE));
        await limiter.take(piece.length);
        yield piece;
        onSent?.(piece.length);
      }
    },
  };
}
