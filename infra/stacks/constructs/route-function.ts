import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { LambdaAccess } from '../../../shared/http/routes';
import { indexesOf, tableGrantsOf } from '../table-grants';

/** The repository root, where `functions/`, `package-lock.json` and `tsconfig.json` live. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** ESM bundles have no `require`; some CommonJS dependencies bundled into them still call it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __vigieCreateRequire } from 'node:module'; const require = __vigieCreateRequire(import.meta.url);";

export interface GrantTargets {
  readonly table: ITable;
  /** The table's indexes (a declaration naming another one fails the synth). */
  readonly tableIndexNames: readonly string[];
  readonly userPool: IUserPool;
}

/**
 * Grants a Lambda exactly what its declaration says (a route's `table` and `userPool`, or the same for a Lambda
 * outside the route table), and nothing else:
 * - per table statement, item actions on the table or on one named index (no `index/*`), conditioned on
 *   `dynamodb:LeadingKeys` so that only the declared entity types' partitions can be touched (see `table-grants.ts`
 *   and docs/infrastructure.md);
 * - Cognito admin actions on the staff user pool's ARN only.
 */
export function grantLambdaAccess(role: IRole, access: LambdaAccess, targets: GrantTargets, lambdaName: string): void {
  const missing = indexesOf(access.table).filter((index) => !targets.tableIndexNames.includes(index));
  if (missing.length > 0) throw new Error(`${lambdaName} queries ${missing.join(', ')}, which the table does not have`);

  for (const grant of tableGrantsOf(access.table)) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: grant.actions.map((action) => `dynamodb:${action}`),
        resources: [grant.resource === 'table' ? targets.table.tableArn : `${targets.table.tableArn}/${grant.resource}`],
        // ForAllValues: every partition key the request names must match one of the patterns.
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...grant.leadingKeys] } },
      }),
    );
  }
  const userPoolActions = [...new Set(access.userPool ?? [])].sort();
  if (userPoolActions.length > 0) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: userPoolActions.map((action) => `cognito-idp:${action}`),
        resources: [targets.userPool.userPoolArn],
      }),
    );
  }
}

export interface RouteFunctionProps {
  /** File name in `functions/` without `.ts`; the file exports `handler`. */
  readonly handler: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly memorySize?: number;
  readonly timeout?: Duration;
  readonly logRetention?: RetentionDays;
}

/**
 * One Lambda of the control plane: Node 22 on ARM, an ESM bundle built by the local esbuild, its own
 * log group with a retention, and its own role that may write only to that log group — no managed
 * policy, no `logs:CreateLogGroup` on `*`. Callers add the data grants the function needs (`grantLambdaAccess`).
 */
export class RouteFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: Role;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: RouteFunctionProps) {
    super(scope, id);

    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Vigie ${props.handler} Lambda`,
    });
    this.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, 'functions', `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      role: this.role,
      logGroup: this.logGroup,
      environment: { ...props.environment },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the AWS SDK too: the exact versions of package-lock.json run in Lambda, not
        // whichever SDK the runtime ships that month.
        externalModules: [],
      },
    });
  }
}
