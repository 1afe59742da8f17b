/**
 * Retries with capped exponential backoff and full jitter (AWS's advice for throttling and 5xx), injected clock and
 * random so tests run instantly. What is retryable is the caller's to say.
 */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Base and cap of the backoff, in ms. */
  baseMs: number;
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseMs: 250, capMs: 20_000 };

export interface RetryHooks {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Told before each wait, e.g. to report "retrying in 2 s (503 SlowDown)". */
  onRetry?: (attempt: number, waitMs: number, error: unknown) => void;
}

export class RetriesExhaustedError extends Error {
  override readonly name = 'RetriesExhaustedError';
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait before retry number `attempt` (1 for the first retry): a random share of min(cap, base × 2^(attempt−1)). */
export const backoffMs = (policy: RetryPolicy, attempt: number, random: () => number): number =>
  Math.floor(random() * Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1)));

/**
 * Runs `operation` until it succeeds, a failure is not retryable, or the attempts run out. A `retryAfterMs` on the
 * error (from a Retry-After header) is waited at least.
 */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  isRetryable: (error: unknown) => boolean,
  policy: RetryPolicy = DEFAULT_RETRY,
  hooks: RetryHooks = {},
): Promise<T> {
  const sleep = hooks.sleep ?? defaultSleep;
  const random = hooks.random ?? Math.random;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= policy.attempts) {
        throw new RetriesExhaustedError(`gave up after ${attempt} attempts: ${(error as Error).message ?? String(error)}`, { cause: error });
      }
      const asked = (error as { retryAfterMs?: number }).retryAfterMs ?? 0;
      const wait = Math.max(asked, backoffMs(policy, attempt, random));
      hooks.onRetry?.(attempt, wait, error);
      await sleep(wait);
    }
  }
}
