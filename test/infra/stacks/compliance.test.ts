import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { grantsS3OnWildcard, policyStatements, synthesizeApp } from './fixture';
import type { SynthesizedApp } from './fixture';

let built: SynthesizedApp;

beforeAll(() => {
  built = synthesizeApp();
});

describe('no S3 action on Resource "*" in any policy of any stack', () => {
  it('finds the policies it searches (the check is not vacuous)', () => {
    const statements = [...policyStatements(built.statefulTemplate), ...policyStatements(built.apiTemplate)];
    expect(statements.filter((s) => s.type === 'AWS::S3::BucketPolicy').length).toBeGreaterThanOrEqual(3);
    expect(statements.filter((s) => s.type === 'AWS::IAM::Policy').length).toBeGreaterThan(10);
  });

  it('flags a statement that grants an S3 action on "*"', () => {
    expect(grantsS3OnWildcard({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' })).toBe(true);
    expect(grantsS3OnWildcard({ Effect: 'Allow', Action: '*', Resource: ['*'] })).toBe(true);
    expect(grantsS3OnWildcard({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::*' })).toBe(true);
    expect(grantsS3OnWildcard({ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' })).toBe(false);
  });

  it.each(['stateful', 'api'] as const)('the %s stack has none', (which) => {
    const template = which === 'stateful' ? built.statefulTemplate : built.apiTemplate;
    const offending = policyStatements(template).filter((s) => grantsS3OnWildcard(s.statement));
    expect(offending).toEqual([]);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('is registered on the app by buildApp', () => {
    expect(built.nagPack).toBeInstanceOf(AwsSolutionsChecks);
  });

  it('reports no unacknowledged finding', () => {
    const report = built.nagPack?.validateScope(built.app);
    const findings = (report?.violations ?? []).map((v) => `${v.severity} ${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('leaves no error annotation on either stack', () => {
    for (const stack of [built.stateful, built.api]) {
      expect(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
      expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    }
  });

  it('acknowledges only the reviewed findings, each with a written reason, on the resource itself', () => {
    const acknowledged: string[] = [];
    for (const construct of built.app.node.findAll()) {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          expect(reason.length, `${construct.node.path} ${id}`).toBeGreaterThan(40);
          acknowledged.push(`${construct.node.path} ${id.replace(/^annotation::/i, '')}`);
        }
      }
    }
    // No acknowledgement on an app or stack: each sits on the construct it is about.
    expect(acknowledged.filter((a) => /^(VigieStateful|VigieApi)? /.test(a))).toEqual([]);
    expect(new Set(acknowledged.map((a) => a.split(' ')[1]))).toEqual(new Set(['AwsSolutions-SMG4', 'AwsSolutions-L1']));
    expect(acknowledged).toContain('VigieStateful/LinkSigningSecret AwsSolutions-SMG4');
  });

  it('does catch a non-compliant resource (the check is live)', () => {
    const app = new App();
    new Bucket(new Stack(app, 'Scratch'), 'PlainBucket');
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => v.ruleName)).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });
});
