import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { STATEFUL_LOGICAL_IDS } from '../../../infra/stacks/stateful-stack';
import { synthesizeApp } from './fixture';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };

let template: Template;
let resources: Record<string, Resource>;
let apiResources: Record<string, Resource>;

const bucketProps = (logicalId: string): Record<string, unknown> => {
  const resource = resources[logicalId];
  if (!resource) throw new Error(`no resource ${logicalId}`);
  return resource.Properties;
};

beforeAll(() => {
  const app = synthesizeApp();
  template = app.statefulTemplate;
  resources = template.toJSON()['Resources'] as Record<string, Resource>;
  apiResources = app.apiTemplate.toJSON()['Resources'] as Record<string, Resource>;
});

describe('stable logical ids (a rename would make CloudFormation replace the data)', () => {
  it.each([
    ['backup bucket', 'BackupBucket', 'AWS::S3::Bucket'],
    ['backup key', 'BackupKey', 'AWS::KMS::Key'],
    ['inbound mail bucket', 'InboundMailBucket', 'AWS::S3::Bucket'],
    ['access logs bucket', 'AccessLogsBucket', 'AWS::S3::Bucket'],
    ['table', 'VigieTable', 'AWS::DynamoDB::Table'],
    ['link-signing secret', 'LinkSigningSecret', 'AWS::SecretsManager::Secret'],
  ])('%s is %s', (_name, logicalId, type) => {
    expect(resources[logicalId]?.Type).toBe(type);
  });

  it('pins every stateful resource of the stack (nothing stateful with a generated id)', () => {
    const stateful = Object.entries(resources)
      .filter(([, r]) => ['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::DynamoDB::Table', 'AWS::SecretsManager::Secret'].includes(r.Type))
      .map(([id]) => id)
      .sort();
    expect(stateful).toEqual(Object.values(STATEFUL_LOGICAL_IDS).sort());
  });

  it('pins the staff user pool of the API stack', () => {
    expect(apiResources['StaffUserPool']?.Type).toBe('AWS::Cognito::UserPool');
  });
});

describe('RETAIN on stateful resources', () => {
  it.each(Object.values(STATEFUL_LOGICAL_IDS))('%s is retained on delete and on replacement', (logicalId) => {
    expect(resources[logicalId]?.DeletionPolicy).toBe('Retain');
    expect(resources[logicalId]?.UpdateReplacePolicy).toBe('Retain');
  });

  it('retains the staff user pool and protects it from deletion', () => {
    expect(apiResources['StaffUserPool']?.DeletionPolicy).toBe('Retain');
    expect(apiResources['StaffUserPool']?.Properties['DeletionProtection']).toBe('ACTIVE');
  });
});

describe('backup bucket', () => {
  it('is versioned', () => {
    expect(bucketProps('BackupBucket')['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
  });

  it('encrypts with SSE-KMS under the customer key, bucket key on', () => {
    expect(bucketProps('BackupBucket')['BucketEncryption']).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['BackupKey', 'Arn'] } },
        },
      ],
    });
  });

  it('uses a customer-managed key with rotation', () => {
    expect(resources['BackupKey']?.Properties['EnableKeyRotation']).toBe(true);
  });

  it('logs server access to the log bucket', () => {
    expect(bucketProps('BackupBucket')['LoggingConfiguration']).toEqual({
      DestinationBucketName: { Ref: 'AccessLogsBucket' },
      LogFilePrefix: 'backup-bucket/',
    });
  });

  describe('lifecycle rules, counted in versions (DESIGN.md §3)', () => {
    const rules = (): Record<string, unknown>[] =>
      (bucketProps('BackupBucket')['LifecycleConfiguration'] as { Rules: Record<string, unknown>[] }).Rules;
    const ruleFor = (prefix: string): Record<string, unknown> => {
      const matching = rules().filter((r) => r['Prefix'] === prefix || (r['Filter'] as { Prefix?: string } | undefined)?.Prefix === prefix);
      expect(matching).toHaveLength(1);
      return matching[0] as Record<string, unknown>;
    };

    it('has exactly the six rules, all enabled', () => {
      expect(rules()).toHaveLength(6);
      for (const rule of rules()) expect(rule['Status']).toBe('Enabled');
    });

    it('snapshots/daily/ keeps the current version and 6 newer noncurrent ones', () => {
      expect(ruleFor('snapshots/daily/')).toEqual({
        Id: 'snapshots-daily-keep-7-versions',
        Prefix: 'snapshots/daily/',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NewerNoncurrentVersions: 6, NoncurrentDays: 1 },
      });
    });

    it('snapshots/weekly/ keeps the current version and 2 newer noncurrent ones', () => {
      expect(ruleFor('snapshots/weekly/')).toEqual({
        Id: 'snapshots-weekly-keep-3-versions',
        Prefix: 'snapshots/weekly/',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NewerNoncurrentVersions: 2, NoncurrentDays: 1 },
      });
    });

    it('snapshots/adhoc/ keeps the current version and 6 newer noncurrent ones (the last 7 ad-hoc backups)', () => {
      expect(ruleFor('snapshots/adhoc/')).toEqual({
        Id: 'snapshots-adhoc-keep-7-versions',
        Prefix: 'snapshots/adhoc/',
        Status: 'Enabled',
        NoncurrentVersionExpiration: { NewerNoncurrentVersions: 6, NoncurrentDays: 1 },
      });
    });

    it('packs/ go to Intelligent-Tiering at once; noncurrent packs expire after the 30-day safety window', () => {
      expect(ruleFor('packs/')).toEqual({
        Id: 'packs-intelligent-tiering',
        Prefix: 'packs/',
        Status: 'Enabled',
        Transitions: [{ StorageClass: 'INTELLIGENT_TIERING', TransitionInDays: 0 }],
        NoncurrentVersionExpiration: { NoncurrentDays: 30 },
      });
    });

    it('staging/ expires after a day, its noncurrent versions too', () => {
      expect(ruleFor('staging/')).toEqual({
        Id: 'staging-expire-1-day',
        Prefix: 'staging/',
        Status: 'Enabled',
        ExpirationInDays: 1,
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      });
    });

    it('aborts incomplete multipart uploads after a day, bucket-wide, and does nothing else bucket-wide', () => {
      const bucketWide = rules().filter((r) => r['Prefix'] === undefined && r['Filter'] === undefined);
      expect(bucketWide).toEqual([
        { Id: 'abort-incomplete-multipart-uploads', Status: 'Enabled', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } },
      ]);
    });

    it('never expires snapshot current versions by age (a dead site keeps its restore points)', () => {
      for (const rule of rules()) {
        const prefix = (rule['Prefix'] ?? (rule['Filter'] as { Prefix?: string } | undefined)?.Prefix ?? '') as string;
        const couldMatchSnapshots = prefix === '' || prefix.startsWith('snapshots/') || 'snapshots/'.startsWith(prefix);
        if (!couldMatchSnapshots) continue;
        expect(rule).not.toHaveProperty('ExpirationInDays');
        expect(rule).not.toHaveProperty('ExpirationDate');
        expect(rule).not.toHaveProperty('Transitions');
        expect(rule).not.toHaveProperty('ExpiredObjectDeleteMarker');
      }
    });
  });
});

describe('inbound mail bucket', () => {
  it('has default encryption', () => {
    expect(bucketProps('InboundMailBucket')['BucketEncryption']).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });

  it('expires raw mail after 30 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 30, Status: 'Enabled' })]) },
      LoggingConfiguration: { DestinationBucketName: { Ref: 'AccessLogsBucket' }, LogFilePrefix: 'inbound-mail-bucket/' },
    });
  });
});

describe('every bucket', () => {
  const buckets = (): [string, Resource][] => Object.entries(resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket');

  it('blocks all public access', () => {
    expect(buckets().length).toBe(3);
    for (const [, bucket] of buckets()) {
      expect(bucket.Properties['PublicAccessBlockConfiguration']).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
    }
  });

  it('disables ACLs (bucket owner enforced)', () => {
    for (const [, bucket] of buckets()) {
      expect(bucket.Properties['OwnershipControls']).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    }
  });

  it('denies any request not made over TLS, on the bucket and its objects', () => {
    for (const [logicalId] of buckets()) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: logicalId },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              Resource: [
                { 'Fn::GetAtt': [logicalId, 'Arn'] },
                { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId, 'Arn'] }, '/*']] },
              ],
            }),
          ]),
        },
      });
    }
  });
});

describe('table', () => {
  const table = (): Record<string, unknown> => resources['VigieTable']?.Properties ?? {};

  it('is on-demand with string pk/sk', () => {
    expect(table()['BillingMode']).toBe('PAY_PER_REQUEST');
    expect(table()['KeySchema']).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
  });

  it('has point-in-time recovery and deletion protection', () => {
    expect(table()['PointInTimeRecoverySpecification']).toEqual({ PointInTimeRecoveryEnabled: true });
    expect(table()['DeletionProtectionEnabled']).toBe(true);
  });

  it('expires items on the ttl attribute', () => {
    expect(table()['TimeToLiveSpecification']).toEqual({ AttributeName: 'ttl', Enabled: true });
  });

  it('defines both generic GSIs now (CloudFormation adds one GSI per update)', () => {
    expect(table()['GlobalSecondaryIndexes']).toEqual([
      {
        IndexName: 'gsi1',
        KeySchema: [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: 'gsi2',
        KeySchema: [
          { AttributeName: 'gsi2pk', KeyType: 'HASH' },
          { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ]);
    const attributes = (table()['AttributeDefinitions'] as { AttributeName: string; AttributeType: string }[])
      .map((a) => `${a.AttributeName}:${a.AttributeType}`)
      .sort();
    expect(attributes).toEqual(['gsi1pk:S', 'gsi1sk:S', 'gsi2pk:S', 'gsi2sk:S', 'pk:S', 'sk:S']);
  });
});

describe('link-signing secret', () => {
  it('is generated, never written in the template', () => {
    const secret = resources['LinkSigningSecret']?.Properties ?? {};
    expect(secret['GenerateSecretString']).toMatchObject({ PasswordLength: 64 });
    expect(secret).not.toHaveProperty('SecretString');
  });
});
