import { describe, expect, it } from 'vitest';
import { tokenBucket } from '../../../agent/src/backend/limiter';

/** A clock that only moves when something sleeps: the limiter's timing, measured exactly. */
function virtualClock() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms), elapsed: () => now };
}

describe('tokenBucket', () => {
  it('holds a cap over any second, whatever the number of parallel transfers', async () => {
    const clock = virtualClock();
    const limiter = tokenBucket(100_000, clock);
    await Promise.all(Array.from({ length: 4 }, () => limiter.take(250_000)));
    // 1 MB at 100 kB/s: the first second's tokens are there at the start, the other 900 kB take 9 s.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(9_000);
    expect(clock.elapsed()).toBeLessThanOrEqual(9_100);
  });

  it('lets a small transfer through at once when tokens are there', async () => {
    const clock = virtualClock();
    const limiter = tokenBucket(1_000_000, clock);
    await limiter.take(64 * 1024);
    expect(clock.elapsed()).toBe(0);
  });

  it('refuses a cap that is not positive', () => {
    expect(() => tokenBucket(0)).toThrow(RangeError);
  });
});
