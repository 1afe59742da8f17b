import { CfnOutput, CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  UserPool,
} from 'aws-cdk-lib/aws-cognito';
import type { UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { ROUTES, routeKey } from '../../shared/http/routes';
import type { RouteDefinition } from '../../shared/http/routes';
import { RouteFunction, grantLambdaAccess } from './constructs/route-function';
import type { GrantTargets } from './constructs/route-function';
import { NON_ROUTE_LAMBDAS } from './lambda-access';

/** The staff groups of the user pool; the authorizer maps them to roles (docs/roles). */
export const STAFF_GROUPS = ['admin', 'technician', 'manager'] as const;

export const API_LOGICAL_IDS = {
  /** Users and their MFA enrolments live here: replacing the pool would lock every staff member out. */
  userPool: 'StaffUserPool',
} as const;

export interface ApiStackProps extends StackProps {
  /** The single table (from the stateful stack). */
  readonly table: ITable;
  /** The table's global secondary indexes; each function may query only those its declaration names. */
  readonly tableIndexNames: readonly string[];
  /** Routes to deploy; defaults to every route of `shared/http/routes.ts`. */
  readonly routes?: readonly RouteDefinition[];
}

/** `contracts-create` → `ContractsCreate`: construct ids that read like the file names. */
export const constructIdOf = (handler: string): string =>
  handler
    .split(/[^a-zA-Z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');

const RUNTIME_ACK = {
  id: 'AwsSolutions-L1',
  reason:
    'nodejs22.x on purpose: the code must also run on the Node 20 used by local mode and CI; ' +
    'nodejs22.x is supported by Lambda. Move to nodejs24.x together with the development machines.',
};

/**
 * The control plane's HTTP API: one Lambda per route of `ROUTES`, all behind one Lambda authorizer
 * that accepts agent API keys and staff JWTs from the Cognito user pool.
 */
export class ApiStack extends Stack {
  public readonly httpApi: HttpApi;
  public readonly stage: HttpStage;
  public readonly userPool: UserPool;
  public readonly userPoolClient: UserPoolClient;
  public readonly authorizerFunction: RouteFunction;
  /** The function of each route, by route key (`GET /v1/contracts`). */
  public readonly routeFunctions: ReadonlyMap<string, RouteFunction>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const routes = props.routes ?? ROUTES;

    this.userPool = new UserPool(this, 'StaffUserPool', {
      // Staff accounts are created by an administrator, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Staff can order restores of clients' data: a password alone is not enough. TOTP only (no SMS costs, no SIM swap).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Threat protection blocks sign-ins from compromised credentials; the Plus plan costs cents for a staff-sized pool.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const cfnUserPool = this.userPool.node.defaultChild;
    if (CfnResource.isCfnResource(cfnUserPool)) cfnUserPool.overrideLogicalId(API_LOGICAL_IDS.userPool);

    for (const group of STAFF_GROUPS) {
      this.userPool.addGroup(`${constructIdOf(group)}Group`, { groupName: group, description: `Vigie ${group}` });
    }

    this.userPoolClient = this.userPool.addClient('StaffClient', {
      authFlows: { userSrp: true },
      generateSecret: false,
      preventUserExistenceErrors: true,
      // Tokens are obtained with SRP by the staff tools; no hosted UI, so no OAuth flows or callback URLs.
      disableOAuth: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });

    const environment: Record<string, string> = {
      TABLE_NAME: props.table.tableName,
      AUTH_MODE: 'cognito',
      COGNITO_USER_POOL_ID: this.userPool.userPoolId,
      COGNITO_CLIENT_ID: this.userPoolClient.userPoolClientId,
      POWERTOOLS_SERVICE_NAME: 'vigie',
      NODE_OPTIONS: '--enable-source-maps',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };

    // Every function gets exactly what its declaration says, on the entity types' partitions only.
    const grantTargets: GrantTargets = { table: props.table, tableIndexNames: props.tableIndexNames, userPool: this.userPool };

    this.authorizerFunction = new RouteFunction(this, 'Authorizer', {
      handler: 'authorizer',
      description: 'Vigie: the one authorizer of every route (agent API keys and staff JWTs)',
      environment,
    });
    grantLambdaAccess(this.authorizerFunction.role, NON_ROUTE_LAMBDAS.authorizer, grantTargets, 'authorizer');
    Validations.of(this.authorizerFunction).acknowledge(RUNTIME_ACK);

    const authorizer = new HttpLambdaAuthorizer('LambdaAuthorizer', this.authorizerFunction.function, {
      authorizerName: 'vigie-authorizer',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      // The decision depends on the route and its path parameters, not only on the token: never cache it.
      resultsCacheTtl: Duration.seconds(0),
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: 'vigie',
      description: 'Vigie control plane',
      // The default stage is created below, with access logs and throttling.
      createDefaultStage: false,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // Never the Authorization header: no keys or tokens in logs.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            authorizerLatency: '$context.authorizer.latency',
          }),
        ),
      },
    });

    const routeFunctions = new Map<string, RouteFunction>();
    for (const route of routes) {
      const fn = new RouteFunction(this, constructIdOf(route.handler), {
        handler: route.handler,
        description: `Vigie: ${routeKey(route)} — ${route.summary}`.slice(0, 256),
        environment,
      });
      grantLambdaAccess(fn.role, route, grantTargets, routeKey(route));
      Validations.of(fn).acknowledge(RUNTIME_ACK);

      this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: new HttpLambdaIntegration(`${constructIdOf(route.handler)}Integration`, fn.function),
        authorizer,
      });
      routeFunctions.set(routeKey(route), fn);
    }
    this.routeFunctions = routeFunctions;

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: 'Staff user pool' });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId, description: 'Staff app client' });
  }
}
