import { AsyncLocalStorage } from 'node:async_hooks';
import { join } from 'node:path';
import { DeleteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGateway, type Gateway } from '../../../infra/local/gateway';
import { REPO_ROOT } from '../../../infra/local/paths';
import { demoContractInput } from '../../../infra/local/seed';
import { NON_ROUTE_LAMBDAS } from '../../../infra/stacks/lambda-access';
import { tableGrantsOf, tablePermissionsOf } from '../../../infra/stacks/table-grants';
import type { TableGrant, TableResource } from '../../../infra/stacks/table-grants';
import { createDocumentClient } from '../../../shared/adapters/dynamo/client';
import { keys } from '../../../shared/adapters/dynamo/keys';
import type { TableAccess } from '../../../shared/adapters/dynamo/keys';
import { ROUTES, routeKey } from '../../../shared/http/routes';
import type { ContractInput } from '../../../shared/schemas/contract';
import { startTestApi, type TestApi } from '../../support/local-api';

/**
 * The declarations cover what the handlers really do. Every route (and every Lambda outside the route table that
 * the local runtime runs) is called over HTTP against DynamoDB Local; each DynamoDB command its code sends is
 * recorded under the Lambda that sent it and evaluated as IAM would against the grants derived from that Lambda's
 * declaration. A call outside the declaration (a missing entity type, action or index) fails, and so does a
 * declared permission the Lambda never used.
 */

/** What IAM authorizes for one item-level request: one action, on the table or an index, for these partition keys. */
interface TableRequest {
  action: string;
  resource: TableResource | `other ${string}`;
  leadingKeys: string[];
}

type Input = Record<string, unknown>;
const partitionKeyOf = (key: unknown): string => String((key as Input | undefined)?.['pk']);

/** The partition key a Query's key condition names: `pk` for the table, `<index>pk` for an index. */
function queriedPartition(input: Input): string {
  const index = input['IndexName'] as string | undefined;
  const names = (input['ExpressionAttributeNames'] ?? {}) as Record<string, string>;
  const values = (input['ExpressionAttributeValues'] ?? {}) as Input;
  for (const [, name, value] of String(input['KeyConditionExpression']).matchAll(/(#?\w+)\s*=\s*(:\w+)/g)) {
    if ((names[name!] ?? name) === `${index ?? ''}pk`) return String(values[value!]);
  }
  throw new Error(`no partition key in the key condition ${String(input['KeyConditionExpression'])}`);
}

/**
 * The requests IAM evaluates for a command of the document client. TransactWriteItems is authorized item by item,
 * with the action of each part (AWS: "Using IAM with DynamoDB transactions"). Anything not listed here (Scan, batches,
 * deletes, PartiQL…) is turned into a request no declaration can allow.
 */
export function requestsOf(command: { constructor: { name: string }; input: unknown }): TableRequest[] {
  const input = command.input as Input;
  switch (command.constructor.name) {
    case 'GetCommand':
      return [{ action: 'GetItem', resource: 'table', leadingKeys: [partitionKeyOf(input['Key'])] }];
    case 'PutCommand':
      return [{ action: 'PutItem', resource: 'table', leadingKeys: [partitionKeyOf(input['Item'])] }];
    case 'UpdateCommand':
      return [{ action: 'UpdateItem', resource: 'table', leadingKeys: [partitionKeyOf(input['Key'])] }];
    case 'QueryCommand': {
      const index = input['IndexName'] as 'gsi1' | 'gsi2' | undefined;
      return [{ action: 'Query', resource: index ? `index/${index}` : 'table', leadingKeys: [queriedPartition(input)] }];
    }
    case 'TransactWriteCommand':
      return (input['TransactItems'] as Input[]).map((part) => {
        const [kind, body] = Object.entries(part)[0] as [string, Input];
        const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind] ?? kind;
        return { action, resource: 'table', leadingKeys: [partitionKeyOf(body['Item'] ?? body['Key'])] };
      });
    case 'TransactGetCommand':
      return (input['TransactItems'] as Input[]).map((part) => ({ action: 'GetItem', resource: 'table', leadingKeys: [partitionKeyOf((part['Get'] as Input)['Key'])] }));
    default:
      return [{ action: command.constructor.name.replace(/Command$/, ''), resource: `other ${command.constructor.name}`, leadingKeys: [] }];
  }
}

/** IAM's StringLike: `*` any run of characters, `?` one character, everything else literal. */
const stringLike = (pattern: string, value: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's').test(value);

/** Allowed when one statement names the action and the resource, and every partition key matches one of its patterns (ForAllValues). */
export const allows = (grants: readonly TableGrant[], request: TableRequest): boolean =>
  grants.some(
    (grant) =>
      grant.actions.includes(request.action as never) &&
      grant.resource === request.resource &&
      request.leadingKeys.length > 0 &&
      request.leadingKeys.every((key) => grant.leadingKeys.some((pattern) => stringLike(pattern, key))),
  );

const describeRequest = (r: TableRequest) => `${r.action} ${r.resource} ${r.leadingKeys.join(',')}`;
/** `action resource prefix`, the unit a declaration grants. */
const permissionLine = (r: { action: string; resource: string; prefix: string }) => `${r.action} ${r.resource} ${r.prefix}`;

// ---------------------------------------------------------------------------------------------------------------
// Recording: each handler runs inside an async context naming its Lambda; the document client's send reads it.

const running = new AsyncLocalStorage<string>();
const recorded = new Map<string, TableRequest[]>();
const statuses = new Map<string, number[]>();

const originalSend = DynamoDBDocumentClient.prototype.send;
const sendSpy = vi.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (this: DynamoDBDocumentClient, ...args: unknown[]) {
  const lambda = running.getStore();
  if (lambda !== undefined) recorded.set(lambda, [...(recorded.get(lambda) ?? []), ...requestsOf(args[0] as Parameters<typeof requestsOf>[0])]);
  return (originalSend as (...a: unknown[]) => unknown).apply(this, args) as never;
});

type Handler = (event: never, context?: Context) => Promise<unknown>;
const recording =
  (lambda: string, handler: Handler): Handler =>
  async (event, context) => {
    const result = await running.run(lambda, () => handler(event, context));
    const status = typeof result === 'object' && result !== null && 'statusCode' in result ? Number(result.statusCode) : 200;
    statuses.set(lambda, [...(statuses.get(lambda) ?? []), status]);
    return result;
  };

let api: TestApi;
let gateway: Gateway;

async function call(method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Record<string, unknown> };
}

const contractOf = (clientId: string): ContractInput => ({ ...demoContractInput, clientId, contractNumber: `GRANTS-${clientId}` });

/** Every route at least once, along the paths that use each declared permission. */
async function scenario(): Promise<void> {
  const admin = await api.token('admin', 'grants-admin');
  const technician = await api.token('technician', 'grants-technician');
  const client = 'grants-client';

  // Contracts: the first contract of a client has no guard yet, so its periods are read from gsi1.
  const created = await call('POST', '/v1/contracts', admin, contractOf(client));
  const contractId = String(created.body['id']);
  await call('GET', `/v1/contracts?clientId=${client}`, admin);
  await call('GET', `/v1/contracts/${contractId}`, admin);
  await call('PUT', `/v1/contracts/${contractId}`, admin, contractOf(client), { 'if-match': '"1"' });
  // A contract written before the guard existed: the update reads its client's contracts through gsi1.
  const legacy = await call('POST', '/v1/contracts', admin, contractOf('grants-legacy'));
  const db = createDocumentClient({ region: 'eu-west-1', endpoint: api.runtime.dynamoEndpoint });
  await db.send(new DeleteCommand({ TableName: api.runtime.tableName, Key: keys.contractPeriods('grants-legacy') })).finally(() => db.destroy());
  await call('PUT', `/v1/contracts/${String(legacy.body['id'])}`, admin, contractOf('grants-legacy'), { 'if-match': '"1"' });

  // Agents: the agent checks in with its key (the authorizer reads the key's lookup, then the agent), an admin looks
  // at the host, rotates the key (the agent checks in with the new one), then revokes the agent.
  const agent = await call('POST', `/v1/clients/${client}/agents`, admin, { host: 'SRV-GRANTS' });
  await call('POST', `/v1/clients/${client}/agents`, admin, { host: 'srv-grants' }); // 409: reads the host's agent to name it
  await call('GET', `/v1/clients/${client}/agents`, admin);
  await call('GET', `/v1/clients/${client}/hosts/SRV-GRANTS/agent`, String(agent.body['apiKey']));
  await call('GET', `/v1/clients/${client}/hosts/SRV-GRANTS/agent`, admin);
  const rotated = await call('POST', `/v1/clients/${client}/agents/${String(agent.body['agentId'])}/rotate`, admin, {});
  await call('GET', `/v1/clients/${client}/hosts/SRV-GRANTS/agent`, String(rotated.body['apiKey']));
  await call('DELETE', `/v1/clients/${client}/agents/${String(agent.body['agentId'])}`, admin);

  // Staff scopes; the technician's requests make the authorizer read its scope.
  await call('PUT', '/v1/staff/grants-technician/scope', admin, { clientIds: [client] });
  await call('GET', '/v1/staff/grants-technician/scope', admin);
  // Staff status: a member is disabled, enabled again and signed out; the authorizer reads every caller's status.
  await call('POST', '/v1/staff/grants-leaver/disable', admin);
  await call('POST', '/v1/staff/grants-leaver/enable', admin);
  await call('POST', '/v1/staff/grants-leaver/sign-out', admin);
  await call('GET', '/v1/staff/grants-leaver/status', admin);

  // Interruptions and the SLA report.
  const interruption = await call('POST', `/v1/contracts/${contractId}/interruptions`, technician, { description: 'Serveur injoignable' });
  const interruptionPath = `/v1/contracts/${contractId}/interruptions/${String(interruption.body['id'])}`;
  await call('GET', `/v1/contracts/${contractId}/interruptions`, technician);
  await call('POST', `${interruptionPath}/restore`, technician, {});
  await call('PATCH', interruptionPath, admin, { planned: true });
  await call('GET', `/v1/contracts/${contractId}/sla?year=${new Date().getUTCFullYear()}`, admin);
}

beforeAll(async () => {
  api = await startTestApi();
  gateway = await startGateway({
    port: 0,
    loadHandler: async (name) => recording(name, (await import(join(REPO_ROOT, 'functions', `${name}.ts`))).handler as Handler) as never,
    loadAuthorizer: async () => recording('authorizer', (await import('../../../functions/authorizer')).handler as Handler) as never,
  });
  await scenario();
});

afterAll(async () => {
  sendSpy.mockRestore();
  await gateway?.close();
  await api?.stop();
});

/** The Lambdas whose declarations are checked: every route, and those outside the route table the runtime runs. */
const LAMBDAS: Array<[string, string, TableAccess]> = [
  ...ROUTES.map((route): [string, string, TableAccess] => [routeKey(route), route.handler, route.table]),
  ['authorizer', 'authorizer', NON_ROUTE_LAMBDAS.authorizer.table],
];

describe('table declarations against the calls the handlers make', () => {
  it.each(LAMBDAS)('%s ran successfully in the scenario (a new Lambda needs a step there)', (_name, lambda) => {
    const answered = statuses.get(lambda) ?? [];
    expect(answered.some((status) => status >= 200 && status < 300), `${lambda} answered ${answered.join(', ') || 'nothing'}`).toBe(true);
  });

  it.each(LAMBDAS)('%s: IAM would allow every DynamoDB call its code made', (_name, lambda, table) => {
    const grants = tableGrantsOf(table);
    const refused = (recorded.get(lambda) ?? []).filter((request) => !allows(grants, request)).map(describeRequest);
    expect([...new Set(refused)]).toEqual([]);
  });

  it.each(LAMBDAS)('%s: declares nothing its code did not use', (_name, lambda, table) => {
    const used = new Set(
      (recorded.get(lambda) ?? []).flatMap((request) => request.leadingKeys.map((key) => permissionLine({ ...request, prefix: key.split('#')[0]! }))),
    );
    const unused = tablePermissionsOf(table).map(permissionLine).filter((line) => !used.has(line));
    expect(unused).toEqual([]);
  });

  it('recorded the calls of every Lambda under its own name, and none elsewhere', () => {
    expect([...recorded.keys()].filter((lambda) => !LAMBDAS.some(([, name]) => name === lambda))).toEqual([]);
  });
});

describe('the check itself', () => {
  const contractKey = keys.contract('01HZ0000000000000000000001').pk;
  const interruptionKey = keys.interruptionsOf('01HZ0000000000000000000001').pk;

  it('would catch a declaration that misses an entity type the code touches', () => {
    const interruptionPut: TableRequest = { action: 'PutItem', resource: 'table', leadingKeys: [interruptionKey] };
    expect(allows(tableGrantsOf({ contract: ['get'], interruption: ['put'] }), interruptionPut)).toBe(true);
    expect(allows(tableGrantsOf({ contract: ['get', 'put'] }), interruptionPut)).toBe(false);
    // The partitions are what IAM tells apart: an interruption route cannot write a contract.
    expect(allows(tableGrantsOf({ contract: ['get'], interruption: ['put'] }), { ...interruptionPut, leadingKeys: [contractKey] })).toBe(false);
  });

  it('would catch a missing action or index', () => {
    expect(allows(tableGrantsOf({ contract: ['get'] }), { action: 'Query', resource: 'index/gsi1', leadingKeys: ['CLIENT#a'] })).toBe(false);
    expect(allows(tableGrantsOf({ contract: ['query:gsi1'] }), { action: 'Query', resource: 'index/gsi1', leadingKeys: ['CLIENT#a'] })).toBe(true);
    expect(allows(tableGrantsOf({ contract: ['query:gsi1'] }), { action: 'Query', resource: 'table', leadingKeys: ['CLIENT#a'] })).toBe(false);
    expect(allows(tableGrantsOf({ agent: ['get'] }), { action: 'UpdateItem', resource: 'table', leadingKeys: [keys.agent('x').pk] })).toBe(false);
  });

  it('authorizes each part of a transaction with its own action, and refuses what no declaration can grant', () => {
    const transaction = {
      constructor: { name: 'TransactWriteCommand' },
      input: { TransactItems: [{ Put: { Item: { pk: contractKey } } }, { ConditionCheck: { Key: { pk: 'CLIENT#a' } } }, { Delete: { Key: { pk: 'AGENT#x' } } }] },
    };
    expect(requestsOf(transaction)).toEqual([
      { action: 'PutItem', resource: 'table', leadingKeys: [contractKey] },
      { action: 'ConditionCheckItem', resource: 'table', leadingKeys: ['CLIENT#a'] },
      { action: 'DeleteItem', resource: 'table', leadingKeys: ['AGENT#x'] },
    ]);
    const scan = requestsOf({ constructor: { name: 'ScanCommand' }, input: {} })[0]!;
    expect(allows(tableGrantsOf({ contract: ['get', 'query', 'put', 'update', 'check', 'query:gsi1'] }), scan)).toBe(false);
  });

  it('reads the partition a query names, on the table or an index, through attribute-name placeholders too', () => {
    const query = (input: Input) => requestsOf({ constructor: { name: 'QueryCommand' }, input });
    expect(query({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)', ExpressionAttributeValues: { ':pk': interruptionKey, ':p': 'I' } })).toEqual([
      { action: 'Query', resource: 'table', leadingKeys: [interruptionKey] },
    ]);
    expect(
      query({ IndexName: 'gsi1', KeyConditionExpression: '#k = :c AND begins_with(gsi1sk, :p)', ExpressionAttributeNames: { '#k': 'gsi1pk' }, ExpressionAttributeValues: { ':c': 'CLIENT#a', ':p': 'A' } }),
    ).toEqual([{ action: 'Query', resource: 'index/gsi1', leadingKeys: ['CLIENT#a'] }]);
  });
});
