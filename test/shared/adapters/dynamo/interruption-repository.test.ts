import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoInterruptionRepository } from '../../../../shared/adapters/dynamo/interruption-repository';
import { ConflictError } from '../../../../shared/domain/errors';
import type { InterruptionRecord } from '../../../../shared/schemas/interruption';

const TABLE = 'vigie-test';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = new DynamoInterruptionRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE);

const CONTRACT_ID = '01HY0000000000000000000001';
const interruptionOf = (id: string): InterruptionRecord => ({
  id,
  contractId: CONTRACT_ID,
  clientId: 'client-a',
  notifiedAt: '2026-03-02T08:00:00.000Z',
  planned: false,
  description: 'ERP unreachable',
  recordedBy: 'tom',
  version: 1,
  createdAt: '2026-03-02T08:01:00.000Z',
  updatedAt: '2026-03-02T08:01:00.000Z',
});
const itemOf = (interruption: InterruptionRecord) => ({
  pk: `CONTRACT-INTERRUPTIONS#${interruption.contractId}`,
  sk: `INTERRUPTION#${interruption.id}`,
  entity: 'interruption',
  ...interruption,
});
const interruption = interruptionOf('01HZ0000000000000000000001');
const item = itemOf(interruption);
const key = { pk: item.pk, sk: item.sk };
const restoration = { restoredAt: '2026-03-02T16:00:00.000Z', restoredBy: 'ada', updatedAt: '2026-03-02T16:05:00.000Z' };
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
const throttled = () => new Error('ProvisionedThroughputExceededException');

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('DynamoInterruptionRepository.create', () => {
  it('puts the item under its contract partition, only if the key is new', async () => {
    ddb.on(PutCommand).resolves({});
    await repository.create(interruption);
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(PutCommand, { TableName: TABLE, Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
  });

  it('turns a failed condition into a ConflictError that keeps its cause', async () => {
    const cause = conditionFailed();
    ddb.on(PutCommand).rejects(cause);
    const error = await repository.create(interruption).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe(`interruption ${interruption.id} already exists`);
    expect((error as ConflictError).cause).toBe(cause);
  });

  it('lets other failures through unchanged', async () => {
    const failure = throttled();
    ddb.on(PutCommand).rejects(failure);
    await expect(repository.create(interruption)).rejects.toBe(failure);
  });
});

describe('DynamoInterruptionRepository.get', () => {
  it('reads consistently by contract and id, and strips the keys', async () => {
    ddb.on(GetCommand).resolves({ Item: item });
    const read = await repository.get(CONTRACT_ID, interruption.id);
    expect(read).toEqual(interruption);
    expect(read).not.toHaveProperty('pk');
    expect(read).not.toHaveProperty('entity');
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(GetCommand, { TableName: TABLE, Key: key, ConsistentRead: true });
  });

  it('is undefined for a missing item', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repository.get(CONTRACT_ID, interruption.id)).toBeUndefined();
  });

  it('refuses a stored item that is not an interruption', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...item, notifiedAt: 'yesterday' } });
    await expect(repository.get(CONTRACT_ID, interruption.id)).rejects.toThrow();
  });

  it('refuses a stored item without a version', async () => {
    const { version: _version, ...unversioned } = item;
    ddb.on(GetCommand).resolves({ Item: unversioned });
    await expect(repository.get(CONTRACT_ID, interruption.id)).rejects.toThrow();
  });
});

describe('DynamoInterruptionRepository.restore', () => {
  it('sets the restoration and bumps the version in one write, only on an existing item not restored yet, and returns what it wrote', async () => {
    const written = { ...interruption, ...restoration, version: interruption.version + 1 };
    ddb.on(UpdateCommand).resolves({ Attributes: { ...key, entity: 'interruption', ...written } });
    expect(await repository.restore(CONTRACT_ID, interruption.id, restoration)).toEqual(written);
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(UpdateCommand, {
      TableName: TABLE,
      Key: key,
      UpdateExpression: 'SET restoredAt = :restoredAt, restoredBy = :restoredBy, updatedAt = :updatedAt ADD #version :one',
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(restoredAt)',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':restoredAt': restoration.restoredAt, ':restoredBy': 'ada', ':updatedAt': restoration.updatedAt, ':one': 1 },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('answers undefined when the condition fails (already restored, or no such item)', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await repository.restore(CONTRACT_ID, interruption.id, restoration)).toBeUndefined();
  });

  it('lets other failures through unchanged', async () => {
    const failure = throttled();
    ddb.on(UpdateCommand).rejects(failure);
    await expect(repository.restore(CONTRACT_ID, interruption.id, restoration)).rejects.toBe(failure);
  });
});

describe('DynamoInterruptionRepository.replace', () => {
  const classified: InterruptionRecord = {
    ...interruption,
    planned: true,
    exclusion: 'third-party',
    exclusionReason: 'carrier',
    version: 2,
    updatedAt: '2026-03-03T09:00:00.000Z',
  };

  it('puts the whole new item only if the stored one still has the expected version', async () => {
    ddb.on(PutCommand).resolves({});
    await repository.replace(classified, interruption.version);
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(PutCommand, {
      TableName: TABLE,
      Item: itemOf(classified),
      ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: { ':expected': 1 },
    });
  });

  it('turns a failed condition into a ConflictError that keeps its cause', async () => {
    const cause = conditionFailed();
    ddb.on(PutCommand).rejects(cause);
    const error = await repository.replace(classified, interruption.version).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe(`interruption ${interruption.id} changed meanwhile; read it again`);
    expect((error as ConflictError).cause).toBe(cause);
  });

  it('lets other failures through unchanged', async () => {
    const failure = throttled();
    ddb.on(PutCommand).rejects(failure);
    await expect(repository.replace(classified, interruption.version)).rejects.toBe(failure);
  });
});

describe('DynamoInterruptionRepository.listByContract', () => {
  const query = {
    TableName: TABLE,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': `CONTRACT-INTERRUPTIONS#${CONTRACT_ID}`, ':prefix': 'INTERRUPTION#' },
    ConsistentRead: true,
  };

  it('queries the contract partition for interruption items, consistently, in one page when it fits', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item] });
    expect(await repository.listByContract(CONTRACT_ID)).toEqual([interruption]);
    expect(ddb).toHaveReceivedCommandExactlyOnceWith(QueryCommand, { ...query, ExclusiveStartKey: undefined });
  });

  it('follows LastEvaluatedKey over every page and keeps the order DynamoDB returns (sort key, so ULID order)', async () => {
    const second = interruptionOf('01HZ0000000000000000000002');
    const third = interruptionOf('01HZ0000000000000000000003');
    const firstPageEnd = { pk: item.pk, sk: `INTERRUPTION#${second.id}` };
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [item, itemOf(second)], LastEvaluatedKey: firstPageEnd })
      .resolvesOnce({ Items: [itemOf(third)] });

    expect(await repository.listByContract(CONTRACT_ID)).toEqual([interruption, second, third]);

    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, { ...query, ExclusiveStartKey: undefined });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ...query, ExclusiveStartKey: firstPageEnd });
  });

  it('goes on past a page with no items (a filtered or empty page can still carry a LastEvaluatedKey)', async () => {
    const pageEnd = { pk: item.pk, sk: 'INTERRUPTION#0' };
    ddb.on(QueryCommand).resolvesOnce({ LastEvaluatedKey: pageEnd }).resolvesOnce({ Items: [item] });
    expect(await repository.listByContract(CONTRACT_ID)).toEqual([interruption]);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
  });

  it('is empty for a contract without interruptions', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect(await repository.listByContract(CONTRACT_ID)).toEqual([]);
  });

  it('lets a failure on a later page through', async () => {
    const failure = throttled();
    ddb.on(QueryCommand).resolvesOnce({ Items: [item], LastEvaluatedKey: key }).rejectsOnce(failure);
    await expect(repository.listByContract(CONTRACT_ID)).rejects.toBe(failure);
  });
});
