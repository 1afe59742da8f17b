import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AgentRecordSchema, type AgentRecord } from '../../schemas/agent';
import type { AgentRepository } from '../../ports/repositories';
import { conditionalWrite, conflict } from './conditional';
import { keys, withoutKeys } from './keys';

const fromItem = (item: Record<string, unknown>): AgentRecord => AgentRecordSchema.parse(withoutKeys(item));

export class DynamoAgentRepository implements AgentRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(agent: AgentRecord): Promise<void> {
    const item = {
      ...keys.agent(agent.agentId),
      ...keys.agentByClient(agent.clientId, agent.agentId),
      ...keys.agentByKeyHash(agent.keyHash),
      entity: 'agent',
      ...agent,
    };
    await conditionalWrite(
      () => this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
      conflict(`agent ${agent.agentId} already exists`),
    );
  }

  async get(clientId: string, agentId: string): Promise<AgentRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.agent(agentId), ConsistentRead: true }));
    const agent = Item ? fromItem(Item) : undefined;
    return agent?.clientId === clientId ? agent : undefined;
  }

  async findByKeyHash(keyHash: string): Promise<AgentRecord | undefined> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :hash',
        ExpressionAttributeValues: { ':hash': keys.agentByKeyHash(keyHash).gsi2pk },
        Limit: 1,
      }),
    );
    const hit = Items?.[0];
    if (!hit) return undefined;
    // The index is eventually consistent: read the agent itself so a revocation counts at once.
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: hit['pk'], sk: hit['sk'] }, ConsistentRead: true }));
    const agent = Item ? fromItem(Item) : undefined;
    return agent?.keyHash === keyHash ? agent : undefined;
  }

  async listByClient(clientId: string): Promise<AgentRecord[]> {
    const agents: AgentRecord[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :client AND begins_with(gsi1sk, :prefix)',
          ExpressionAttributeValues: { ':client': `CLIENT#${clientId}`, ':prefix': 'AGENT#' },
          ExclusiveStartKey: startKey,
        }),
      );
      agents.push(...(page.Items ?? []).map(fromItem));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return agents;
  }

  async revoke(clientId: string, agentId: string, at: string): Promise<AgentRecord | undefined> {
    const result = await conditionalWrite(
      () =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.agent(agentId),
            UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
            ConditionExpression: 'attribute_exists(pk) AND clientId = :client',
            ExpressionAttributeValues: { ':at': at, ':client': clientId },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      () => undefined,
    );
    return result?.Attributes ? fromItem(result.Attributes) : undefined;
  }
}
