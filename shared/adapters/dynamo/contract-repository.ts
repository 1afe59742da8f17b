import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConcurrentUpdateError, ConflictError, ServiceUnavailableError } from '../../domain/errors';
import { UlidSchema } from '../../schemas/common';
import { ContractSchema, type Contract } from '../../schemas/contract';
import type { ContractPeriod, ContractPeriods, ContractRepository, Page, PageRequest, PeriodsWrite } from '../../ports/repositories';
import { keys, withoutKeys } from './keys';
import { decodePageToken, encodePageToken } from './pagination';

const toItem = (contract: Contract) => ({
  ...keys.contract(contract.id),
  ...keys.contractByClient(contract.clientId, contract.id),
  entity: 'contract',
  ...contract,
});

const fromItem = (item: Record<string, unknown>): Contract => ContractSchema.parse(withoutKeys(item));

/** The per-client guard item (access pattern 8), parsed like any other item before it is trusted. */
const ContractPeriodsItemSchema = z.object({
  version: z.number().int().positive(),
  periods: z.array(ContractSchema.pick({ startDate: true, endDate: true }).extend({ contractId: UlidSchema })),
});

/** Drops an absent end rather than handing DynamoDB an undefined value, whatever the client's marshalling options. */
const periodItem = ({ contractId, startDate, endDate }: ContractPeriod): ContractPeriod => ({ contractId, startDate, ...(endDate === undefined ? {} : { endDate }) });

const periodsFromItem = (item: Record<string, unknown>): ContractPeriods => ContractPeriodsItemSchema.parse(withoutKeys(item));

/** The guard's half of a transaction: the full new list, only over the version the caller read (or none). */
function periodsPut(tableName: string, clientId: string, write: PeriodsWrite) {
  const Item = {
    ...keys.contractPeriods(clientId),
    entity: 'contract-periods',
    clientId,
    version: (write.expectedVersion ?? 0) + 1,
    periods: write.periods.map(periodItem),
  };
  return write.expectedVersion === undefined
    ? { TableName: tableName, Item, ConditionExpression: 'attribute_not_exists(pk)' }
    : {
        TableName: tableName,
        Item,
        ConditionExpression: '#version = :expectedPeriods',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expectedPeriods': write.expectedVersion },
      };
}

/** DynamoDB's cancellation reasons for a transaction refused for lack of capacity: nothing was written. */
const THROTTLING_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/**
 * Runs a contract + guard transaction (the contract's reason comes first, then the guard's) and names why it was
 * cancelled, keeping DynamoDB's error as the cause:
 * - the contract's own condition failed (the id exists, or the version is not the one expected): a ConflictError that
 *   a retry cannot fix;
 * - the guard's condition failed, or another transaction was writing one of the items at that moment (the loser of a
 *   race sees one or the other): a ConcurrentUpdateError, which the domain retries (after its backoff) from a fresh read;
 * - throttling: a ServiceUnavailableError (503).
 * Anything else is not ours to explain and goes through unchanged.
 */
async function transact(write: () => Promise<unknown>, messages: { contract: string; periods: string }): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const [contract, periods] = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
    if (contract === 'ConditionalCheckFailed') throw new ConflictError(messages.contract, [], { cause: error });
    if (periods === 'ConditionalCheckFailed' || contract === 'TransactionConflict' || periods === 'TransactionConflict') {
      throw new ConcurrentUpdateError(messages.periods, [], { cause: error });
    }
    if ([contract, periods].some((code) => code !== undefined && THROTTLING_REASONS.has(code))) {
      throw new ServiceUnavailableError('the table is busy; try again', [], { cause: error });
    }
    throw error;
  }
}

const periodsChanged = (clientId: string) => `the contracts of client ${clientId} changed meanwhile; try again`;

export class DynamoContractRepository implements ContractRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(contract: Contract, periods: PeriodsWrite): Promise<void> {
    await transact(
      () =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              { Put: { TableName: this.tableName, Item: toItem(contract), ConditionExpression: 'attribute_not_exists(pk)' } },
              { Put: periodsPut(this.tableName, contract.clientId, periods) },
            ],
          }),
        ),
      { contract: `contract ${contract.id} already exists`, periods: periodsChanged(contract.clientId) },
    );
  }

  async get(id: string): Promise<Contract | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.contract(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async replace(contract: Contract, expectedVersion: number, periods: PeriodsWrite): Promise<void> {
    await transact(
      () =>
        this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: toItem(contract),
                  ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':expected': expectedVersion },
                },
              },
              { Put: periodsPut(this.tableName, contract.clientId, periods) },
            ],
          }),
        ),
      { contract: `contract ${contract.id} changed since version ${expectedVersion}; read it again`, periods: periodsChanged(contract.clientId) },
    );
  }

  async periodsOf(clientId: string): Promise<ContractPeriods | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.contractPeriods(clientId), ConsistentRead: true }));
    return Item ? periodsFromItem(Item) : undefined;
  }

  async listByClient(clientId: string, page: PageRequest): Promise<Page<Contract>> {
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :client AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':client': `CLIENT#${clientId}`, ':prefix': 'CONTRACT#' },
        Limit: page.limit,
        ExclusiveStartKey: decodePageToken(page.nextToken, {
          pk: (v) => v.startsWith('CONTRACT#'),
          sk: (v) => v === 'CONTRACT',
          gsi1pk: (v) => v === `CLIENT#${clientId}`,
          gsi1sk: (v) => v.startsWith('CONTRACT#'),
        }),
      }),
    );
    return { items: (result.Items ?? []).map(fromItem), nextToken: encodePageToken(result.LastEvaluatedKey) };
  }
}
