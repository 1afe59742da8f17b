import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../../infra/app-builder';
import type { VigieApp } from '../../../infra/app-builder';

/** The context of cdk.json, plus no bundling: unit tests check templates, not bundles. */
export const TEST_CONTEXT = {
  'vigie:region': 'eu-west-1',
  'vigie:mailDomain': 'alertes.example.fr',
  'vigie:senderAddress': 'vigie@alertes.example.fr',
  'vigie:publicApiDomain': 'api.vigie.example.fr',
  'aws:cdk:bundling-stacks': [],
} as const;

export interface SynthesizedApp extends VigieApp {
  readonly statefulTemplate: Template;
  readonly apiTemplate: Template;
}

/** Builds the app exactly as `infra/app.ts` does (cdk-nag included) and synthesizes both stacks. */
export function synthesizeApp(context: Record<string, unknown> = TEST_CONTEXT): SynthesizedApp {
  const built = buildApp({ context });
  // One synthesis (nag included) for both templates; Template.fromStack would synthesize once per stack.
  const assembly = built.app.synth();
  const templateOf = (stackName: string): Template => Template.fromJSON(assembly.getStackByName(stackName).template);
  return {
    ...built,
    statefulTemplate: templateOf(built.stateful.stackName),
    apiTemplate: templateOf(built.api.stackName),
  };
}

type Json = Record<string, unknown>;

export interface FoundStatement {
  /** Logical id of the resource holding the policy. */
  readonly resource: string;
  readonly type: string;
  readonly statement: Json;
}

const asArray = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Every policy statement of a template: IAM policies, inline role policies, bucket/queue/topic/key policies. */
export function policyStatements(template: Template): FoundStatement[] {
  const resources = (template.toJSON()['Resources'] ?? {}) as Record<string, { Type: string; Properties?: Json }>;
  const found: FoundStatement[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    const props = resource.Properties ?? {};
    const documents: unknown[] = [props['PolicyDocument'], props['KeyPolicy'], props['AssumeRolePolicyDocument']];
    for (const inline of asArray(props['Policies'])) documents.push((inline as Json)['PolicyDocument']);
    for (const document of documents) {
      for (const statement of asArray((document as Json | undefined)?.['Statement'])) {
        found.push({ resource: logicalId, type: resource.Type, statement: statement as Json });
      }
    }
  }
  return found;
}

/** A statement that lets an S3 action (or every action) apply to Resource `*`. */
export function grantsS3OnWildcard(statement: Json): boolean {
  const actions = asArray(statement['Action']).filter((a): a is string => typeof a === 'string');
  const touchesS3 = actions.some((a) => a === '*' || a.toLowerCase().startsWith('s3:'));
  const resources = asArray(statement['Resource']);
  const wildcard = resources.some((r) => r === '*' || r === 'arn:aws:s3:::*' || (typeof r === 'string' && /^arn:[^:]+:s3:::\*/.test(r)));
  return touchesS3 && wildcard;
}
