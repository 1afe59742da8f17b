import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { S3Error } from './errors';
import { FaultSwitch } from './faults';
import type { FaultSettings } from './faults';
import { sendError } from './http';
import type { S3Context } from './http';
import { applyLifecycleRules } from './lifecycle';
import type { LifecycleReport } from './lifecycle';
import { route } from './router';
import { UNSIGNED_PAYLOAD, parseQueryPairs, verifySignature } from './sigv4';
import type { Credentials } from './sigv4';
import { Store } from './store';
import type { Clock } from './store';

export interface S3ServerOptions {
  /** Where buckets, versions and bodies live; kept across restarts. */
  dataDir: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 (the default) picks a free ephemeral port. */
  port?: number;
  /** When given, every request must be SigV4-signed (header or presigned URL) with these; otherwise any signature is accepted. */
  credentials?: Credentials;
  /** One line per request (request id, method, path, status, duration); no bodies, no signatures. */
  logger?: (line: string) => void;
  /**
   * The server's time (the local runtime's clock, infra/local/clock.ts): version LastModified times, presigned URL
   * expiry, the request-time skew check, the Date header and the default instant of a lifecycle pass. Default: real time.
   */
  clock?: { now(): Date };
  /** Fault injection from the start (tests); off by default, and switchable at run time with `server.faults`. */
  faults?: FaultSettings;
}

export interface S3Server {
  port: number;
  /** http://host:port, for an S3Client with forcePathStyle: true. */
  endpoint: string;
  /** One lifecycle pass over a bucket as S3 would run it at `at` (default: the server clock's now; see docs/local-s3.md). */
  applyLifecycle(bucket: string, at?: Date): Promise<LifecycleReport>;
  /** The fault-injection switch: `set({ rate, kinds, latencyMs, match, seed, limit })`, `clear()`, `stats()`. */
  faults: FaultSwitch;
  close(): Promise<void>;
}

/** Stores shared by every server and applyLifecycle call on the same data directory in this process. */
const openStores = new Map<string, { store: Promise<Store>; users: number }>();

async function acquireStore(dataDir: string, clock?: Clock): Promise<{ store: Store; release: () => void }> {
  const path = resolvePath(dataDir);
  let entry = openStores.get(path);
  if (!entry) {
    entry = { store: Store.open(path, clock), users: 0 };
    openStores.set(path, entry);
  }
  entry.users++;
  const held = entry;
  try {
    const store = await held.store;
    // A server started on a directory already open in this process brings its clock: the last one started wins.
    if (clock) store.setClock(clock);
    let released = false;
    return {
      store,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        if (held.users === 0 && openStores.get(path) === held) openStores.delete(path);
      },
    };
  } catch (error) {
    held.users--;
    if (openStores.get(path) === held) openStores.delete(path);
    throw error;
  }
}

/**
 * Applies a bucket's stored lifecycle rules as of `at`, on a data directory (shared with a server of
 * this process when one runs on it; never point it at a directory another process serves).
 */
export async function applyLifecycle(dataDir: string, bucket: string, at: Date): Promise<LifecycleReport> {
  const { store, release } = await acquireStore(dataDir);
  try {
    return await applyLifecycleRules(store, bucket, at);
  } finally {
    release();
  }
}

function parseTarget(url: string): { bucket?: string; key?: string; query: Map<string, string> } {
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const query = new Map<string, string>();
  for (const [name, value] of parseQueryPairs(q < 0 ? '' : url.slice(q + 1))) if (!query.has(name)) query.set(name, value);
  const path = rawPath.replace(/^\/+/, '');
  if (path === '') return { query };
  const slash = path.indexOf('/');
  try {
    const bucket = decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
    const rawKey = slash < 0 ? '' : path.slice(slash + 1);
    return rawKey === '' ? { bucket, query } : { bucket, key: decodeURIComponent(rawKey), query };
  } catch (cause) {
    throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", {}, {}, { cause });
  }
}

/**
 * The request runs to its end (its effect is stored), but the connection closes the moment its answer would start:
 * the client cannot know whether it took effect (the case idempotent retries exist for).
 */
function loseTheAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.writeHead = ((): ServerResponse => {
    req.socket.destroy();
    return res;
  }) as ServerResponse['writeHead'];
}

export async function startS3Server(options: S3ServerOptions): Promise<S3Server> {
  const host = options.host ?? '127.0.0.1';
  const clock = options.clock ?? { now: () => new Date() };
  const { store, release } = await acquireStore(options.dataDir, () => clock.now());
  const log = options.logger;
  const faults = new FaultSwitch(options.faults);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = performance.now();
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-amz-request-id', requestId);
    res.setHeader('x-amz-id-2', requestId);
    res.setHeader('server', 'VigieLocalS3');
    // The server's time, not the machine's: SDK clients correct their signing clock from it (systemClockOffset).
    res.setHeader('date', clock.now().toUTCString());
    const url = req.url ?? '/';
    const ctx: S3Context = {
      req,
      res,
      store,
      requestId,
      method: (req.method ?? 'GET').toUpperCase(),
      query: new Map(),
      payloadHash: UNSIGNED_PAYLOAD,
    };
    let injected: string | undefined;
    try {
      Object.assign(ctx, parseTarget(url));
      const decision = faults.decide({ method: ctx.method, bucket: ctx.bucket, key: ctx.key });
      if (decision.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.delayMs));
      injected = decision.fault;
      if (decision.fault === 'drop') {
        req.socket.destroy();
        return;
      }
      if (decision.fault === 'slowdown') throw new S3Error('SlowDown', 'Please reduce your request rate.');
      if (decision.fault === 'internal-error') throw new S3Error('InternalError', 'We encountered an internal error. Please try again.');
      if (decision.fault === 'drop-after') loseTheAnswer(req, res);
      if (options.credentials) {
        ctx.payloadHash = verifySignature({ method: ctx.method, url, headers: req.headers }, options.credentials, clock.now()).payloadHash;
      } else {
        const claimed = req.headers['x-amz-content-sha256'];
        ctx.payloadHash = typeof claimed === 'string' ? claimed : UNSIGNED_PAYLOAD;
      }
      await route(ctx)(ctx);
    } catch (error) {
      const s3Error =
        error instanceof S3Error ? error : new S3Error('InternalError', 'We encountered an internal error. Please try again.', {}, {}, { cause: error });
      if (s3Error.code === 'InternalError' && injected === undefined) log?.(`${requestId} internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      sendError(ctx, s3Error);
      // Let a client still sending a body we refused finish, so it reads our answer instead of a reset.
      if (!req.readableEnded) req.resume();
    } finally {
      const path = url.split('?')[0] ?? '/';
      const operation = [...ctx.query.keys()].filter((k) => !k.startsWith('X-Amz-') && k !== 'x-id').join('&');
      const status = injected === 'drop' || injected === 'drop-after' ? 'dropped' : res.statusCode;
      const fault = injected === undefined ? '' : ` (injected ${injected})`;
      log?.(`${requestId} ${ctx.method} ${path}${operation ? `?${operation}` : ''} ${status} ${Math.round(performance.now() - started)}ms${fault}`);
    }
  };

  const server = createServer((req, res) => void handle(req, res));
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    release();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const endpointHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    port,
    endpoint: `http://${endpointHost}:${port}`,
    applyLifecycle: (bucket, at) => applyLifecycleRules(store, bucket, at ?? clock.now()),
    faults,
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => {
          release();
          if (error) reject(error);
          else resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
