import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { demoContractInput } from '../../../../infra/local/seed';
import { DynamoContractRepository } from '../../../../shared/adapters/dynamo/contract-repository';
import { encodePageToken } from '../../../../shared/adapters/dynamo/pagination';
import { ConcurrentUpdateError, ConflictError, ServiceUnavailableError, ValidationError } from '../../../../shared/domain/errors';
import type { PeriodsWrite } from '../../../../shared/ports/repositories';
import type { Contract } from '../../../../shared/schemas/contract';

const TABLE = 'vigie-test';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = new DynamoContractRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE);

const contract: Contract = {
  ...demoContractInput,
  id: '01HZ0000000000000000000001',
  version: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'ada',
  updatedAt: '2026-02-01T00:00:00.000Z',
  updatedBy: 'ada',
};
const item = {
  pk: `CONTRACT#${contract.id}`,
  sk: 'CONTRACT',
  gsi1pk: `CLIENT#${contract.clientId}`,
  gsi1sk: `CONTRACT#${contract.id}`,
  entity: 'contract',
  ...contract,
};
/** A cancelled transaction, with one reason per item in the order they were sent: contract, then guard. */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const PERIOD = { contractId: contract.id, startDate: contract.startDate }; // the demo contract runs on: no end
const firstPeriods: PeriodsWrite = { expectedVersion: undefined, periods: [PERIOD] };
const guardKey = { pk: `CLIENT#${contract.clientId}`, sk: 'CONTRACT-PERIODS' };
const guardItem = (version: number, periods: unknown[]) => ({ ...guardKey, entity: 'contract-periods', clientId: contract.clientId, version, periods });
const GUARD_CHANGED = `the contracts of client ${contract.clientId} changed meanwhile; try again`;

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

beforeEach(() => {
  ddb.reset();
});
afterAll(() => ddb.restore());

describe('DynamoContractRepository.create', () => {
  it('puts the contract (only if the id is new) and creates the client guard (only if none exists) in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.create(contract, firstPeriods);
    expect(ddb).toHaveReceivedCommandOnce(TransactWriteCommand);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        { Put: { TableName: TABLE, Item: item, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { TableName: TABLE, Item: guardItem(1, [PERIOD]), ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    });
  });

  it('writes the guard over the version it read, bumped, with the full new list (an open end stored as absent)', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    const earlier = { contractId: '01HZ0000000000000000000000', startDate: '2020-01-01', endDate: '2020-12-31' };
    const open = { contractId: contract.id, startDate: '2021-01-01', endDate: undefined };
    await repository.create(contract, { expectedVersion: 4, periods: [earlier, open] });
    const sent = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems;
    expect(sent?.[1]).toEqual({
      Put: {
        TableName: TABLE,
        Item: guardItem(5, [earlier, { contractId: contract.id, startDate: '2021-01-01' }]),
        ConditionExpression: '#version = :expectedPeriods',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expectedPeriods': 4 },
      },
    });
    expect(sent?.[1]?.Put?.Item?.['periods'][1]).not.toHaveProperty('endDate');
  });

  it('turns a failed contract condition into a ConflictError that keeps its cause, and is not a concurrent update', async () => {
    const cause = cancelled('ConditionalCheckFailed', 'None');
    ddb.on(TransactWriteCommand).rejects(cause);
    const error = await rejectionOf(repository.create(contract, firstPeriods));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).not.toBeInstanceOf(ConcurrentUpdateError);
    expect((error as ConflictError).message).toBe(`contract ${contract.id} already exists`);
    expect((error as ConflictError).cause).toBe(cause);
  });

  it('turns a failed guard condition into a ConcurrentUpdateError (a Conflict) that keeps its cause', async () => {
    const cause = cancelled('None', 'ConditionalCheckFailed');
    ddb.on(TransactWriteCommand).rejects(cause);
    const error = await rejectionOf(repository.create(contract, firstPeriods));
    expect(error).toBeInstanceOf(ConcurrentUpdateError);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as ConflictError).message).toBe(GUARD_CHANGED);
    expect((error as ConflictError).cause).toBe(cause);
  });

  it('names the contract when both conditions fail: a plain ConflictError', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed'));
    const error = await rejectionOf(repository.create(contract, firstPeriods));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).not.toBeInstanceOf(ConcurrentUpdateError);
    expect((error as ConflictError).message).toBe(`contract ${contract.id} already exists`);
  });

  it.each([
    ['on the guard', ['None', 'TransactionConflict']],
    ['on the contract', ['TransactionConflict', 'None']],
    ['on the contract, with the guard condition failed', ['TransactionConflict', 'ConditionalCheckFailed']],
  ])('treats a concurrent transaction %s as a ConcurrentUpdateError', async (_name, codes) => {
    const cause = cancelled(...codes);
    ddb.on(TransactWriteCommand).rejects(cause);
    const error = await rejectionOf(repository.create(contract, firstPeriods));
    expect(error).toBeInstanceOf(ConcurrentUpdateError);
    expect((error as ConcurrentUpdateError).message).toBe(GUARD_CHANGED);
    expect((error as ConcurrentUpdateError).cause).toBe(cause);
  });

  it.each([
    ['None', 'ThrottlingError'],
    ['ThrottlingError', 'None'],
    ['None', 'ProvisionedThroughputExceeded'],
    ['RequestLimitExceeded', 'RequestLimitExceeded'],
  ])('turns a transaction cancelled for throttling (%s, %s) into a ServiceUnavailableError that keeps its cause', async (...codes) => {
    const cause = cancelled(...codes);
    ddb.on(TransactWriteCommand).rejects(cause);
    const error = await rejectionOf(repository.create(contract, firstPeriods));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect((error as ServiceUnavailableError).code).toBe('ServiceUnavailable');
    expect((error as ServiceUnavailableError).message).toBe('the table is busy; try again');
    expect((error as ServiceUnavailableError).cause).toBe(cause);
  });

  it('lets cancellations for other reasons, and other failures, through unchanged', async () => {
    for (const codes of [
      ['None', 'ValidationError'],
      ['ItemCollectionSizeLimitExceeded', 'None'],
      [],
    ]) {
      const other = cancelled(...codes);
      ddb.on(TransactWriteCommand).rejects(other);
      await expect(repository.create(contract, firstPeriods)).rejects.toBe(other);
    }
    const other = new Error('ProvisionedThroughputExceededException');
    ddb.on(TransactWriteCommand).rejects(other);
    await expect(repository.create(contract, firstPeriods)).rejects.toBe(other);
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
  const periods: PeriodsWrite = { expectedVersion: 7, periods: [PERIOD] };

  it('puts the new contract only from the expected version, and the guard only from its version, in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.replace(next, 3, periods);
    expect(ddb).toHaveReceivedCommandOnce(TransactWriteCommand);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: [
        {
          Put: {
            TableName: TABLE,
            Item: { ...item, version: 4, clientName: 'Renamed' },
            ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': 3 },
          },
        },
        {
          Put: {
            TableName: TABLE,
            Item: guardItem(8, [PERIOD]),
            ConditionExpression: '#version = :expectedPeriods',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expectedPeriods': 7 },
          },
        },
      ],
    });
  });

  it('creates the guard when the contracts predate it', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.replace(next, 3, firstPeriods);
    const sent = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems;
    expect(sent?.[1]).toEqual({ Put: { TableName: TABLE, Item: guardItem(1, [PERIOD]), ConditionExpression: 'attribute_not_exists(pk)' } });
  });

  it('turns a failed contract condition (a stale version) into a plain ConflictError, never a concurrent update', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));
    const error = await rejectionOf(repository.replace(next, 3, periods));
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).not.toBeInstanceOf(ConcurrentUpdateError);
    expect((error as ConflictError).message).toBe(`contract ${contract.id} changed since version 3; read it again`);
    ddb.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'ConditionalCheckFailed'));
    expect(await rejectionOf(repository.replace(next, 3, periods))).not.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('turns a failed guard condition into a ConcurrentUpdateError that keeps its cause', async () => {
    const cause = cancelled('None', 'ConditionalCheckFailed');
    ddb.on(TransactWriteCommand).rejects(cause);
    const error = await rejectionOf(repository.replace(next, 3, periods));
    expect(error).toBeInstanceOf(ConcurrentUpdateError);
    expect((error as ConflictError).message).toBe(GUARD_CHANGED);
    expect((error as ConflictError).cause).toBe(cause);
  });

  it('turns a concurrent transaction on the contract into a ConcurrentUpdateError, and throttling into a ServiceUnavailableError', async () => {
    ddb.on(TransactWriteCommand).rejects(cancelled('TransactionConflict', 'None'));
    expect(await rejectionOf(repository.replace(next, 3, periods))).toBeInstanceOf(ConcurrentUpdateError);
    ddb.on(TransactWriteCommand).rejects(cancelled('ProvisionedThroughputExceeded', 'None'));
    expect(await rejectionOf(repository.replace(next, 3, periods))).toBeInstanceOf(ServiceUnavailableError);
  });
});

describe('DynamoContractRepository.periodsOf', () => {
  const periods = [PERIOD, { contractId: '01HZ0000000000000000000002', startDate: '2030-01-01' }];

  it('reads the client guard consistently and strips its keys', async () => {
    ddb.on(GetCommand).resolves({ Item: guardItem(2, periods) });
    expect(await repository.periodsOf(contract.clientId)).toEqual({ version: 2, periods });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: guardKey, ConsistentRead: true });
  });

  it('is undefined while the client has no guard', async () => {
    ddb.on(GetCommand).resolves({});
    expect(await repository.periodsOf(contract.clientId)).toBeUndefined();
  });

  it.each([
    ['a version that is not a number', { ...guardItem(2, periods), version: 'two' }],
    ['a period without a start', guardItem(2, [{ contractId: contract.id }])],
    ['a period with a malformed end', guardItem(2, [{ ...PERIOD, endDate: '31/12/2030' }])],
    ['a period of a contract id that is not a ULID', guardItem(2, [{ ...PERIOD, contractId: 'x' }])],
  ])('refuses a stored guard with %s', async (_name, stored) => {
    ddb.on(GetCommand).resolves({ Item: stored });
    await expect(repository.periodsOf(contract.clientId)).rejects.toThrow();
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
