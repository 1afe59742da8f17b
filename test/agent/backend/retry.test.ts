import { describe, expect, it } from 'vitest';
import { backoffMs, RetriesExhaustedError, withRetries } from '../../../agent/src/backend/retry';

const instant = { sleep: async () => undefined, random: () => 0.999 };

describe('withRetries', () => {
  it('retries what is retryable until it succeeds, waiting with capped exponential backoff', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls += 1;
        if (calls < 4) throw Object.assign(new Error('503'), { retryable: true });
        return 'done';
      },
      (error) => (error as { retryable?: boolean }).retryable === true,
      { attempts: 5, baseMs: 100, capMs: 300 },
      { ...instant, onRetry: (_attempt, wait) => waits.push(wait) },
    );
    expect(result).toBe('done');
    expect(waits).toEqual([99, 199, 299]);
  });

  it('gives up after the last attempt, keeping the cause, and never retries what is not retryable', async () => {
    const error = await withRetries(async () => Promise.reject(new Error('503')), () => true, { attempts: 3, baseMs: 1, capMs: 1 }, instant).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as Error).message).toMatch(/after 3 attempts: 503/);
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls += 1;
          throw new Error('400');
        },
        () => false,
      ),
    ).rejects.toThrow('400');
    expect(calls).toBe(1);
  });

  it('waits at least what Retry-After asked', async () => {
    const waits: number[] = [];
    let calls = 0;
    await withRetries(
      async () => {
        calls += 1;
        if (calls === 1) throw Object.assign(new Error('429'), { retryAfterMs: 5000 });
      },
      () => true,
      { attempts: 2, baseMs: 10, capMs: 10 },
      { ...instant, onRetry: (_a, wait) => waits.push(wait) },
    );
    expect(waits).toEqual([5000]);
  });

  it('spreads the waits (full jitter) within the cap', () => {
    for (let attempt = 1; attempt < 20; attempt += 1) {
      expect(backoffMs({ attempts: 9, baseMs: 250, capMs: 20_000 }, attempt, () => 0.5)).toBeLessThanOrEqual(10_000);
    }
    expect(backoffMs({ attempts: 9, baseMs: 250, capMs: 20_000 }, 1, () => 0)).toBe(0);
  });
});
