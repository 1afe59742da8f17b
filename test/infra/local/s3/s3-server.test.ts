import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { startS3Server } from '../../../../infra/local/s3';
import type { S3Server } from '../../../../infra/local/s3';
import { describeS3Conformance, localClient } from './conformance';

const credentials = { accessKeyId: 'AKIAVIGIELOCAL', secretAccessKey: 'vigie-local-secret' };

describeS3Conformance('local server (signatures checked)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'vigie-s3-conformance-'));
  const server: S3Server = await startS3Server({ dataDir, credentials });
  const setupClient = localClient(server.endpoint, credentials);
  await setupClient.send(new CreateBucketCommand({ Bucket: 'vigie-versioned' }));
  await setupClient.send(new CreateBucketCommand({ Bucket: 'vigie-plain' }));
  setupClient.destroy();
  return {
    makeClient: () => localClient(server.endpoint, credentials),
    versionedBucket: 'vigie-versioned',
    unversionedBucket: 'vigie-plain',
    checksSignatures: true,
    async teardown() {
      await server.close();
      // Everything the suite created was deleted by it: only empty bucket folders may remain.
      const keys = await readdir(join(dataDir, 'buckets', 'vigie-versioned', 'keys'));
      if (keys.length > 0) throw new Error(`left-over key files: ${keys.length}`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

