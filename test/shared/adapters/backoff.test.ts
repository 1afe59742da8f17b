import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { jitteredBackoff } from '../../../shared/adapters/backoff';

describe('jitteredBackoff', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('waits a random part of its maximum', async () => {
    let done = false;
    void jitteredBackoff(100, () => 0.5)(1).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(49);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(done).toBe(true);
  });

  it('never waits its maximum or more', async () => {
    let done = false;
    void jitteredBackoff(100, () => 0.999999)(1).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(done).toBe(true);
  });
});
