import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactGetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStaffRepository } from '../../../../shared/adapters/dynamo/staff-repository';

const TABLE = 'vigie-test';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = new DynamoStaffRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE);
const scope = { userId: 'tom', clientIds: ['client-a', 'client-b'], updatedAt: '2026-03-02T08:00:00.000Z', updatedBy: 'ada' };
const status = { userId: 'tom', tokensNotBefore: '2026-03-02T09:00:00.000Z', updatedAt: '2026-03-02T09:00:00.000Z', updatedBy: 'ada' };

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('DynamoStaffRepository', () => {
  it('puts the scope under the user key', async () => {
    ddb.on(PutCommand).resolves({});
    await repository.putScope(scope);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: TABLE, Item: { pk: 'STAFF#tom', sk: 'SCOPE', entity: 'staff-scope', ...scope } });
  });

  it('reads the scope consistently and strips the keys', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'STAFF#tom', sk: 'SCOPE', entity: 'staff-scope', ...scope } });
    expect(await repository.getScope('tom')).toEqual(scope);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { pk: 'STAFF#tom', sk: 'SCOPE' }, ConsistentRead: true });
  });

  it('is undefined without a record', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repository.getScope('tom')).toBeUndefined();
  });

  it('changes the status with one update that says who and when', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { pk: 'STAFF-STATUS#tom', sk: 'STATUS', entity: 'staff-status', ...status } });
    expect(await repository.updateStatus('tom', { action: 'sign-out', at: status.updatedAt, by: 'ada' })).toEqual(status);
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      Key: { pk: 'STAFF-STATUS#tom', sk: 'STATUS' },
      UpdateExpression: 'SET entity = :entity, userId = :user, updatedAt = :at, updatedBy = :by, tokensNotBefore = :at',
      ReturnValues: 'ALL_NEW',
    });
    await repository.updateStatus('tom', { action: 'enable', at: status.updatedAt, by: 'ada' });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      UpdateExpression: 'SET entity = :entity, userId = :user, updatedAt = :at, updatedBy = :by REMOVE disabledAt, disabledBy',
    });
  });

  it('reads scope and status together, in one transaction (strongly consistent, one round trip)', async () => {
    ddb.on(TransactGetCommand).resolves({
      Responses: [{ Item: { pk: 'STAFF#tom', sk: 'SCOPE', entity: 'staff-scope', ...scope } }, { Item: { pk: 'STAFF-STATUS#tom', sk: 'STATUS', entity: 'staff-status', ...status } }],
    });
    expect(await repository.accessOf('tom')).toEqual({ scope, status });
    expect(ddb).toHaveReceivedCommandTimes(TransactGetCommand, 1);
    expect(ddb).toHaveReceivedCommandWith(TransactGetCommand, {
      TransactItems: [{ Get: { TableName: TABLE, Key: { pk: 'STAFF#tom', sk: 'SCOPE' } } }, { Get: { TableName: TABLE, Key: { pk: 'STAFF-STATUS#tom', sk: 'STATUS' } } }],
    });
  });

  it('reads a member with neither item as an empty access', async () => {
    ddb.on(TransactGetCommand).resolves({ Responses: [{}, {}] });
    expect(await repository.accessOf('tom')).toEqual({ scope: undefined, status: undefined });
  });
});
