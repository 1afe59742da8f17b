import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoAgentRepository } from '../../../../shared/adapters/dynamo/agent-repository';
import { encodePageToken } from '../../../../shared/adapters/dynamo/pagination';
import { ConcurrentUpdateError, ConflictError, ServiceUnavailableError, ValidationError } from '../../../../shared/domain/errors';
import type { AgentRecord } from '../../../../shared/schemas/agent';

const TABLE = 'vigie-test';
const ddb = mockClient(DynamoDBDocumentClient);
const repository = new DynamoAgentRepository(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' })), TABLE);

const AGENT_ID = '01HZ0000000000000000000002';
const HASH = 'a'.repeat(64);
const agent: AgentRecord = {
  agentId: AGENT_ID,
  clientId: 'client-a',
  host: 'srv-01',
  key: { hash: HASH, issuedAt: '2026-03-01T08:00:00.000Z', issuedBy: 'ada' },
  createdAt: '2026-03-01T08:00:00.000Z',
  createdBy: 'ada',
  version: 1,
};
const agentItem = { pk: `AGENT#${AGENT_ID}`, sk: 'AGENT', gsi1pk: 'CLIENT#client-a', gsi1sk: `AGENT#${AGENT_ID}`, entity: 'agent', ...agent };
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: codes.map((Code) => ({ Code })) });

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
});
afterAll(() => ddb.restore());

describe('DynamoAgentRepository', () => {
  it('writes the agent, its key lookup and its claim on the host in one transaction', async () => {
    ddb.on(TransactWriteCommand).resolves({});
    await repository.create(agent);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]?.Put).toMatchObject({ Item: agentItem, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(items[1]?.Put).toMatchObject({
      Item: { pk: `AGENTKEY#${HASH}`, sk: 'AGENTKEY', entity: 'agent-key', keyHash: HASH, agentId: AGENT_ID, clientId: 'client-a' },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(items[2]?.Update).toMatchObject({ Key: { pk: 'AGENT-HOSTS#client-a', sk: 'HOST#srv-01' }, ConditionExpression: 'attribute_not_exists(agentId)' });
  });

  it('names the holder when the host is taken, and maps throttling to 503', async () => {
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'None', 'ConditionalCheckFailed')).rejectsOnce(cancelled('ThrottlingError', 'None', 'None'));
    ddb.on(GetCommand, { Key: { pk: 'AGENT-HOSTS#client-a', sk: 'HOST#srv-01' } }).resolves({ Item: { agentId: '01HZ0000000000000000000009' } });
    const taken = await repository.create(agent).catch((error: unknown) => error);
    expect(taken).toBeInstanceOf(ConflictError);
    expect((taken as ConflictError).message).toBe('host srv-01 of client client-a already has an active agent (01HZ0000000000000000000009)');
    await expect(repository.create(agent)).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('finds an agent by key hash with two consistent reads: the lookup, then the agent', async () => {
    ddb.on(GetCommand, { Key: { pk: `AGENTKEY#${HASH}`, sk: 'AGENTKEY' } }).resolves({ Item: { agentId: AGENT_ID } });
    ddb.on(GetCommand, { Key: { pk: `AGENT#${AGENT_ID}`, sk: 'AGENT' } }).resolves({ Item: agentItem });
    expect(await repository.findByKeyHash(HASH)).toEqual(agent);
    for (const call of ddb.commandCalls(GetCommand)) expect(call.args[0].input.ConsistentRead).toBe(true);
  });

  it('finds nothing for a key the agent no longer holds, nor for an unknown key', async () => {
    ddb.on(GetCommand, { Key: { pk: `AGENTKEY#${HASH}`, sk: 'AGENTKEY' } }).resolves({ Item: { agentId: AGENT_ID } });
    ddb.on(GetCommand, { Key: { pk: `AGENT#${AGENT_ID}`, sk: 'AGENT' } }).resolves({ Item: { ...agentItem, key: { ...agent.key, hash: 'b'.repeat(64) } } });
    expect(await repository.findByKeyHash(HASH)).toBeUndefined();
    expect(await repository.findByKeyHash('c'.repeat(64))).toBeUndefined();
  });

  it('rotates over the version read, and reports a lost race as a concurrent update', async () => {
    ddb.on(TransactWriteCommand).resolvesOnce({}).rejectsOnce(cancelled('ConditionalCheckFailed', 'None'));
    const rotated = { ...agent, key: { ...agent.key, hash: 'b'.repeat(64) }, previousKey: { hash: HASH, retiresAt: '2026-03-02T08:00:00.000Z' }, version: 2 };
    await repository.rotate(rotated, 1);
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[0]?.Put).toMatchObject({ ConditionExpression: '#version = :expected AND attribute_not_exists(revokedAt)', ExpressionAttributeValues: { ':expected': 1 } });
    expect(items[1]?.Put?.Item).toMatchObject({ pk: `AGENTKEY#${'b'.repeat(64)}`, agentId: AGENT_ID });
    await expect(repository.rotate(rotated, 1)).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('revokes the agent and frees its host in one transaction', async () => {
    ddb.on(GetCommand, { Key: { pk: `AGENT#${AGENT_ID}`, sk: 'AGENT' } }).resolves({ Item: agentItem });
    ddb.on(GetCommand, { Key: { pk: 'AGENT-HOSTS#client-a', sk: 'HOST#srv-01' } }).resolves({ Item: { agentId: AGENT_ID } });
    ddb.on(TransactWriteCommand).resolves({});
    expect(await repository.revoke('client-a', AGENT_ID, '2026-03-02T08:00:00.000Z', 'bob')).toEqual({ ...agent, revokedAt: '2026-03-02T08:00:00.000Z', revokedBy: 'bob' });
    const items = ddb.commandCalls(TransactWriteCommand)[0]!.args[0].input.TransactItems!;
    expect(items[1]?.Update).toMatchObject({ UpdateExpression: 'REMOVE agentId', ConditionExpression: 'agentId = :agent' });
  });

  it('pages through gsi1, and refuses a token of another client as a ValidationError', async () => {
    const lastKey = { pk: `AGENT#${AGENT_ID}`, sk: 'AGENT', gsi1pk: 'CLIENT#client-a', gsi1sk: `AGENT#${AGENT_ID}` };
    ddb.on(QueryCommand).resolves({ Items: [agentItem], LastEvaluatedKey: lastKey });
    const page = await repository.listByClient('client-a', { limit: 1 });
    expect(page).toEqual({ items: [agent], nextToken: encodePageToken(lastKey) });
    expect(ddb).toHaveReceivedCommandWith(QueryCommand, { IndexName: 'gsi1', Limit: 1, ExpressionAttributeValues: { ':client': 'CLIENT#client-a', ':prefix': 'AGENT#' } });
    await repository.listByClient('client-a', { limit: 1, nextToken: page.nextToken });
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual(lastKey);
    await expect(repository.listByClient('client-b', { limit: 1, nextToken: page.nextToken })).rejects.toBeInstanceOf(ValidationError);
  });
});
