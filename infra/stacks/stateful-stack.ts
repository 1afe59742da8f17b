import { CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import type { LifecycleRule } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';

/**
 * The logical ids of the stateful resources. CloudFormation replaces a resource whose logical id
 * changes — for a bucket or table, that is data loss — so they are pinned here (not derived from
 * the construct path, which a refactoring can change) and a test asserts them.
 */
export const STATEFUL_LOGICAL_IDS = {
  backupKey: 'BackupKey',
  backupBucket: 'BackupBucket',
  accessLogsBucket: 'AccessLogsBucket',
  inboundMailBucket: 'InboundMailBucket',
  table: 'VigieTable',
  linkSigningSecret: 'LinkSigningSecret',
} as const;

/** Key prefixes of the backup repository (DESIGN.md §2); lifecycle filters match a key's beginning. */
export const BACKUP_PREFIXES = {
  dailySnapshots: 'snapshots/daily/',
  weeklySnapshots: 'snapshots/weekly/',
  /** Ad-hoc backups (other paths, or asked so): their own slot, never displacing a daily or weekly restore point. */
  adhocSnapshots: 'snapshots/adhoc/',
  packs: 'packs/',
  index: 'index/',
  /** Wrapped copies of each client's master key: kept for good, no rule touches them. */
  keys: 'keys/',
  staging: 'staging/',
} as const;

/**
 * Retention counted in versions (DESIGN.md §3): a slot keeps its current version plus N noncurrent
 * ones, whatever their age, so a site that stops backing up keeps every restore point it had.
 */
export const RETENTION = {
  /** Current + 6 noncurrent = the last 7 days that had a backup. */
  dailyNoncurrentVersions: 6,
  /** Current + 2 noncurrent = this week and the two before it. */
  weeklyNoncurrentVersions: 2,
  /** Current + 6 noncurrent = the last 7 ad-hoc backups. */
  adhocNoncurrentVersions: 6,
  /** How long a pack deleted by GC can still be brought back. */
  packSafetyWindowDays: 30,
  stagingDays: 1,
  abortMultipartDays: 1,
  inboundMailDays: 30,
  /** Long enough to investigate a year of access (a yearly audit), short enough to stay cheap. */
  accessLogsDays: 400,
} as const;

export const BACKUP_LIFECYCLE_RULES: LifecycleRule[] = [
  {
    id: 'snapshots-daily-keep-7-versions',
    prefix: BACKUP_PREFIXES.dailySnapshots,
    // NoncurrentDays is required by S3 next to NewerNoncurrentVersions; 1 is the smallest value.
    noncurrentVersionExpiration: Duration.days(1),
    noncurrentVersionsToRetain: RETENTION.dailyNoncurrentVersions,
  },
  {
    id: 'snapshots-weekly-keep-3-versions',
    prefix: BACKUP_PREFIXES.weeklySnapshots,
    noncurrentVersionExpiration: Duration.days(1),
    noncurrentVersionsToRetain: RETENTION.weeklyNoncurrentVersions,
  },
  {
    id: 'snapshots-adhoc-keep-7-versions',
    prefix: BACKUP_PREFIXES.adhocSnapshots,
    noncurrentVersionExpiration: Duration.days(1),
    noncurrentVersionsToRetain: RETENTION.adhocNoncurrentVersions,
  },
  {
    id: 'packs-intelligent-tiering',
    prefix: BACKUP_PREFIXES.packs,
    transitions: [{ storageClass: StorageClass.INTELLIGENT_TIERING, transitionAfter: Duration.days(0) }],
    noncurrentVersionExpiration: Duration.days(RETENTION.packSafetyWindowDays),
  },
  {
    id: 'staging-expire-1-day',
    prefix: BACKUP_PREFIXES.staging,
    expiration: Duration.days(RETENTION.stagingDays),
    noncurrentVersionExpiration: Duration.days(RETENTION.stagingDays),
  },
  {
    id: 'abort-incomplete-multipart-uploads',
    abortIncompleteMultipartUploadAfter: Duration.days(RETENTION.abortMultipartDays),
  },
];

const pinLogicalId = (construct: IConstruct, logicalId: string): void => {
  const resource = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource)) throw new Error(`${construct.node.path} has no CloudFormation resource to pin`);
  resource.overrideLogicalId(logicalId);
};

/**
 * The resources that hold data: RETAIN on all of them, stable logical ids, nothing here is ever
 * replaced by a deployment. The API stack receives them through the public properties.
 */
export class StatefulStack extends Stack {
  /** Customer-managed key of the backup bucket (rotation on). */
  public readonly backupKey: Key;
  /** The backup repository: packs, indexes, snapshot slots, staging, wrapped keys (DESIGN.md §2). */
  public readonly backupBucket: Bucket;
  /** Raw alert mail written by the SES receipt rule. */
  public readonly inboundMailBucket: Bucket;
  /** S3 server access logs of the two data buckets. */
  public readonly accessLogsBucket: Bucket;
  /** The single table: contracts, agents, staff scopes, incidents, SLA state. */
  public readonly table: Table;
  /** HMAC key that signs the acknowledge/resolve links in notification mails. */
  public readonly linkSigningSecret: Secret;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    this.accessLogsBucket = new Bucket(this, 'AccessLogsBucket', {
      // Server access log delivery supports only SSE-S3 on the target bucket.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      lifecycleRules: [
        { id: 'expire-access-logs', expiration: Duration.days(RETENTION.accessLogsDays) },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.accessLogsBucket, STATEFUL_LOGICAL_IDS.accessLogsBucket);
    // No access logs for the log bucket itself: cdk-nag recognizes an access-log target (S1 does not apply).

    this.backupKey = new Key(this, 'BackupKey', {
      description: 'Vigie backup bucket (SSE-KMS)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.backupKey, STATEFUL_LOGICAL_IDS.backupKey);

    this.backupBucket = new Bucket(this, 'BackupBucket', {
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.backupKey,
      // One data key per bucket instead of one KMS call per object: the agent uploads many packs.
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'backup-bucket/',
      lifecycleRules: BACKUP_LIFECYCLE_RULES,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.backupBucket, STATEFUL_LOGICAL_IDS.backupBucket);

    this.inboundMailBucket = new Bucket(this, 'InboundMailBucket', {
      // SES writes here; SSE-S3 needs no key grant to the SES service principal.
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'inbound-mail-bucket/',
      lifecycleRules: [
        { id: 'expire-raw-mail', expiration: Duration.days(RETENTION.inboundMailDays) },
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.inboundMailBucket, STATEFUL_LOGICAL_IDS.inboundMailBucket);

    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: 'ttl',
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Both generic indexes now: CloudFormation creates or deletes only one GSI per stack update.
    for (const index of ['gsi1', 'gsi2']) {
      this.table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: `${index}pk`, type: AttributeType.STRING },
        sortKey: { name: `${index}sk`, type: AttributeType.STRING },
        projectionType: ProjectionType.ALL,
      });
    }
    pinLogicalId(this.table, STATEFUL_LOGICAL_IDS.table);

    this.linkSigningSecret = new Secret(this, 'LinkSigningSecret', {
      description: 'Vigie: HMAC key signing the acknowledge/resolve links in notification mails',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    pinLogicalId(this.linkSigningSecret, STATEFUL_LOGICAL_IDS.linkSigningSecret);
    Validations.of(this.linkSigningSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'An HMAC signing key, not a credential to a system: automatic rotation would invalidate every link already mailed. ' +
        'It is rotated by hand, as a planned operation (docs/infrastructure.md).',
    });
  }
}
