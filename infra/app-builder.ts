import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadConfig } from './config';
import type { VigieConfig } from './config';
import { ApiStack } from './stacks/api-stack';
import { StatefulStack } from './stacks/stateful-stack';

export const STACK_NAMES = {
  stateful: 'VigieStateful',
  api: 'VigieApi',
} as const;

/**
 * Feature flags the stacks depend on, fixed here rather than in cdk.json so the tests and the CLI
 * synthesize the same template whatever context they are given.
 */
const FEATURE_FLAGS = {
  // Access-log delivery granted by a bucket policy on the log bucket (ACLs stay disabled).
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // The API stack reads the table's name and ARN with Fn::GetStackOutput instead of Export/ImportValue:
  // no "deadly embrace" when a later version stops using a value. The stateful stack has termination
  // protection and RETAIN resources, so the strong references' delete-protection adds nothing.
  '@aws-cdk/core:defaultCrossStackReferences': 'weak',
} as const;

export interface BuildAppOptions {
  /** CDK context (the `vigie:*` keys, `aws:cdk:bundling-stacks`, …); the CLI's context is read as well. */
  readonly context?: Record<string, unknown>;
  /** Cloud assembly directory; defaults to the CLI's (or a temporary one). */
  readonly outdir?: string;
  /** Target account; undefined gives account-agnostic stacks (what the CLI does without credentials). */
  readonly account?: string;
  /** Run the cdk-nag AwsSolutions checks at synth (default true). */
  readonly nag?: boolean;
}

export interface VigieApp {
  readonly app: App;
  readonly config: VigieConfig;
  readonly stateful: StatefulStack;
  readonly api: ApiStack;
  /** The nag pack registered on the app, when `nag` is on; tests call `validateScope(app)` on it. */
  readonly nagPack: AwsSolutionsChecks | undefined;
}

/**
 * Builds the whole app — stacks, wiring, compliance checks — from context alone, so that
 * `infra/app.ts` and the tests synthesize exactly the same thing.
 */
export function buildApp(options: BuildAppOptions = {}): VigieApp {
  const app = new App({
    ...(options.context ? { context: options.context } : {}),
    postCliContext: FEATURE_FLAGS,
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const config = loadConfig((key) => app.node.tryGetContext(key));
  const env = { region: config.region, ...(options.account ? { account: options.account } : {}) };

  const stateful = new StatefulStack(app, STACK_NAMES.stateful, {
    env,
    description: 'Vigie stateful resources: backup bucket and key, inbound mail bucket, table, link-signing secret (RETAIN)',
    terminationProtection: true,
  });
  const api = new ApiStack(app, STACK_NAMES.api, {
    env,
    description: 'Vigie control plane: HTTP API, Lambda authorizer, one Lambda per route, staff user pool',
    table: stateful.table,
    tableIndexNames: ['gsi1', 'gsi2'],
  });
  api.addStackDependency(stateful);

  let nagPack: AwsSolutionsChecks | undefined;
  if (options.nag ?? true) {
    nagPack = new AwsSolutionsChecks(app);
    Validations.of(app).addPlugins(nagPack);
  }
  return { app, config, stateful, api, nagPack };
}
