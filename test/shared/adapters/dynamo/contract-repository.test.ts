import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { demoContractInput } from '../../../../infra/local/seed';
import { DynamoContractRepository } from '../../../../shared/adapters/dynamo/contract-repository';
import { encodePageToken } from '../../../../shared/adapters/dynamo/pagination';
import { ConflictError, ValidationError } from '../../../../shared/domain/errors';
import type { Contract } from '../../../../shared/schemas/contract';

const TABLE = 'vigie-test';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = new DynamoContractRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE);

const contract: Contract = {
  ...demoContractInput,
  id: '01HZ0000000000000000000001',
  version: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-02-01T00:00:00.000Z',
};
const item = {
  pk: `CONTRACT#${contract.id}`,
  sk: 'CONTRACT',
  gsi1pk: `CLIENT#${contract.clientId}`,
  gsi1sk: `CONTRACT#${contract.id}`,
  entity: 'contract',
  ...contract,
};
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('DynamoContractRepository.create', () => {
  it('puts the item with its keys, only if the id is new', async () => {
    ddb.on(PutCommand).resolves({});
    await repository.create(contract);
    expect(ddb).toHaveReceivedCommandOnce(PutCommand);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: TABLE, Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
  });

  it('turns a failed condition into a ConflictError that keeps its cause', async () => {
    const cause = conditionFailed();
    ddb.on(PutCommand).rejects(cause);
    const error = await repository.create(contract).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe(`contract ${contract.id} already exists`);
    expect((error as ConflictError).cause).toBe(cause);
  });

  it('lets other failures through unchanged', async () => {
    const throttled = new Error('ProvisionedThroughputExceededException');
    ddb.on(PutCommand).rejects(throttled);
    await expect(repository.create(contract)).rejects.toBe(throttled);
  });
});

describe('DynamoContractRepository.get', () => {
  it('reads consistently by id and strips the keys', async () => {
    ddb.on(GetCommand).resolves({ Item: item });
    expect(await repository.get(contract.id)).toEqual(contract);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: { pk: `CONTRACT#${contract.id}`, sk: 'CONTRACT' }, ConsistentRead: true });
  });

  it('is undefined for a missing item', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repository.get(contract.id)).toBeUndefined();
  });

  it('refuses a stored item that is not a contract', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...item, version: 'three' } });
    await expect(repository.get(contract.id)).rejects.toThrow();
  });
});

describe('DynamoContractRepository.replace', () => {
  const next = { ...contract, version: 4, clientName: 'Renamed' };

  it('puts the new item only if the stored version is the expected one', async () => {
    ddb.on(PutCommand).resolves({});
    await repository.replace(next, 3);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      TableName: TABLE,
      Item: { ...item, version: 4, clientName: 'Renamed' },
      ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': 3 },
    });
  });

  it('turns a failed condition into a ConflictError', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    await expect(repository.replace(next, 3)).rejects.toThrow(new ConflictError(`contract ${contract.id} changed since version 3; read it again`));
    await expect(repository.replace(next, 3)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('DynamoContractRepository.listByClient', () => {
  const lastKey = { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk };

  it('queries gsi1 for the client contracts, with the limit, and returns a token for the next page', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item], LastEvaluatedKey: lastKey });
    const page = await repository.listByClient(contract.clientId, { limit: 1 });
    expect(page.items).toEqual([contract]);
    expect(page.nextToken).toBe(encodePageToken(lastKey));
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :client AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':client': `CLIENT#${contract.clientId}`, ':prefix': 'CONTRACT#' },
      Limit: 1,
      ExclusiveStartKey: undefined,
    });
  });

  it('starts the next page after the key its token carries', async () => {
    ddb.on(QueryCommand).resolvesOnce({ Items: [item], LastEvaluatedKey: lastKey }).resolvesOnce({ Items: [] });
    const first = await repository.listByClient(contract.clientId, { limit: 1 });
    const second = await repository.listByClient(contract.clientId, { limit: 1, nextToken: first.nextToken });
    expect(second).toEqual({ items: [], nextToken: undefined });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: lastKey });
  });

  it('refuses a tampered token before querying', async () => {
    const tampered = Buffer.from(JSON.stringify({ ...lastKey, pk: { S: 'x' } })).toString('base64url');
    await expect(repository.listByClient(contract.clientId, { limit: 1, nextToken: tampered })).rejects.toBeInstanceOf(ValidationError);
    await expect(repository.listByClient(contract.clientId, { limit: 1, nextToken: '%%%' })).rejects.toBeInstanceOf(ValidationError);
    expect(ddb).not.toHaveReceivedCommand(QueryCommand);
  });

  it('is an empty page when the client has nothing', async () => {
    ddb.on(QueryCommand).resolves({});
    expect(await repository.listByClient('nobody', { limit: 25 })).toEqual({ items: [], nextToken: undefined });
  });
});
