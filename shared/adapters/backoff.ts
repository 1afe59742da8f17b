import type { Backoff } from '../ports/repositories';

/**
 * Waits a random part of `maxMs` ("full jitter") before a retry. Without it the losers of one race re-read the same
 * state in the same instant and collide again, one winner per round.
 */
export const jitteredBackoff =
  (maxMs: number, random: () => number = Math.random): Backoff =>
  () =>
    new Promise((resolve) => setTimeout(resolve, Math.floor(random() * maxMs)));
