// The S3 side of the benchmark: the project's local S3 server for restic, a meter of the request bodies that S3
// servers of this process receive, and the size of a bucket's every version.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { CreateBucketCommand, ListObjectVersionsCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3Server, type S3Server } from '../../infra/local/s3';

/** The local S3 server's credentials, as `npm start` uses them (LOCAL-STACK.md). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface TrafficFigures {
  requests: number;
  /** Request bodies (PUT and POST): x-amz-decoded-content-length when the body is aws-chunked, else content-length. */
  bodyBytes: number;
  /** Bodies sent without a length (chunked transfer): not counted, so bodyBytes is a lower bound when this is not 0. */
  bodiesWithoutLength: number;
}

/**
 * Counts what HTTP servers of this process receive, per local port, through Node's `http.server.request.start`
 * diagnostics channel: it sees every request before its handler, without touching the body stream.
 */
export class RequestMeter {
  private readonly ports = new Map<number, TrafficFigures>();
  private readonly onRequest = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    const figures = this.ports.get(request.socket.localPort ?? -1);
    if (!figures) return;
    figures.requests++;
    if (request.method !== 'PUT' && request.method !== 'POST') return;
    const length = request.headers['x-amz-decoded-content-length'] ?? request.headers['content-length'];
    if (typeof length === 'string') figures.bodyBytes += Number(length);
    else if (request.headers['transfer-encoding']) figures.bodiesWithoutLength++;
  };

  constructor() {
    subscribe('http.server.request.start', this.onRequest);
  }

  watch(port: number): void {
    if (!this.ports.has(port)) this.ports.set(port, { requests: 0, bodyBytes: 0, bodiesWithoutLength: 0 });
  }

  figures(port: number): TrafficFigures {
    const figures = this.ports.get(port);
    if (!figures) throw new Error(`port ${port} is not metered`);
    return { ...figures };
  }

  close(): void {
    unsubscribe('http.server.request.start', this.onRequest);
  }
}

export function s3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: LOCAL_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Our S3 server on an ephemeral port, checking signatures, with one versioned bucket (as the runtime's backup bucket). */
export async function startBenchS3(dataDir: string, bucket: string): Promise<S3Server> {
  const server = await startS3Server({ dataDir, port: 0, credentials: LOCAL_CREDENTIALS });
  const client = s3Client(server.endpoint);
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  } catch (error) {
    await server.close();
    throw error;
  } finally {
    client.destroy();
  }
  return server;
}

/** Bytes of every version (current and noncurrent) under `prefix`: what the bucket stores and bills. */
export async function storedVersionBytes(endpoint: string, bucket: string, prefix = ''): Promise<{ bytes: number; versions: number }> {
  const client = s3Client(endpoint);
  let bytes = 0;
  let versions = 0;
  try {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      const page = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }));
      for (const version of page.Versions ?? []) {
        bytes += version.Size ?? 0;
        versions++;
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
  } finally {
    client.destroy();
  }
  return { bytes, versions };
}

export function portOf(endpoint: string): number {
  return Number(new URL(endpoint).port);
}
