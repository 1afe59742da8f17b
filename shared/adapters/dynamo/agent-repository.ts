import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { z } from 'zod';
import { ConcurrentUpdateError, ConflictError, ServiceUnavailableError } from '../../domain/errors';
import { AgentRecordSchema, type AgentRecord } from '../../schemas/agent';
import { UlidSchema } from '../../schemas/common';
import type { AgentRepository, Page, PageRequest } from '../../ports/repositories';
import { keys, withoutKeys } from './keys';
import { decodePageToken, encodePageToken } from './pagination';

const fromItem = (item: Record<string, unknown>): AgentRecord => AgentRecordSchema.parse(withoutKeys(item));

const agentItem = (agent: AgentRecord) => ({ ...keys.agent(agent.agentId), ...keys.agentByClient(agent.clientId, agent.agentId), entity: 'agent', ...agent });

/** The lookup of a key: which agent it was issued to. Written once, never changed. */
const keyItem = (agent: AgentRecord) => ({ ...keys.agentKey(agent.key.hash), entity: 'agent-key', keyHash: agent.key.hash, agentId: agent.agentId, clientId: agent.clientId });

const PointerSchema = z.object({ agentId: UlidSchema.optional() });

/** DynamoDB's cancellation reasons for a transaction refused for lack of capacity: nothing was written. */
const THROTTLING_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded']);

/** The reason code of each item of a cancelled transaction, in the order they were sent; rethrows anything else. */
function cancellationCodes(error: unknown): string[] {
  if (!(error instanceof TransactionCanceledException)) throw error;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  if (codes.some((code) => THROTTLING_REASONS.has(code))) throw new ServiceUnavailableError('the table is busy; try again', [], { cause: error });
  return codes;
}

export class DynamoAgentRepository implements AgentRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(agent: AgentRecord): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: agentItem(agent), ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.tableName, Item: keyItem(agent), ConditionExpression: 'attribute_not_exists(pk)' } },
            {
              // The host's claim: only while no agent holds it.
              Update: {
                TableName: this.tableName,
                Key: keys.agentHost(agent.clientId, agent.host),
                UpdateExpression: 'SET entity = :entity, clientId = :client, host = :host, agentId = :agent',
                ConditionExpression: 'attribute_not_exists(agentId)',
                ExpressionAttributeValues: { ':entity': 'agent-host', ':client': agent.clientId, ':host': agent.host, ':agent': agent.agentId },
              },
            },
          ],
        }),
      );
    } catch (error) {
      const [agentCode, keyCode, hostCode] = cancellationCodes(error);
      if (hostCode === 'ConditionalCheckFailed') {
        const holder = await this.holderOf(agent.clientId, agent.host);
        throw new ConflictError(`host ${agent.host} of client ${agent.clientId} already has an active agent${holder ? ` (${holder})` : ''}`, [
          { path: 'body.host', message: `taken${holder ? ` by agent ${holder}` : ''}` },
        ]);
      }
      if (agentCode === 'ConditionalCheckFailed' || keyCode === 'ConditionalCheckFailed') throw new ConflictError(`agent ${agent.agentId} already exists`, [], { cause: error });
      throw new ConcurrentUpdateError(`the agents of client ${agent.clientId} changed meanwhile; try again`, [], { cause: error });
    }
  }

  async get(clientId: string, agentId: string): Promise<AgentRecord | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.agent(agentId), ConsistentRead: true }));
    const agent = Item ? fromItem(Item) : undefined;
    return agent?.clientId === clientId ? agent : undefined;
  }

  async findByKeyHash(keyHash: string): Promise<AgentRecord | undefined> {
    const { Item: pointer } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.agentKey(keyHash), ConsistentRead: true }));
    const agentId = pointer ? PointerSchema.parse(pointer).agentId : undefined;
    if (agentId === undefined) return undefined;
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.agent(agentId), ConsistentRead: true }));
    const agent = Item ? fromItem(Item) : undefined;
    return agent && (agent.key.hash === keyHash || agent.previousKey?.hash === keyHash) ? agent : undefined;
  }

  async activeForHost(clientId: string, host: string): Promise<AgentRecord | undefined> {
    const holder = await this.holderOf(clientId, host);
    const agent = holder ? await this.get(clientId, holder) : undefined;
    return agent?.revokedAt === undefined ? agent : undefined;
  }

  async listByClient(clientId: string, page: PageRequest): Promise<Page<AgentRecord>> {
    const { gsi1pk } = keys.agentByClient(clientId, '');
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :client AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':client': gsi1pk, ':prefix': keys.agentByClient(clientId, '').gsi1sk },
        Limit: page.limit,
        ExclusiveStartKey: decodePageToken(page.nextToken, {
          pk: (v) => v.startsWith(keys.agent('').pk),
          sk: (v) => v === keys.agent('').sk,
          gsi1pk: (v) => v === gsi1pk,
          gsi1sk: (v) => v.startsWith(keys.agentByClient(clientId, '').gsi1sk),
        }),
      }),
    );
    return { items: (result.Items ?? []).map(fromItem), nextToken: encodePageToken(result.LastEvaluatedKey) };
  }

  async rotate(agent: AgentRecord, expectedVersion: number): Promise<void> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: agentItem(agent),
                ConditionExpression: '#version = :expected AND attribute_not_exists(revokedAt)',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': expectedVersion },
              },
            },
            { Put: { TableName: this.tableName, Item: keyItem(agent), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (error) {
      cancellationCodes(error);
      throw new ConcurrentUpdateError(`agent ${agent.agentId} changed meanwhile (rotated or revoked); try again`, [], { cause: error });
    }
  }

  async revoke(clientId: string, agentId: string, at: string, by: string): Promise<AgentRecord | undefined> {
    const current = await this.get(clientId, agentId);
    if (!current || current.revokedAt !== undefined) return current;
    const holdsHost = (await this.holderOf(clientId, current.host)) === agentId;
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.agent(agentId),
                UpdateExpression: 'SET revokedAt = :at, revokedBy = :by',
                ConditionExpression: 'attribute_not_exists(revokedAt)',
                ExpressionAttributeValues: { ':at': at, ':by': by },
              },
            },
            ...(holdsHost
              ? [
                  {
                    // The host is free for a new agent once this one is revoked.
                    Update: {
                      TableName: this.tableName,
                      Key: keys.agentHost(clientId, current.host),
                      UpdateExpression: 'REMOVE agentId',
                      ConditionExpression: 'agentId = :agent',
                      ExpressionAttributeValues: { ':agent': agentId },
                    },
                  },
                ]
              : []),
          ],
        }),
      );
    } catch (error) {
      cancellationCodes(error);
      // Someone else revoked it meanwhile: the first revocation stands.
      const now = await this.get(clientId, agentId);
      if (now?.revokedAt !== undefined) return now;
      throw new ConcurrentUpdateError(`agent ${agentId} changed meanwhile; try again`, [], { cause: error });
    }
    return { ...current, revokedAt: at, revokedBy: by };
  }

  private async holderOf(clientId: string, host: string): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.agentHost(clientId, host), ConsistentRead: true }));
    return Item ? PointerSchema.parse(Item).agentId : undefined;
  }
}
