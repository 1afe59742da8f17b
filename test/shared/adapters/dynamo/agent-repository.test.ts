import 'aws-sdk-client-mock-vitest/extend';
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAgentRepository } from '../../../../shared/adapters/dynamo/agent-repository';
import { ConflictError } from '../../../../shared/domain/errors';
import type { AgentRecord } from '../../../../shared/schemas/agent';

const TABLE = 'vigie-test';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = new DynamoAgentRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE);

const HASH = 'a'.repeat(64);
const agent: AgentRecord = {
  agentId: '01HZ0000000000000000000002',
  clientId: 'client-a',
  host: 'SRV-01',
  keyHash: HASH,
  createdAt: '2026-03-01T08:00:00.000Z',
  createdBy: 'ada',
};
const agentKey = { pk: `AGENT#${agent.agentId}`, sk: 'AGENT' };
const item = {
  ...agentKey,
  gsi1pk: 'CLIENT#client-a',
  gsi1sk: `AGENT#${agent.agentId}`,
  gsi2pk: `AGENTKEY#${HASH}`,
  gsi2sk: 'AGENTKEY',
  entity: 'agent',
  ...agent,
};
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

beforeEach(() => ddb.reset());
afterAll(() => ddb.restore());

describe('DynamoAgentRepository.create', () => {
  it('puts the agent with its three access keys, only if new', async () => {
    ddb.on(PutCommand).resolves({});
    await repository.create(agent);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, { TableName: TABLE, Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
  });

  it('turns a failed condition into a ConflictError', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    await expect(repository.create(agent)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('DynamoAgentRepository.get', () => {
  it('reads consistently and returns the agent of the named client', async () => {
    ddb.on(GetCommand).resolves({ Item: item });
    expect(await repository.get('client-a', agent.agentId)).toEqual(agent);
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: agentKey, ConsistentRead: true });
  });

  it("does not return another client's agent", async () => {
    ddb.on(GetCommand).resolves({ Item: item });
    expect(await repository.get('client-b', agent.agentId)).toBeUndefined();
  });
});

describe('DynamoAgentRepository.findByKeyHash', () => {
  it('queries gsi2 by hash, then reads the agent itself consistently', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item] });
    ddb.on(GetCommand).resolves({ Item: item });
    expect(await repository.findByKeyHash(HASH)).toEqual(agent);
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: TABLE,
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :hash',
      ExpressionAttributeValues: { ':hash': `AGENTKEY#${HASH}` },
      Limit: 1,
    });
    expect(ddb).toHaveReceivedCommandWith(GetCommand, { TableName: TABLE, Key: agentKey, ConsistentRead: true });
  });

  it('returns a revoked agent with its revocation, as the table holds it now, even when the index is stale', async () => {
    // The index copy predates the revocation; the consistent read sees it, and the domain refuses the key.
    ddb.on(QueryCommand).resolves({ Items: [item] });
    ddb.on(GetCommand).resolves({ Item: { ...item, revokedAt: '2026-03-02T08:00:00.000Z' } });
    expect((await repository.findByKeyHash(HASH))?.revokedAt).toBe('2026-03-02T08:00:00.000Z');
  });

  it('ignores an item whose hash no longer matches', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item] });
    ddb.on(GetCommand).resolves({ Item: { ...item, keyHash: 'b'.repeat(64), gsi2pk: `AGENTKEY#${'b'.repeat(64)}` } });
    expect(await repository.findByKeyHash(HASH)).toBeUndefined();
  });

  it('ignores an index entry whose item is gone', async () => {
    ddb.on(QueryCommand).resolves({ Items: [item] });
    ddb.on(GetCommand).resolves({});
    expect(await repository.findByKeyHash(HASH)).toBeUndefined();
  });

  it('does not read the table for an unknown hash', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    expect(await repository.findByKeyHash(HASH)).toBeUndefined();
    expect(ddb).not.toHaveReceivedCommand(GetCommand);
  });
});

describe('DynamoAgentRepository.listByClient', () => {
  it('queries the client agents on gsi1 and follows every page', async () => {
    const second = { ...item, agentId: '01HZ0000000000000000000003', gsi1sk: 'AGENT#01HZ0000000000000000000003' };
    const lastKey = { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk };
    ddb.on(QueryCommand).resolvesOnce({ Items: [item], LastEvaluatedKey: lastKey }).resolvesOnce({ Items: [second] });
    const agents = await repository.listByClient('client-a');
    expect(agents.map((a) => a.agentId)).toEqual([agent.agentId, '01HZ0000000000000000000003']);
    expect(ddb).toHaveReceivedCommandTimes(QueryCommand, 2);
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 1, {
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :client AND begins_with(gsi1sk, :prefix)',
      ExpressionAttributeValues: { ':client': 'CLIENT#client-a', ':prefix': 'AGENT#' },
      ExclusiveStartKey: undefined,
    });
    expect(ddb).toHaveReceivedNthCommandWith(QueryCommand, 2, { ExclusiveStartKey: lastKey });
  });
});

describe('DynamoAgentRepository.revoke', () => {
  const at = '2026-03-02T08:00:00.000Z';

  it('sets revokedAt only if unset, on an existing agent of the client, and returns the new record', async () => {
    ddb.on(UpdateCommand).resolves({ Attributes: { ...item, revokedAt: at } });
    expect(await repository.revoke('client-a', agent.agentId, at)).toEqual({ ...agent, revokedAt: at });
    expect(ddb).toHaveReceivedCommandWith(UpdateCommand, {
      TableName: TABLE,
      Key: agentKey,
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
      ConditionExpression: 'attribute_exists(pk) AND clientId = :client',
      ExpressionAttributeValues: { ':at': at, ':client': 'client-a' },
      ReturnValues: 'ALL_NEW',
    });
  });

  it('is undefined when the agent does not exist or belongs to another client', async () => {
    ddb.on(UpdateCommand).rejects(conditionFailed());
    expect(await repository.revoke('client-b', agent.agentId, at)).toBeUndefined();
  });

  it('lets other failures through', async () => {
    ddb.on(UpdateCommand).rejects(new Error('boom'));
    await expect(repository.revoke('client-a', agent.agentId, at)).rejects.toThrow('boom');
  });
});
