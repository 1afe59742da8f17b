import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { InterruptionRecordSchema, type InterruptionRecord } from '../../schemas/interruption';
import type { InterruptionRepository, Page, PageRequest } from '../../ports/repositories';
import { conditionalWrite, conflict } from './conditional';
import { keys, withoutKeys } from './keys';
import { decodePageToken, encodePageToken } from './pagination';

const fromItem = (item: Record<string, unknown>): InterruptionRecord => InterruptionRecordSchema.parse(withoutKeys(item));
const toItem = (interruption: InterruptionRecord) => ({
  ...keys.interruption(interruption.contractId, interruption.id),
  entity: 'interruption',
  ...interruption,
});

export class DynamoInterruptionRepository implements InterruptionRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(interruption: InterruptionRecord): Promise<void> {
    await conditionalWrite(
      () => this.db.send(new PutCommand({ TableName: this.tableName, Item: toItem(interruption), ConditionExpression: 'attribute_not_exists(pk)' })),
      conflict(`interruption ${interruption.id} already exists`),
    );
  }

  async get(contractId: string, interruptionId: string): Promise<InterruptionRecord | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.interruption(contractId, interruptionId), ConsistentRead: true }),
    );
    return Item ? fromItem(Item) : undefined;
  }

  async restore(
    contractId: string,
    interruptionId: string,
    restoration: { restoredAt: string; restoredBy: string; updatedAt: string },
  ): Promise<InterruptionRecord | undefined> {
    const result = await conditionalWrite(
      () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.interruption(contractId, interruptionId),
            UpdateExpression: 'SET restoredAt = :restoredAt, restoredBy = :restoredBy, updatedAt = :updatedAt ADD #version :one',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(restoredAt)',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: {
              ':restoredAt': restoration.restoredAt,
              ':restoredBy': restoration.restoredBy,
              ':updatedAt': restoration.updatedAt,
              ':one': 1,
            },
            // The record as written: a classification landing meanwhile is in it, not lost from the answer.
            ReturnValues: 'ALL_NEW',
          }),
        ),
      () => undefined,
    );
    return result?.Attributes ? fromItem(result.Attributes) : undefined;
  }

  async replace(interruption: InterruptionRecord, expectedVersion: number): Promise<void> {
    await conditionalWrite(
      () =>
        this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: toItem(interruption),
            ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
        ),
      conflict(`interruption ${interruption.id} changed meanwhile; read it again`),
    );
  }

  async listByContract(contractId: string): Promise<InterruptionRecord[]> {
    const records: InterruptionRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.queryPage(contractId, undefined, startKey);
      records.push(...(page.Items ?? []).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  async listPageByContract(contractId: string, page: PageRequest): Promise<Page<InterruptionRecord>> {
    const startKey = decodePageToken(page.nextToken, {
      pk: (v) => v === keys.interruptionsOf(contractId).pk,
      sk: (v) => v.startsWith('INTERRUPTION#'),
    });
    const result = await this.queryPage(contractId, page.limit, startKey);
    return { items: (result.Items ?? []).map(fromItem), nextToken: encodePageToken(result.LastEvaluatedKey) };
  }

  private queryPage(contractId: string, limit: number | undefined, startKey: Record<string, unknown> | undefined) {
    return this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.interruptionsOf(contractId).pk, ':prefix': 'INTERRUPTION#' },
        ConsistentRead: true,
        Limit: limit,
        ExclusiveStartKey: startKey,
      }),
    );
  }
}
