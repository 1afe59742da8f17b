import type { LifecycleRule } from '@aws-sdk/client-s3';
import { buildApp } from '../../infra/app-builder';
import { STATEFUL_LOGICAL_IDS } from '../../infra/stacks/stateful-stack';
import type { NoncurrentExpirationRule } from '../../shared/domain/backup/retention';
import { TEST_CONTEXT } from '../infra/stacks/fixture';

/** A lifecycle rule as CloudFormation states it (AWS::S3::Bucket Rule). */
export interface CfnLifecycleRule {
  Id?: string;
  Status: 'Enabled' | 'Disabled';
  Prefix?: string;
  ExpirationInDays?: number;
  NoncurrentVersionExpiration?: { NoncurrentDays: number; NewerNoncurrentVersions?: number };
  Transitions?: Array<{ StorageClass: string; TransitionInDays: number }>;
  AbortIncompleteMultipartUpload?: { DaysAfterInitiation: number };
}

const KNOWN = new Set(['Id', 'Status', 'Prefix', 'ExpirationInDays', 'NoncurrentVersionExpiration', 'Transitions', 'AbortIncompleteMultipartUpload']);

/**
 * The backup bucket's lifecycle rules from the synthesized template, exactly as `cdk synth` writes them (the app
 * as infra/app.ts builds it; bundling skipped, cdk-nag off: neither changes the template's rules).
 */
export function backupBucketRulesFromTemplate(): CfnLifecycleRule[] {
  const built = buildApp({ context: { ...TEST_CONTEXT }, nag: false });
  const template = built.app.synth().getStackByName(built.stateful.stackName).template as {
    Resources: Record<string, { Properties?: { LifecycleConfiguration?: { Rules: CfnLifecycleRule[] } } }>;
  };
  const rules = template.Resources[STATEFUL_LOGICAL_IDS.backupBucket]?.Properties?.LifecycleConfiguration?.Rules;
  if (!rules || rules.length === 0) throw new Error('the backup bucket has no lifecycle rules in the template');
  for (const rule of rules) {
    const unknown = Object.keys(rule).filter((name) => !KNOWN.has(name));
    // A rule this converter does not understand must fail the simulation, not be half put on the bucket.
    if (unknown.length > 0) throw new Error(`lifecycle rule ${rule.Id ?? '?'} has ${unknown.join(', ')}: teach the simulation to read it`);
  }
  return rules;
}

/** The same rules as PutBucketLifecycleConfiguration takes them. */
export function toS3ApiRules(rules: readonly CfnLifecycleRule[]): LifecycleRule[] {
  return rules.map((rule) => ({
    ...(rule.Id === undefined ? {} : { ID: rule.Id }),
    Status: rule.Status,
    Filter: { Prefix: rule.Prefix ?? '' },
    ...(rule.ExpirationInDays === undefined ? {} : { Expiration: { Days: rule.ExpirationInDays } }),
    ...(rule.NoncurrentVersionExpiration ? { NoncurrentVersionExpiration: { ...rule.NoncurrentVersionExpiration } } : {}),
    ...(rule.Transitions
      ? { Transitions: rule.Transitions.map((t) => ({ StorageClass: t.StorageClass as 'INTELLIGENT_TIERING', Days: t.TransitionInDays })) }
      : {}),
    ...(rule.AbortIncompleteMultipartUpload ? { AbortIncompleteMultipartUpload: { ...rule.AbortIncompleteMultipartUpload } } : {}),
  }));
}

/**
 * The rules as the retention model takes them: NoncurrentVersionExpiration by prefix. A rule that could expire the
 * current version of a snapshot slot is refused: the model (and the contract) assume none does.
 */
export function toRetentionRules(rules: readonly CfnLifecycleRule[]): NoncurrentExpirationRule[] {
  const enabled = rules.filter((rule) => rule.Status === 'Enabled');
  for (const rule of enabled) {
    const prefix = rule.Prefix ?? '';
    const reachesSnapshots = prefix.startsWith('snapshots/') || 'snapshots/'.startsWith(prefix);
    if (reachesSnapshots && rule.ExpirationInDays !== undefined) throw new Error(`rule ${rule.Id ?? '?'} would expire current snapshot versions`);
  }
  return enabled.flatMap((rule) =>
    rule.NoncurrentVersionExpiration
      ? [
          {
            ...(rule.Id === undefined ? {} : { id: rule.Id }),
            prefix: rule.Prefix ?? '',
            noncurrentDays: rule.NoncurrentVersionExpiration.NoncurrentDays,
            ...(rule.NoncurrentVersionExpiration.NewerNoncurrentVersions === undefined
              ? {}
              : { newerNoncurrentVersions: rule.NoncurrentVersionExpiration.NewerNoncurrentVersions }),
          },
        ]
      : [],
  );
}
