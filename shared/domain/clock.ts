/** The domain never reads the system clock: a clock is injected. */
export interface Clock {
  now(): Date;
}

export const fixedClock = (at: Date): Clock => ({ now: () => new Date(at.getTime()) });
