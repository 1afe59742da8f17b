import { Match } from 'aws-cdk-lib/assertions';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { constructIdOf } from '../../../infra/stacks/api-stack';
import { NON_ROUTE_LAMBDAS } from '../../../infra/stacks/lambda-access';
import { ENTITIES } from '../../../shared/adapters/dynamo/keys';
import type { EntityPartitions, EntityType, TableAccess } from '../../../shared/adapters/dynamo/keys';
import { ROUTES, routeKey } from '../../../shared/http/routes';
import type { LambdaAccess } from '../../../shared/http/routes';
import { synthesizeApp } from './fixture';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Effect?: string };

let template: Template;
let resources: Record<string, Resource>;

const ofType = (type: string): [string, Resource][] => Object.entries(resources).filter(([, r]) => r.Type === type);

const firstOfType = (type: string): Resource => {
  const found = ofType(type)[0];
  if (!found) throw new Error(`no ${type}`);
  return found[1];
};

/** The logical id of the one authorizer. */
const authorizerId = (): string => {
  const authorizers = ofType('AWS::ApiGatewayV2::Authorizer');
  expect(authorizers).toHaveLength(1);
  return (authorizers[0] as [string, Resource])[0];
};

/** The Lambda function logical id behind a route, followed through its integration. */
const functionOfRoute = (key: string): string => {
  const route = ofType('AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties['RouteKey'] === key);
  if (!route) throw new Error(`route ${key} missing`);
  const target = JSON.stringify(route[1].Properties['Target']);
  const integrationId = /"Ref":"([^"]+)"/.exec(target)?.[1] ?? '';
  const integration = resources[integrationId];
  const uri = JSON.stringify(integration?.Properties['IntegrationUri']);
  return /"Fn::GetAtt":\["([^"]+)","Arn"\]/.exec(uri)?.[1] ?? '';
};

/** Every statement of the role of a function. */
const statementsOfFunction = (functionId: string): Statement[] => {
  const roleId = JSON.stringify(resources[functionId]?.Properties['Role']).match(/"Fn::GetAtt":\["([^"]+)"/)?.[1];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties['Roles']).includes(`"${roleId}"`))
    .flatMap(([, p]) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement);
};

const isTableWrite = (action: string): boolean => /^dynamodb:.*(Put|Update|Delete|Write)/.test(action);

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

const actionsOf = (statements: Statement[]): string[] => statements.flatMap((s) => asList(s.Action));

/** The logical id of the function of the authorizer. */
const authorizerFunctionId = (): string => ofType('AWS::Lambda::Function').find(([id]) => id.startsWith('AuthorizerFunction'))?.[0] ?? '';

/** `table`, `index/gsi1`, … for the table's ARN (read from the stateful stack) and its index ARNs; anything else as is. */
function tableResourceName(resource: unknown): string {
  const text = JSON.stringify(resource);
  if (!text.includes('VigieTableArn')) return text;
  const index = /"\/index\/([A-Za-z0-9_.-]+)"\]\]\}$/.exec(text);
  return index ? `index/${index[1]}` : 'table';
}

/**
 * What a table declaration must grant, as `action resource LeadingKeys-pattern` lines — written out here from the
 * vocabulary, independently of the stack's own derivation, so that a wrong derivation fails this test.
 */
function expectedTableGrants(access: TableAccess): string[] {
  const simple: Record<string, string> = { get: 'GetItem', query: 'Query', check: 'ConditionCheckItem', put: 'PutItem', update: 'UpdateItem' };
  const lines = new Set<string>();
  for (const [entity, operations] of Object.entries(access) as Array<[EntityType, readonly string[]]>) {
    const partitions: EntityPartitions = ENTITIES[entity];
    for (const operation of operations) {
      const [verb, index] = operation.split(':') as [string, 'gsi1' | 'gsi2' | undefined];
      lines.add(index ? `dynamodb:Query index/${index} ${partitions[index]}#*` : `dynamodb:${simple[verb]} table ${partitions.pk}#*`);
    }
  }
  return [...lines].sort();
}

/** The same lines read from a role's statements (every statement on the table must carry the LeadingKeys condition). */
function grantedTableLines(statements: Statement[]): string[] {
  const lines = new Set<string>();
  for (const statement of statements.filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')))) {
    const condition = statement.Condition as { 'ForAllValues:StringLike'?: { 'dynamodb:LeadingKeys'?: string[] } } | undefined;
    expect(Object.keys(condition ?? {})).toEqual(['ForAllValues:StringLike']);
    const patterns = condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ?? [];
    expect(Object.keys(condition?.['ForAllValues:StringLike'] ?? {})).toEqual(['dynamodb:LeadingKeys']);
    expect(patterns.length).toBeGreaterThan(0);
    for (const action of asList(statement.Action)) {
      for (const resource of asList(statement.Resource)) {
        for (const pattern of patterns) lines.add(`${action} ${tableResourceName(resource)} ${pattern}`);
      }
    }
  }
  return [...lines].sort();
}

/** The Cognito grants of a role, as `action resource` lines. */
const grantedUserPoolLines = (statements: Statement[]): string[] =>
  statements
    .filter((s) => asList(s.Action).some((a) => a.startsWith('cognito-idp:')))
    .flatMap((s) => asList(s.Action).flatMap((a) => asList(s.Resource).map((r) => `${a} ${JSON.stringify(r)}`)))
    .sort();

const expectedUserPoolLines = (access: LambdaAccess): string[] =>
  [...new Set(access.userPool ?? [])].map((a) => `cognito-idp:${a} ${JSON.stringify({ 'Fn::GetAtt': ['StaffUserPool', 'Arn'] })}`).sort();

beforeAll(() => {
  template = synthesizeApp().apiTemplate;
  resources = template.toJSON()['Resources'] as Record<string, Resource>;
});

describe('HTTP API routes', () => {
  it('has exactly the routes of ROUTES', () => {
    const keys = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties['RouteKey']);
    expect(keys.sort()).toEqual(ROUTES.map(routeKey).sort());
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s is behind the Lambda authorizer', (key) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: key,
      AuthorizationType: 'CUSTOM',
      AuthorizerId: { Ref: authorizerId() },
    });
  });

  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s is served by its own function', (key, route) => {
    expect(functionOfRoute(key)).toMatch(new RegExp(`^${constructIdOf(route.handler)}Function[0-9A-F]{8}$`));
  });

  it('gives every route a distinct function', () => {
    const functions = new Set(ROUTES.map((r) => functionOfRoute(routeKey(r))));
    expect(functions.size).toBe(ROUTES.length);
  });
});

describe('the one authorizer', () => {
  it('is a simple-response Lambda authorizer on the Authorization header, never cached', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 0,
      AuthorizerUri: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([{ 'Fn::GetAtt': [Match.stringLikeRegexp('^AuthorizerFunction'), 'Arn'] }])],
      }),
    });
  });

  it('may do to the table exactly what NON_ROUTE_LAMBDAS declares for it, and never write', () => {
    const statements = statementsOfFunction(authorizerFunctionId());
    expect(grantedTableLines(statements)).toEqual(expectedTableGrants(NON_ROUTE_LAMBDAS.authorizer.table));
    expect(grantedTableLines(statements).length).toBeGreaterThan(0);
    expect(actionsOf(statements).filter(isTableWrite)).toEqual([]);
    expect(grantedUserPoolLines(statements)).toEqual([]);
  });
});

describe('route functions', () => {
  it('has one function per route plus the authorizer', () => {
    expect(ofType('AWS::Lambda::Function')).toHaveLength(ROUTES.length + 1);
  });

  it('runs every function on nodejs22.x, arm64, with the runtime configuration', () => {
    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      expect(fn.Properties['Runtime']).toBe('nodejs22.x');
      expect(fn.Properties['Architectures']).toEqual(['arm64']);
      expect(fn.Properties['Handler']).toBe('index.handler');
      const variables = (fn.Properties['Environment'] as { Variables: Record<string, unknown> }).Variables;
      expect(variables).toMatchObject({
        AUTH_MODE: 'cognito',
        COGNITO_USER_POOL_ID: { Ref: 'StaffUserPool' },
        POWERTOOLS_SERVICE_NAME: 'vigie',
        NODE_OPTIONS: '--enable-source-maps',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      });
      expect(JSON.stringify(variables['COGNITO_CLIENT_ID'])).toMatch(/StaffUserPoolStaffClient/);
      expect(JSON.stringify(variables['TABLE_NAME'])).toMatch(/VigieTable/);
    }
  });

  it('gives every function its own log group with a retention', () => {
    const functions = ofType('AWS::Lambda::Function');
    const logGroups = new Set(functions.map(([, fn]) => JSON.stringify((fn.Properties['LoggingConfig'] as { LogGroup: unknown }).LogGroup)));
    expect(logGroups.size).toBe(functions.length);
    for (const [, group] of ofType('AWS::Logs::LogGroup')) expect(group.Properties['RetentionInDays']).toBeGreaterThan(0);
  });

  it('attaches no AWS managed policy to any role', () => {
    for (const [, role] of ofType('AWS::IAM::Role')) expect(role.Properties['ManagedPolicyArns']).toBeUndefined();
  });

  // Every route's IAM grants against its entity types: exactly the declared actions, on the declared resources, for
  // the declared entity types' partitions; nothing more (a missing or extra grant fails).
  it.each(ROUTES.map((r) => [routeKey(r), r] as const))('%s may do to the table exactly what its declaration says', (key, route) => {
    const statements = statementsOfFunction(functionOfRoute(key));
    expect(grantedTableLines(statements)).toEqual(expectedTableGrants(route.table));
    expect(grantedUserPoolLines(statements)).toEqual(expectedUserPoolLines(route));
    expect(actionsOf(statements).filter((a) => !/^(dynamodb|cognito-idp):/.test(a))).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
  });

  it.each(ROUTES.filter((r) => r.method === 'GET').map((r) => [routeKey(r), r] as const))('%s (GET) declares no write and cannot write the table', (key, route) => {
    expect(Object.values(route.table).flat().filter((operation) => operation === 'put' || operation === 'update')).toEqual([]);
    expect(actionsOf(statementsOfFunction(functionOfRoute(key))).filter(isTableWrite)).toEqual([]);
  });

  it('grants no role a Scan, a delete, a batch, a table description, a wildcard action or an index wildcard', () => {
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      const statements = (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement;
      expect(actionsOf(statements).filter((a) => a.includes('*') || /^dynamodb:(Scan|Delete|Batch|Describe|PartiQL|Transact)/.test(a))).toEqual([]);
      expect(JSON.stringify(statements)).not.toMatch(/\/index\/\*/);
    }
  });

  it('grants the table to no role without a LeadingKeys condition, and only on the table or a named index', () => {
    let tableStatements = 0;
    for (const [, policy] of ofType('AWS::IAM::Policy')) {
      for (const statement of (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement) {
        if (!asList(statement.Action).some((a) => a.startsWith('dynamodb:'))) continue;
        tableStatements += 1;
        expect(statement.Effect).toBe('Allow');
        expect(asList(statement.Resource).map(tableResourceName)).toEqual([expect.stringMatching(/^(table|index\/gsi[12])$/)]);
        expect(JSON.stringify(statement.Condition)).toMatch(/^\{"ForAllValues:StringLike":\{"dynamodb:LeadingKeys":\["[A-Z][A-Z0-9-]*#\*"(,"[A-Z][A-Z0-9-]*#\*")*\]\}\}$/);
      }
    }
    expect(tableStatements).toBeGreaterThan(ROUTES.length);
  });
});

describe('API stage', () => {
  it('writes access logs to a log group with a retention', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
      DefaultRouteSettings: Match.objectLike({ ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() }),
    });
  });

  it('never logs the Authorization header', () => {
    const stage = firstOfType('AWS::ApiGatewayV2::Stage');
    expect(JSON.stringify(stage.Properties['AccessLogSettings'])).not.toMatch(/authorization\b(?!\.)/i);
  });
});

describe('staff user pool', () => {
  it('has no self sign-up, a strong password policy and required TOTP MFA', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      UserPoolTier: 'PLUS',
      Policies: {
        PasswordPolicy: Match.objectLike({
          MinimumLength: 14,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        }),
      },
    });
  });

  it.each(['admin', 'technician', 'manager'])('has the %s group', (group) => {
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group, UserPoolId: { Ref: 'StaffUserPool' } });
  });

  it('has one public app client without OAuth flows', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_SRP_AUTH']),
    });
    const client = firstOfType('AWS::Cognito::UserPoolClient');
    expect(client.Properties['AllowedOAuthFlows']).toBeUndefined();
  });
});

describe('outputs', () => {
  it('exports the API URL, the user pool id and the client id', () => {
    const outputs = template.toJSON()['Outputs'] as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs['ApiUrl']?.Value)).toMatch(/execute-api/);
    expect(outputs['UserPoolId']?.Value).toEqual({ Ref: 'StaffUserPool' });
    expect(JSON.stringify(outputs['UserPoolClientId']?.Value)).toMatch(/StaffUserPoolStaffClient/);
  });
});
