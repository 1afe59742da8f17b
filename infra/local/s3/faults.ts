/**
 * Fault injection, for tests of clients that must survive a real S3: a share of the requests answered with
 * 503 SlowDown or 500 InternalError, connections dropped before or after the request took effect, latency
 * added. Off by default; deterministic for a given seed and order of requests; every fault counted.
 */

export type FaultKind =
  /** 503 SlowDown before anything is done (S3's throttling answer). */
  | 'slowdown'
  /** 500 InternalError before anything is done. */
  | 'internal-error'
  /** The connection is closed without an answer, before anything is done. */
  | 'drop'
  /** The request takes effect (the object is written, the version deleted), then the connection is closed without an answer. */
  | 'drop-after';

export const FAULT_KINDS: readonly FaultKind[] = ['slowdown', 'internal-error', 'drop', 'drop-after'];

/** Which requests faults may hit; every given field must match. */
export interface FaultMatch {
  /** HTTP method(s), e.g. 'PUT' or ['PUT', 'POST']. */
  method?: string | readonly string[];
  bucket?: string;
  /** The object key starts with this (bucket-level requests never match a key prefix). */
  keyPrefix?: string;
}

export interface FaultSettings {
  /** Share of the matching requests that get a fault, 0 to 1. Default 0 (latency only). */
  rate?: number;
  /** The faults to pick from, uniformly. Default: slowdown, internal-error, drop. */
  kinds?: readonly FaultKind[];
  /** Added before every matching request is handled: a fixed delay, or one drawn uniformly in [min, max]. */
  latencyMs?: number | { min: number; max: number };
  match?: FaultMatch;
  /** Seeds the draws, so a run can be replayed. Default 1. */
  seed?: number;
  /** At most this many faults, then none (e.g. `{ rate: 1, limit: 2 }` fails exactly the next two matching requests). */
  limit?: number;
}

export interface InjectedFault {
  kind: FaultKind;
  method: string;
  bucket?: string;
  key?: string;
}

export interface FaultStats {
  /** Requests seen since the last set/clear/resetStats. */
  requests: number;
  /** Those the settings matched. */
  matched: number;
  /** Faults injected, by kind, and in order. */
  faults: Record<FaultKind, number>;
  injected: InjectedFault[];
  /** Total latency added, in ms. */
  delayedMs: number;
}

export interface FaultDecision {
  delayMs: number;
  fault?: FaultKind;
}

/** mulberry32: small, fast, good enough to spread faults; deterministic for a seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function validate(settings: FaultSettings): void {
  const { rate = 0, kinds, latencyMs, limit } = settings;
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`fault rate must be between 0 and 1, not ${rate}`);
  if (kinds !== undefined && (kinds.length === 0 || kinds.some((k) => !FAULT_KINDS.includes(k)))) {
    throw new RangeError(`fault kinds must be some of ${FAULT_KINDS.join(', ')}`);
  }
  const range = typeof latencyMs === 'number' ? { min: latencyMs, max: latencyMs } : latencyMs;
  if (range && !(range.min >= 0 && range.max >= range.min && Number.isFinite(range.max))) {
    throw new RangeError('latencyMs must be ≥ 0 (and min ≤ max)');
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) throw new RangeError('fault limit must be a whole number ≥ 0');
}

const emptyStats = (): FaultStats => ({
  requests: 0,
  matched: 0,
  faults: { slowdown: 0, 'internal-error': 0, drop: 0, 'drop-after': 0 },
  injected: [],
  delayedMs: 0,
});

/** The server's fault switch (`server.faults`). */
export class FaultSwitch {
  private settings: FaultSettings | undefined;
  private random: () => number = prng(1);
  private counters: FaultStats = emptyStats();

  constructor(settings?: FaultSettings) {
    if (settings) this.set(settings);
  }

  /** Turns faults on with these settings (replacing any before), and starts counting afresh. */
  set(settings: FaultSettings): void {
    validate(settings);
    this.settings = { ...settings };
    this.random = prng(settings.seed ?? 1);
    this.counters = emptyStats();
  }

  /** Turns faults off (counts are kept until the next set or resetStats). */
  clear(): void {
    this.settings = undefined;
  }

  get active(): boolean {
    return this.settings !== undefined;
  }

  /** A copy of the counts. */
  stats(): FaultStats {
    return { ...this.counters, faults: { ...this.counters.faults }, injected: [...this.counters.injected] };
  }

  resetStats(): void {
    this.counters = emptyStats();
  }

  /** What to do with one request (called once per request, in arrival order). */
  decide(request: { method: string; bucket?: string | undefined; key?: string | undefined }): FaultDecision {
    const settings = this.settings;
    if (!settings) return { delayMs: 0 };
    this.counters.requests++;
    if (!matches(settings.match, request)) return { delayMs: 0 };
    this.counters.matched++;
    const latency = settings.latencyMs;
    const range = latency === undefined ? undefined : typeof latency === 'number' ? { min: latency, max: latency } : latency;
    const delayMs = range ? Math.round(range.min + this.random() * (range.max - range.min)) : 0;
    this.counters.delayedMs += delayMs;
    const total = Object.values(this.counters.faults).reduce((a, b) => a + b, 0);
    const allowed = settings.limit === undefined || total < settings.limit;
    const rate = settings.rate ?? 0;
    if (!allowed || rate === 0 || this.random() >= rate) return { delayMs };
    const kinds = settings.kinds ?? ['slowdown', 'internal-error', 'drop'];
    const fault = kinds[Math.min(kinds.length - 1, Math.floor(this.random() * kinds.length))]!;
    this.counters.faults[fault]++;
    this.counters.injected.push({
      kind: fault,
      method: request.method,
      ...(request.bucket === undefined ? {} : { bucket: request.bucket }),
      ...(request.key === undefined ? {} : { key: request.key }),
    });
    return { delayMs, fault };
  }
}

function matches(match: FaultMatch | undefined, request: { method: string; bucket?: string | undefined; key?: string | undefined }): boolean {
  if (!match) return true;
  if (match.method !== undefined) {
    const methods = (typeof match.method === 'string' ? [match.method] : match.method).map((m) => m.toUpperCase());
    if (!methods.includes(request.method)) return false;
  }
  if (match.bucket !== undefined && request.bucket !== match.bucket) return false;
  if (match.keyPrefix !== undefined && (request.key === undefined || !request.key.startsWith(match.keyPrefix))) return false;
  return true;
}
