import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { RuntimeClock, sdkClockOffset } from '../../../infra/local/clock';
import { LOCAL_BUCKETS, LOCAL_S3_CREDENTIALS, startLocalRuntime, type LocalRuntime } from '../../../infra/local/runtime';

/** The runtime's one clock reaches the handlers (through the container) and the S3 server. */

const START = new Date('2026-06-15T10:00:00.000Z');
let home: string;
let runtime: LocalRuntime;
const clock = new RuntimeClock({ startAt: START, scale: 0 });
const clients: S3Client[] = [];

const s3 = (systemClockOffset?: number) => {
  const client = new S3Client({
    endpoint: runtime.s3Endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(systemClockOffset === undefined ? {} : { systemClockOffset }),
  });
  clients.push(client);
  return client;
};

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'vigie-clock-'));
  runtime = await startLocalRuntime({
    home,
    apiPort: 0,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tableName: `vigie-test-${randomUUID()}`,
    logLevel: 'SILENT',
    clock,
  });
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await runtime?.stop();
  await rm(home, { recursive: true, force: true });
});

describe("the local runtime's clock", () => {
  it('is the handlers\' clock: what they record is dated by it', async () => {
    const { container } = await import('../../../shared/adapters/container');
    expect(container().clock).toBe(clock);
    expect(runtime.clock).toBe(clock);

    const admin = await runtime.issuer.sign({ role: 'admin', userId: 'local-admin' });
    const response = await fetch(`${runtime.apiUrl}/v1/clients/${runtime.demoContract!.clientId}/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ host: 'SRV-CLOCK' }),
    });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { createdAt: string }).createdAt).toBe(START.toISOString());
  });

  it("dates the S3 server's versions and answers with its time; advancing it moves both", async () => {
    const client = s3(sdkClockOffset(clock));
    const key = `clock/${randomUUID()}`;
    await client.send(new PutObjectCommand({ Bucket: LOCAL_BUCKETS.backup, Key: key, Body: 'one' }));
    const first = await client.send(new HeadObjectCommand({ Bucket: LOCAL_BUCKETS.backup, Key: key }));
    expect(first.LastModified?.toISOString()).toBe(START.toISOString());

    clock.advance(2 * 86_400_000);
    // The client signs at the old time: the server says it is too skewed, with its own time; the SDK corrects and retries.
    await client.send(new PutObjectCommand({ Bucket: LOCAL_BUCKETS.backup, Key: key, Body: 'two' }));
    const second = await client.send(new HeadObjectCommand({ Bucket: LOCAL_BUCKETS.backup, Key: key }));
    expect(second.LastModified?.toISOString()).toBe('2026-06-17T10:00:00.000Z');
    expect(Math.abs((await client.config.systemClockOffset) - sdkClockOffset(clock))).toBeLessThan(5_000);
    expect(runtime.s3Server).toBeDefined();
    const report = await runtime.s3Server.applyLifecycle(LOCAL_BUCKETS.backup);
    expect(report.at).toBe('2026-06-17T10:00:00.000Z');
  });

  it('checks presigned URLs against it: signed at its time they work, signed at real time they have expired', async () => {
    const client = s3(sdkClockOffset(clock));
    const key = `clock/${randomUUID()}`;
    await client.send(new PutObjectCommand({ Bucket: LOCAL_BUCKETS.backup, Key: key, Body: 'presigned' }));
    const atRuntimeTime = await getSignedUrl(client, new GetObjectCommand({ Bucket: LOCAL_BUCKETS.backup, Key: key }), {
      expiresIn: 300,
      signingDate: clock.now(),
    });
    expect((await fetch(atRuntimeTime)).status).toBe(200);
    const atRealTime = await getSignedUrl(client, new GetObjectCommand({ Bucket: LOCAL_BUCKETS.backup, Key: key }), {
      expiresIn: 300,
      signingDate: new Date(),
    });
    const refused = await fetch(atRealTime);
    // The clock reads June 2026; a URL signed now at real time is either expired or not yet valid there.
    expect(refused.status).toBe(403);
    expect(await refused.text()).toMatch(/<Code>AccessDenied<\/Code>/);
  });
});
