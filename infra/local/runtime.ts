import { join } from 'node:path';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import type { Contract } from '../../shared/schemas/contract';
import { RuntimeClock, sdkClockOffset } from './clock';
import { startDynamoLocal, type DynamoLocal } from './dynamo-local';
import { startGateway, type Gateway } from './gateway';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER, localIssuer, type LocalIssuer } from './issuer';
import { REPO_ROOT, localPaths } from './paths';
import { startS3Server, type S3Server } from './s3';
import { ensureTable } from './table';

export const LOCAL_BUCKETS = { backup: 'vigie-backup', inboundMail: 'vigie-inbound-mail' } as const;
/** The local S3 server checks SigV4 signatures (presigned URLs included) against these. */
export const LOCAL_S3_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

export interface LocalRuntimeOptions {
  /** Holds data/ (DynamoDB, S3) and issuer/; defaults to the repo's git-ignored `.vigie-local`. */
  home?: string;
  apiPort: number;
  /** Use this DynamoDB instead of starting one (tests share one DynamoDB Local per run). */
  dynamoEndpoint?: string;
  /** Keep DynamoDB in memory (tests). */
  inMemory?: boolean;
  tableName?: string;
  seed?: boolean;
  /** Level of the handlers' structured logs. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  log?: (line: string) => void;
  /** The runtime's one clock (handlers, S3 server, schedules); default: real time (infra/local/clock.ts). */
  clock?: RuntimeClock;
}

export interface LocalRuntime {
  apiUrl: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  /** The S3 server itself: its lifecycle pass (simulations), its fault switch (tests). */
  s3Server: S3Server;
  clock: RuntimeClock;
  tableName: string;
  issuer: LocalIssuer;
  demoContract?: Contract | undefined;
  stop(): Promise<void>;
}

/**
 * Starts the backend on 127.0.0.1: DynamoDB Local, the versioning S3 server, and the HTTP API whose
 * routes run the same authorizer and handlers as Lambda. Stops everything it started, in reverse order.
 */
export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const paths = localPaths(options.home);
  const log = options.log ?? (() => undefined);
  const tableName = options.tableName ?? 'vigie-local';
  const clock = options.clock ?? new RuntimeClock();
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    stops.length = 0;
  };

  try {
    let dynamo: Pick<DynamoLocal, 'endpoint'>;
    if (options.dynamoEndpoint) dynamo = { endpoint: options.dynamoEndpoint };
    else {
      const started = await startDynamoLocal({ dataDir: options.inMemory ? undefined : paths.dynamo, log });
      stops.push(started.stop);
      dynamo = started;
    }
    await ensureTable(dynamo.endpoint, tableName);

    const s3 = await startS3Server({ dataDir: paths.s3, port: 0, credentials: LOCAL_S3_CREDENTIALS, clock });
    stops.push(s3.close);
    await ensureBuckets(s3.endpoint, clock);

    const issuer = await localIssuer(paths.issuerKey);
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      AWS_REGION: 'eu-west-1',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AUTH_MODE: 'local',
      LOCAL_JWKS: JSON.stringify(issuer.jwks),
      LOCAL_ISSUER,
      LOCAL_CLIENT_ID,
      POWERTOOLS_SERVICE_NAME: 'vigie',
      POWERTOOLS_LOG_LEVEL: options.logLevel ?? 'WARN',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });

    // Imported only now: handlers read their configuration from the environment at load, like a cold start.
    const { container, setLocalClock } = await import('../../shared/adapters/container');
    // Before any handler loads: they read the time from the container, and so get this clock.
    setLocalClock(clock);
    let ready = false;
    const gateway: Gateway = await startGateway({
      port: options.apiPort,
      loadHandler: async (name) => (await import(join(REPO_ROOT, 'functions', `${name}.ts`))).handler,
      loadAuthorizer: async () => (await import('../../functions/authorizer')).handler,
      localRoutes: {
        'GET /health': () => (ready ? { statusCode: 200, body: { status: 'ok' } } : { statusCode: 503, body: { status: 'starting' } }),
      },
      log,
    });
    stops.push(gateway.close);

    let demoContract: Contract | undefined;
    if (options.seed !== false) {
      const { seedDemo } = await import('./seed');
      demoContract = await seedDemo(container());
    }
    ready = true;
    return { apiUrl: gateway.url, dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint, s3Server: s3, clock, tableName, issuer, demoContract, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function ensureBuckets(endpoint: string, clock: RuntimeClock): Promise<void> {
  const s3 = new S3Client({
    endpoint,
    // Signed at the runtime's time, which the S3 server checks requests against.
    systemClockOffset: sdkClockOffset(clock),
    region: 'eu-west-1',
    forcePathStyle: true,
    credentials: LOCAL_S3_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  try {
    for (const bucket of Object.values(LOCAL_BUCKETS)) {
      await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
        if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
      });
    }
    await s3.send(new PutBucketVersioningCommand({ Bucket: LOCAL_BUCKETS.backup, VersioningConfiguration: { Status: 'Enabled' } }));
  } finally {
    s3.destroy();
  }
}
