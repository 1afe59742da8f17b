import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { UserPool } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { grantLambdaAccess } from '../../../infra/stacks/constructs/route-function';
import { indexesOf, tableGrantsOf, tablePermissionsOf } from '../../../infra/stacks/table-grants';
import type { TableAccess } from '../../../shared/adapters/dynamo/keys';
import type { LambdaAccess } from '../../../shared/http/routes';

describe('tablePermissionsOf', () => {
  it('turns each operation into one action on the entity type partitions: the table for items, the index for index queries', () => {
    expect(tablePermissionsOf({ contract: ['get', 'query:gsi1'], interruption: ['query', 'update', 'put', 'check'] })).toEqual([
      { action: 'Query', resource: 'index/gsi1', prefix: 'CLIENT' },
      { action: 'ConditionCheckItem', resource: 'table', prefix: 'CONTRACT-INTERRUPTIONS' },
      { action: 'GetItem', resource: 'table', prefix: 'CONTRACT' },
      { action: 'PutItem', resource: 'table', prefix: 'CONTRACT-INTERRUPTIONS' },
      { action: 'Query', resource: 'table', prefix: 'CONTRACT-INTERRUPTIONS' },
      { action: 'UpdateItem', resource: 'table', prefix: 'CONTRACT-INTERRUPTIONS' },
    ]);
  });

  it('names an index by the partition prefix the entity type is written with there', () => {
    expect(tablePermissionsOf({ agent: ['query:gsi1'] })).toEqual([{ action: 'Query', resource: 'index/gsi1', prefix: 'CLIENT' }]);
  });

  it('grants nothing for an empty declaration', () => {
    expect(tablePermissionsOf({})).toEqual([]);
    expect(tableGrantsOf({})).toEqual([]);
  });

  it('refuses what the types refuse, should a declaration get past them', () => {
    expect(() => tablePermissionsOf({ contract: ['query:gsi2'] } as unknown as TableAccess)).toThrow(/contract is not written to index gsi2/);
    expect(() => tablePermissionsOf({ contract: ['delete'] } as unknown as TableAccess)).toThrow(/unknown table operation delete/);
    expect(() => tablePermissionsOf({ invoice: ['get'] } as unknown as TableAccess)).toThrow(/unknown entity type invoice/);
  });
});

describe('tableGrantsOf', () => {
  it('never widens an action to another entity type partitions: one statement per set of actions sharing the same partitions', () => {
    expect(tableGrantsOf({ contract: ['get'], interruption: ['get', 'update'] })).toEqual([
      { actions: ['GetItem'], resource: 'table', leadingKeys: ['CONTRACT#*', 'CONTRACT-INTERRUPTIONS#*'] },
      { actions: ['UpdateItem'], resource: 'table', leadingKeys: ['CONTRACT-INTERRUPTIONS#*'] },
    ]);
  });

  it('merges the actions that share the same partitions, and keeps each index a statement of its own', () => {
    expect(tableGrantsOf({ contract: ['put', 'get', 'query:gsi1'], 'agent-key': ['get'], agent: ['query:gsi1'] })).toEqual([
      { actions: ['Query'], resource: 'index/gsi1', leadingKeys: ['CLIENT#*'] },
      { actions: ['GetItem'], resource: 'table', leadingKeys: ['AGENTKEY#*', 'CONTRACT#*'] },
      { actions: ['PutItem'], resource: 'table', leadingKeys: ['CONTRACT#*'] },
    ]);
  });

  it('lists the indexes a declaration queries', () => {
    expect(indexesOf({ contract: ['get', 'query:gsi1'], agent: ['query:gsi1'] })).toEqual(['gsi1']);
    expect(indexesOf({ contract: ['get'] })).toEqual([]);
  });
});

describe('grantLambdaAccess', () => {
  const build = (access: LambdaAccess, tableIndexNames: readonly string[] = ['gsi1', 'gsi2']) => {
    const stack = new Stack(new App(), 'Grants');
    const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING }, sortKey: { name: 'sk', type: AttributeType.STRING } });
    const userPool = new UserPool(stack, 'Pool');
    const role = new Role(stack, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    grantLambdaAccess(role, access, { table, tableIndexNames, userPool }, 'POST /v1/test');
    return { stack, table, userPool };
  };
  const statementsOf = (stack: Stack) =>
    Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (policy) => (policy as { Properties: { PolicyDocument: { Statement: unknown[] } } }).Properties.PolicyDocument.Statement,
    );

  it('grants the Cognito admin actions a declaration names, on the staff user pool ARN only', () => {
    const { stack, userPool } = build({ table: { 'staff-scope': ['put'] }, userPool: ['AdminUserGlobalSignOut', 'AdminDisableUser', 'AdminDisableUser'] });
    const poolArn = stack.resolve(userPool.userPoolArn);
    expect(statementsOf(stack)).toContainEqual({ Action: ['cognito-idp:AdminDisableUser', 'cognito-idp:AdminUserGlobalSignOut'], Effect: 'Allow', Resource: poolArn });
  });

  it('grants nothing on the user pool when none is declared', () => {
    const { stack } = build({ table: { contract: ['get'] } });
    expect(JSON.stringify(statementsOf(stack))).not.toContain('cognito-idp');
  });

  it('conditions each table statement on the LeadingKeys of its partitions, on the table or the one named index', () => {
    const { stack, table } = build({ table: { agent: ['get', 'query:gsi1'] } });
    const tableArn = stack.resolve(table.tableArn);
    expect(statementsOf(stack)).toEqual([
      {
        Action: 'dynamodb:Query',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CLIENT#*'] } },
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [tableArn, '/index/gsi1']] },
      },
      {
        Action: 'dynamodb:GetItem',
        Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AGENT#*'] } },
        Effect: 'Allow',
        Resource: tableArn,
      },
    ]);
  });

  it('fails the synth when a declaration queries an index the table does not have', () => {
    expect(() => build({ table: { agent: ['query:gsi1'] } }, ['gsi2'])).toThrow('POST /v1/test queries gsi1, which the table does not have');
  });
});
