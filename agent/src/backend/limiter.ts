/**
 * An upload bandwidth cap shared by every parallel transfer: a token bucket refilled at `bytesPerSecond`, holding at
 * most one second of tokens, so a cap of 512 KiB/s is never exceeded over any second whatever the parallelism.
 */
export interface BandwidthLimiter {
  /** Resolves when `bytes` may be sent. */
  take(bytes: number): Promise<void>;
}

export const unlimited: BandwidthLimiter = { take: async () => undefined };

export function tokenBucket(bytesPerSecond: number, clock: { now(): number; sleep(ms: number): Promise<void> } = realClock): BandwidthLimiter {
  if (!(bytesPerSecond > 0)) throw new RangeError('a bandwidth cap must be positive');
  let tokens = bytesPerSecond;
  let last = clock.now();
  let queue: Promise<void> = Promise.resolve();
  const refill = () => {
    const now = clock.now();
    tokens = Math.min(bytesPerSecond, tokens + ((now - last) / 1000) * bytesPerSecond);
    last = now;
  };
  // Requests are served in order, each in pieces of at most a second of tokens.
  return {
    take(bytes: number) {
      const turn = queue.then(async () => {
        let left = bytes;
        while (left > 0) {
          refill();
          const piece = Math.min(left, bytesPerSecond);
          if (tokens < piece) await clock.sleep(Math.ceil(((piece - tokens) / bytesPerSecond) * 1000));
          refill();
          tokens -= piece;
          left -= piece;
        }
      });
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}

const realClock = { now: () => performance.now(), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
