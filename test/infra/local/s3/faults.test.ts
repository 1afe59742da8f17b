import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultSwitch, startS3Server } from '../../../../infra/local/s3';
import type { S3Server } from '../../../../infra/local/s3';
import { bodyText, failure } from './conformance';

/** The fault-injection switch of the local S3 server: off by default, deterministic, counted. */

const credentials = { accessKeyId: 'AKIAVIGIEFAULTS', secretAccessKey: 'faults-secret' };
const BUCKET = 'faults';
let dataDir: string;
let server: S3Server;
const clients: S3Client[] = [];
const lines: string[] = [];

const client = (maxAttempts = 1) => {
  const made = new S3Client({
    endpoint: server.endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials,
    maxAttempts,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  clients.push(made);
  return made;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vigie-s3-faults-'));
  server = await startS3Server({ dataDir, credentials, logger: (line) => lines.push(line) });
  await client().send(new CreateBucketCommand({ Bucket: BUCKET }));
  await client().send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
});

beforeEach(() => server.faults.clear());

afterAll(async () => {
  for (const made of clients) made.destroy();
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const put = (s3: S3Client, key: string, body = 'data') => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
const exists = async (key: string) =>
  client()
    .send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))
    .then(() => true)
    .catch((error: { name?: string }) => (error.name === 'NotFound' ? false : Promise.reject(error)));

describe('fault injection', () => {
  it('is off by default', async () => {
    expect(server.faults.active).toBe(false);
    await put(client(), 'off/a');
    expect(server.faults.stats().requests).toBe(0);
  });

  it('answers 503 SlowDown and 500 InternalError without doing anything, and counts them', async () => {
    const s3 = client();
    server.faults.set({ rate: 1, kinds: ['slowdown'], limit: 1 });
    const slow = await failure(put(s3, 'errors/a'));
    expect(slow.name).toBe('SlowDown');
    expect(slow.$metadata.httpStatusCode).toBe(503);
    expect(await exists('errors/a')).toBe(false);

    server.faults.set({ rate: 1, kinds: ['internal-error'], limit: 1 });
    const internal = await failure(put(s3, 'errors/b'));
    expect(internal.name).toBe('InternalError');
    expect(internal.$metadata.httpStatusCode).toBe(500);
    expect(await exists('errors/b')).toBe(false);
    expect(server.faults.stats().faults).toEqual({ slowdown: 0, 'internal-error': 1, drop: 0, 'drop-after': 0 });
    expect(lines.some((line) => / PUT \/faults\/errors\/b 500 \d+ms \(injected internal-error\)$/.test(line))).toBe(true);
  });

  it('lets the SDK retry through throttling: two faults, then the third attempt writes', async () => {
    server.faults.set({ rate: 1, kinds: ['slowdown', 'internal-error'], limit: 2, match: { method: 'PUT' } });
    await put(client(3), 'retried/a', 'third time');
    const stats = server.faults.stats();
    expect(stats.faults.slowdown + stats.faults['internal-error']).toBe(2);
    expect(stats.injected.map((fault) => fault.key)).toEqual(['retried/a', 'retried/a']);
    expect(await bodyText(await client().send(new GetObjectCommand({ Bucket: BUCKET, Key: 'retried/a' })))).toBe('third time');
  });

  it('drops the connection before the request takes effect', async () => {
    server.faults.set({ rate: 1, kinds: ['drop'], limit: 1 });
    const dropped = await failure(put(client(), 'dropped/a'));
    expect(dropped.$metadata?.httpStatusCode).toBeUndefined();
    expect(await exists('dropped/a')).toBe(false);
    expect(server.faults.stats().faults.drop).toBe(1);
  });

  it('drops the connection after the request took effect: the client cannot tell it succeeded', async () => {
    server.faults.set({ rate: 1, kinds: ['drop-after'], limit: 1 });
    await expect(put(client(), 'lost-answer/a')).rejects.toThrow();
    expect(await exists('lost-answer/a')).toBe(true);

    // GET too: the body never comes.
    server.faults.set({ rate: 1, kinds: ['drop-after'], limit: 1, match: { method: 'GET' } });
    const url = await getSignedUrl(client(), new GetObjectCommand({ Bucket: BUCKET, Key: 'lost-answer/a' }), { expiresIn: 60 });
    await expect(fetch(url).then((response) => response.text())).rejects.toThrow();
    expect((await fetch(url)).status).toBe(200);
  });

  it('adds latency to matching requests only', async () => {
    const s3 = client();
    server.faults.set({ latencyMs: 150, match: { method: 'PUT', keyPrefix: 'slow/' } });
    let started = performance.now();
    await put(s3, 'slow/a');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    started = performance.now();
    await put(s3, 'fast/a');
    await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'slow/a' }));
    expect(performance.now() - started).toBeLessThan(140);
    const stats = server.faults.stats();
    expect(stats).toMatchObject({ requests: 3, matched: 1, delayedMs: 150 });
    expect(stats.injected).toEqual([]);
  });

  it('hits only the matching method, bucket and key prefix', async () => {
    const s3 = client();
    server.faults.set({ rate: 1, kinds: ['slowdown'], match: { method: ['PUT'], bucket: BUCKET, keyPrefix: 'packs/' } });
    await put(s3, 'index/a');
    expect((await failure(put(s3, 'packs/a'))).name).toBe('SlowDown');
    await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'index/a' }));
    expect(server.faults.stats()).toMatchObject({ requests: 3, matched: 1 });
  });

  it('hits a share of the requests, the same ones for the same seed', async () => {
    const s3 = client();
    const run = async () => {
      server.faults.set({ rate: 0.3, seed: 42, match: { keyPrefix: 'share/' }, kinds: ['slowdown', 'internal-error'] });
      const outcomes: string[] = [];
      for (let i = 0; i < 60; i++) outcomes.push(await put(s3, `share/${i}`).then(() => 'ok', (error: { name: string }) => error.name));
      return outcomes;
    };
    const first = await run();
    const second = await run();
    expect(second).toEqual(first);
    const faults = first.filter((outcome) => outcome !== 'ok').length;
    expect(faults).toBeGreaterThan(8);
    expect(faults).toBeLessThan(32);
    expect(server.faults.stats().injected).toHaveLength(faults);
  });

  it('refuses settings that make no sense', () => {
    const faults = new FaultSwitch();
    expect(() => faults.set({ rate: 1.5 })).toThrow(RangeError);
    expect(() => faults.set({ rate: 0.5, kinds: [] })).toThrow(RangeError);
    expect(() => faults.set({ latencyMs: { min: 10, max: 5 } })).toThrow(RangeError);
    expect(() => faults.set({ limit: -1 })).toThrow(RangeError);
  });

  it('can be on from the start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigie-s3-faults-start-'));
    const faulty = await startS3Server({ dataDir: dir, faults: { rate: 1, kinds: ['slowdown'] } });
    try {
      const response = await fetch(`${faulty.endpoint}/`);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('<Code>SlowDown</Code>');
      expect(faulty.faults.stats().faults.slowdown).toBe(1);
    } finally {
      await faulty.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
