import { describe, expect, it } from 'vitest';
import { clockOptionsFrom, parseDuration, RuntimeClock, sdkClockOffset } from '../../../infra/local/clock';

/** A real-time source the test moves by hand. */
const fakeReal = (start = Date.UTC(2026, 2, 2, 8, 0, 0)) => {
  let now = start;
  return { now: () => now, pass: (ms: number) => (now += ms) };
};

describe('RuntimeClock', () => {
  it('reads real time by default', () => {
    const before = Date.now();
    const read = new RuntimeClock().nowMs();
    expect(read).toBeGreaterThanOrEqual(before);
    expect(read).toBeLessThanOrEqual(Date.now());
    expect(new RuntimeClock().isReal).toBe(true);
  });

  it('runs ahead or behind by an offset, at real pace', () => {
    const real = fakeReal();
    const clock = new RuntimeClock({ offsetMs: 3 * 86_400_000, realNow: real.now });
    expect(clock.now().toISOString()).toBe('2026-03-05T08:00:00.000Z');
    real.pass(1500);
    expect(clock.now().toISOString()).toBe('2026-03-05T08:00:01.500Z');
    expect(clock.offsetMs).toBe(3 * 86_400_000);
    expect(clock.isReal).toBe(false);
  });

  it('scales the pace: a day a minute', () => {
    const real = fakeReal();
    const clock = new RuntimeClock({ startAt: new Date('2026-01-01T00:00:00Z'), scale: 1440, realNow: real.now });
    real.pass(60_000);
    expect(clock.now().toISOString()).toBe('2026-01-02T00:00:00.000Z');
    clock.setScale(1);
    real.pass(1000);
    expect(clock.now().toISOString()).toBe('2026-01-02T00:00:01.000Z');
  });

  it('stands still at scale 0 and moves only by set and advance', () => {
    const real = fakeReal();
    const clock = new RuntimeClock({ startAt: new Date('2026-01-01T00:00:00Z'), scale: 0, realNow: real.now });
    real.pass(3_600_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(90 * 60_000);
    expect(clock.now().toISOString()).toBe('2026-01-01T01:30:00.000Z');
    clock.set(new Date('2026-07-14T10:00:00Z'));
    real.pass(5000);
    expect(clock.now().toISOString()).toBe('2026-07-14T10:00:00.000Z');
    clock.advance(-86_400_000);
    expect(clock.now().toISOString()).toBe('2026-07-13T10:00:00.000Z');
  });

  it('refuses a negative or absurd scale and an invalid instant', () => {
    expect(() => new RuntimeClock({ scale: -1 })).toThrow(RangeError);
    expect(() => new RuntimeClock({ scale: Number.POSITIVE_INFINITY })).toThrow(RangeError);
    expect(() => new RuntimeClock().set(new Date('nope'))).toThrow(RangeError);
    expect(() => new RuntimeClock().advance(Number.NaN)).toThrow(RangeError);
  });

  it('describes itself for the start-up banner', () => {
    const real = fakeReal();
    expect(new RuntimeClock({ offsetMs: -(2 * 3_600_000 + 30 * 60_000), scale: 60, realNow: real.now }).describe()).toBe(
      '2026-03-02T05:30:00.000Z (-2h30m from real time, ×60)',
    );
    expect(new RuntimeClock({ offsetMs: 86_400_000, scale: 0, realNow: real.now }).describe()).toContain('+1d from real time, frozen');
  });

  it('gives an SDK client the offset that makes it sign at the clock time', () => {
    const real = fakeReal();
    const clock = new RuntimeClock({ offsetMs: -7_200_000, realNow: real.now });
    expect(sdkClockOffset(clock, real.now)).toBe(-7_200_000);
  });
});

describe('clock settings (--clock-offset, --clock-scale, VIGIE_CLOCK_*)', () => {
  it.each([
    ['+3d', 3 * 86_400_000],
    ['-2h30m', -(2 * 3_600_000 + 30 * 60_000)],
    ['90m', 90 * 60_000],
    ['1w2d', 9 * 86_400_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
  ])('reads the duration %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(clockOptionsFrom({ offset: text })).toEqual({ offsetMs: ms });
  });

  it('reads an ISO instant as the time the clock starts at', () => {
    expect(clockOptionsFrom({ offset: '2026-03-02T08:00:00+01:00' })).toEqual({ startAt: new Date('2026-03-02T07:00:00Z') });
  });

  it('reads the scale', () => {
    expect(clockOptionsFrom({ scale: '60' })).toEqual({ scale: 60 });
    expect(clockOptionsFrom({ scale: '0' })).toEqual({ scale: 0 });
    expect(clockOptionsFrom({})).toEqual({});
  });

  it.each([['3 days'], ['tomorrow'], ['+3x'], ['2026-03-02'], ['']])('refuses the offset %j, saying what it expects', (text) => {
    expect(() => clockOptionsFrom({ offset: text })).toThrow(/neither a duration .* nor an ISO instant/);
  });

  it.each([['-1'], ['fast'], ['1e3'], ['99999999999']])('refuses the scale %j', (text) => {
    expect(() => clockOptionsFrom({ scale: text })).toThrow(RangeError);
  });
});
