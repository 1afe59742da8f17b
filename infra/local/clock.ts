import type { Clock } from '../../shared/domain/clock';

/**
 * The local runtime's one clock: the handlers (through the container), the schedules and the S3 server (version
 * times, presigned URL expiry, request skew, the lifecycle pass's "now") all read it, so days can be simulated end
 * to end. Real time by default; for simulations and demos it can run ahead or behind (an offset) and faster or
 * slower (a scale), and tests move it by hand.
 *
 *   runtime time = anchor + (real time − real anchor) × scale
 *
 * `set` and `advance` move the anchor; `setScale` changes the pace from now on. With scale 0 the clock stands
 * still and moves only when told (deterministic tests).
 */
export interface RuntimeClockOptions {
  /** Runtime time minus real time at creation, in ms (negative: behind). Default 0. */
  offsetMs?: number;
  /** The runtime time at creation; takes precedence over `offsetMs`. */
  startAt?: Date;
  /** Runtime milliseconds per real millisecond: 1 real pace (default), 60 a minute per second, 0 frozen. */
  scale?: number;
  /** The real time source, in epoch ms (tests). Default Date.now. */
  realNow?: () => number;
}

/** Refuses a pace the clock cannot keep meaningfully: negative, not finite, or beyond a year per second. */
const MAX_SCALE = 365 * 24 * 3600;

function checkScale(scale: number): number {
  if (!Number.isFinite(scale) || scale < 0 || scale > MAX_SCALE) throw new RangeError(`clock scale must be between 0 and ${MAX_SCALE}, not ${scale}`);
  return scale;
}

function checkInstant(at: Date): Date {
  if (Number.isNaN(at.getTime())) throw new RangeError('invalid date for the clock');
  return at;
}

export class RuntimeClock implements Clock {
  private readonly realNow: () => number;
  private anchorReal: number;
  private anchorMs: number;
  private pace: number;

  constructor(options: RuntimeClockOptions = {}) {
    this.realNow = options.realNow ?? Date.now;
    this.anchorReal = this.realNow();
    this.anchorMs = options.startAt ? checkInstant(options.startAt).getTime() : this.anchorReal + (options.offsetMs ?? 0);
    this.pace = checkScale(options.scale ?? 1);
  }

  /** The runtime time, in epoch ms. */
  nowMs(): number {
    const real = this.realNow();
    return Math.floor(this.anchorMs + (real - this.anchorReal) * this.pace);
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** From now on the clock reads `at` (and keeps its pace from there). */
  set(at: Date): void {
    this.anchorMs = checkInstant(at).getTime();
    this.anchorReal = this.realNow();
  }

  /** Moves the clock by `ms` (negative moves it back). */
  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new RangeError('advance takes a finite number of milliseconds');
    this.set(new Date(this.nowMs() + ms));
  }

  /** Changes the pace from now on, without a jump. */
  setScale(scale: number): void {
    const at = this.nowMs();
    this.pace = checkScale(scale);
    this.set(new Date(at));
  }

  get scale(): number {
    return this.pace;
  }

  /** Runtime time minus real time, now, in ms. */
  get offsetMs(): number {
    return this.nowMs() - this.realNow();
  }

  /** True when the clock is the real one (no offset, real pace): nothing to mention at start-up. */
  get isReal(): boolean {
    return this.pace === 1 && this.offsetMs === 0;
  }

  /** One line for the start-up banner. */
  describe(): string {
    const pace = this.pace === 1 ? 'real pace' : this.pace === 0 ? 'frozen' : `×${this.pace}`;
    // To the second: a scaled clock has drifted a few milliseconds since it was made.
    return `${this.now().toISOString()} (${formatDuration(Math.round(this.offsetMs / 1000) * 1000)} from real time, ${pace})`;
  }
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const DURATION = /^([+-])?((?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+)$/;

/** "+3d", "-2h30m", "90m", "1w2d", "500ms" → signed milliseconds; undefined when not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  let total = 0;
  for (const part of (match[2] ?? '').matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)) total += Number(part[1]) * (UNIT_MS[part[2] ?? ''] ?? NaN);
  if (!Number.isFinite(total)) return undefined;
  return Math.round(match[1] === '-' ? -total : total);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  const sign = ms < 0 ? '-' : '+';
  let rest = Math.abs(ms);
  const parts: string[] = [];
  for (const [unit, size] of [['d', UNIT_MS['d']!], ['h', UNIT_MS['h']!], ['m', UNIT_MS['m']!], ['s', UNIT_MS['s']!]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0 || parts.length === 0) parts.push(`${rest}ms`);
  return `${sign}${parts.join('')}`;
}

/** What `--clock-offset` / `--clock-scale` (or VIGIE_CLOCK_OFFSET / VIGIE_CLOCK_SCALE) say, as clock options. */
export interface ClockSettings {
  /** A signed duration ("+3d", "-90m", "1w2d12h") or an ISO-8601 instant with its offset (the clock starts there). */
  offset?: string | undefined;
  /** A number ≥ 0: runtime seconds per real second (0 freezes the clock). */
  scale?: string | undefined;
}

/** Reads the settings, or throws a RangeError whose message says what is expected. */
export function clockOptionsFrom(settings: ClockSettings): Pick<RuntimeClockOptions, 'offsetMs' | 'startAt' | 'scale'> {
  const options: Pick<RuntimeClockOptions, 'offsetMs' | 'startAt' | 'scale'> = {};
  if (settings.offset !== undefined) {
    const duration = parseDuration(settings.offset);
    if (duration !== undefined) options.offsetMs = duration;
    else if (ISO_INSTANT.test(settings.offset.trim()) && !Number.isNaN(Date.parse(settings.offset))) options.startAt = new Date(Date.parse(settings.offset));
    else throw new RangeError(`clock offset '${settings.offset}' is neither a duration (+3d, -2h30m, 90m) nor an ISO instant (2026-03-02T08:00:00+01:00)`);
  }
  if (settings.scale !== undefined) {
    const scale = /^\d+(?:\.\d+)?$/.test(settings.scale.trim()) ? Number(settings.scale) : NaN;
    if (Number.isNaN(scale)) throw new RangeError(`clock scale '${settings.scale}' is not a number ≥ 0 (1 real pace, 60 a minute per second, 0 frozen)`);
    options.scale = checkScale(scale);
  }
  return options;
}

/**
 * The clock offset an AWS SDK client needs to sign requests at this clock's time (`systemClockOffset`). The SDK
 * then follows the S3 server's Date header by itself, so a clock that moves later is caught up on the next answer.
 */
export const sdkClockOffset = (clock: Clock, realNow: () => number = Date.now): number => clock.now().getTime() - realNow();
