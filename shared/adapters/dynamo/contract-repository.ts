import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ContractSchema, type Contract } from '../../schemas/contract';
import type { ContractRepository, Page, PageRequest } from '../../ports/repositories';
import { conditionalWrite, conflict } from './conditional';
import { keys, withoutKeys } from './keys';
import { decodePageToken, encodePageToken } from './pagination';

const toItem = (contract: Contract) => ({
  ...keys.contract(contract.id),
  ...keys.contractByClient(contract.clientId, contract.id),
  entity: 'contract',
  ...contract,
});

const fromItem = (item: Record<string, unknown>): Contract => ContractSchema.parse(withoutKeys(item));

export class DynamoContractRepository implements ContractRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(contract: Contract): Promise<void> {
    await conditionalWrite(
      () => this.db.send(new PutCommand({ TableName: this.tableName, Item: toItem(contract), ConditionExpression: 'attribute_not_exists(pk)' })),
      conflict(`contract ${contract.id} already exists`),
    );
  }

  async get(id: string): Promise<Contract | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.contract(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async replace(contract: Contract, expectedVersion: number): Promise<void> {
    await conditionalWrite(
      () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: toItem(contract),
            ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
        ),
      conflict(`contract ${contract.id} changed since version ${expectedVersion}; read it again`),
    );
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
