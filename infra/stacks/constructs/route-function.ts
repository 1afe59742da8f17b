import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root, where `functions/`, `package-lock.json` and `tsconfig.json` live. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** ESM bundles have no `require`; some CommonJS dependencies bundled into them still call it. */
const ESM_REQUIRE_BANNER =
  "import { createRequire as __vigieCreateRequire } from 'node:module'; const require = __vigieCreateRequire(import.meta.url);";

export type TableAccess = 'read' | 'readWrite';

/** Query and point reads only; no Scan: every access pattern is a key or index query. */
const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const TABLE_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * Grants table access naming the table and each index explicitly — no `index/*` wildcard, so a
 * future index does not silently widen what an existing function may read.
 */
export function grantTableAccess(role: IRole, table: ITable, indexNames: readonly string[], access: TableAccess): void {
  const actions = access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS];
  role.addToPrincipalPolicy(
    new PolicyStatement({
      actions,
      resources: [table.tableArn],
    }),
  );
  if (indexNames.length > 0) {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        // Indexes are read-only by nature.
        actions: ['dynamodb:Query'],
        resources: indexNames.map((name) => `${table.tableArn}/index/${name}`),
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
 * policy, no `logs:CreateLogGroup` on `*`. Callers add the data grants the function needs.
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
