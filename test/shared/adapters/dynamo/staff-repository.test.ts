import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStaffScopeRepository } from '../../../../shared/adapters/dynamo/staff-scope-repository';

const TABLE = 'vigie-test';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = new DynamoStaffScopeRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE);
const scope = { userId: 'tom', allClients: false, clientIds: ['client-a', 'client-b'] };

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('DynamoStaffScopeRepository', () => {
  it('puts the scope under the user key', async () => {
    ddb.on(PutCommand).resolves({});
    await repository.put(scope);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: TABLE, Item: { pk: 'STAFF#tom', sk: 'SCOPE', entity: 'staff-scope', ...scope } });
  });

  it('reads the scope consistently and strips the keys', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'STAFF#tom', sk: 'SCOPE', entity: 'staff-scope', ...scope } });
    expect(await repository.get('tom')).toEqual(scope);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { pk: 'STAFF#tom', sk: 'SCOPE' }, ConsistentRead: true });
  });

  it('fills the defaults of an item written without them', async () => {
    ddb.on(GetCommand).resolves({ Item: { pk: 'STAFF#tom', sk: 'SCOPE', userId: 'tom' } });
    expect(await repository.get('tom')).toEqual({ userId: 'tom', allClients: false, clientIds: [] });
  });

  it('is undefined without a record', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repository.get('tom')).toBeUndefined();
  });
});
