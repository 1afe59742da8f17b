import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactGetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { SignJWT, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER, localIssuer, type LocalIssuer } from '../../infra/local/issuer';
import { apiKeyFactory } from '../../shared/adapters/identity';
import { logger } from '../../shared/adapters/logger';

type Handler = typeof import('../../functions/authorizer').handler;

const ddb = mockClient(DynamoDBDocumentClient);
let handler: Handler;
let issuer: LocalIssuer;
let privateJwk: JWK;
let home: string;
let infoLog: MockInstance<typeof logger.info>;

const AGENT_ID = '01HZX3M4QK7T9V2B5C8D0E1F6G';
const AGENT_KEY = apiKeyFactory.generate(AGENT_ID);
const agentItem = {
  pk: `AGENT#${AGENT_ID}`,
  sk: 'AGENT',
  gsi1pk: 'CLIENT#client-x',
  gsi1sk: `AGENT#${AGENT_ID}`,
  entity: 'agent',
  agentId: AGENT_ID,
  clientId: 'client-x',
  host: 'srv-01',
  key: { hash: apiKeyFactory.hash(AGENT_KEY), issuedAt: '2026-03-01T08:00:00.000Z', issuedBy: 'ada' },
  createdAt: '2026-03-01T08:00:00.000Z',
  createdBy: 'ada',
  version: 1,
};

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'vigie-authorizer-'));
  const keyFile = join(home, 'signing-key.json');
  issuer = await localIssuer(keyFile);
  privateJwk = (JSON.parse(await readFile(keyFile, 'utf8')) as { privateJwk: JWK }).privateJwk;
  // The handler reads its configuration at load, like a cold start: set it first, then import.
  vi.stubEnv('TABLE_NAME', 'vigie-authorizer-test');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('DYNAMODB_ENDPOINT', undefined);
  vi.stubEnv('AUTH_MODE', 'local');
  vi.stubEnv('LOCAL_JWKS', JSON.stringify(issuer.jwks));
  vi.stubEnv('LOCAL_ISSUER', LOCAL_ISSUER);
  vi.stubEnv('LOCAL_CLIENT_ID', LOCAL_CLIENT_ID);
  ({ handler } = await import('../../functions/authorizer'));
});

afterAll(async () => {
  ddb.restore();
  vi.unstubAllEnvs();
  await rm(home, { recursive: true, force: true });
});

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(TransactGetCommand).resolves({ Responses: [{}, {}] });
  infoLog?.mockRestore();
  infoLog = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
});

function event(
  routeKey: string,
  options: { authorization?: string; path?: Record<string, string>; query?: Record<string, string> } = {},
): APIGatewayRequestAuthorizerEventV2 {
  const [method, rawPath] = routeKey.split(' ') as [string, string];
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `arn:aws:execute-api:eu-west-1:000000000000:api/$default/${method}${rawPath}`,
    identitySource: options.authorization === undefined ? [] : [options.authorization],
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    cookies: [],
    headers: options.authorization === undefined ? {} : { authorization: options.authorization },
    queryStringParameters: options.query,
    pathParameters: options.path,
    stageVariables: {},
    requestContext: { requestId: 'req-1', routeKey } as APIGatewayRequestAuthorizerEventV2['requestContext'],
  };
}

const bearer = (token: string) => `Bearer ${token}`;
const STAFF_AT = { updatedAt: '2026-03-01T08:00:00.000Z', updatedBy: 'ada' };
const staffRead = (userId: string) => ({
  TransactItems: [
    { Get: { TableName: 'vigie-authorizer-test', Key: { pk: `STAFF#${userId}`, sk: 'SCOPE' } } },
    { Get: { TableName: 'vigie-authorizer-test', Key: { pk: `STAFF-STATUS#${userId}`, sk: 'STATUS' } } },
  ],
});
/** The staff member's scope and status items, as the authorizer reads them in one transaction. */
const staffInTable = (userId: string, items: { clientIds?: string[]; status?: Record<string, unknown> }) =>
  ddb.on(TransactGetCommand, staffRead(userId)).resolves({
    Responses: [
      items.clientIds ? { Item: { pk: `STAFF#${userId}`, sk: 'SCOPE', userId, clientIds: items.clientIds, ...STAFF_AT } } : {},
      items.status ? { Item: { pk: `STAFF-STATUS#${userId}`, sk: 'STATUS', userId, ...items.status, ...STAFF_AT } } : {},
    ],
  });
const scopeOf = (userId: string, clientIds: string[]) => staffInTable(userId, { clientIds });
const agentInTable = (item: Record<string, unknown> = agentItem) => {
  ddb.on(GetCommand, { Key: { pk: `AGENTKEY#${apiKeyFactory.hash(AGENT_KEY)}`, sk: 'AGENTKEY' } }).resolves({ Item: { agentId: AGENT_ID } });
  ddb.on(GetCommand, { Key: { pk: `AGENT#${AGENT_ID}`, sk: 'AGENT' } }).resolves({ Item: item });
};
const deniedReasons = () => infoLog.mock.calls.filter(([message]) => message === 'access denied').map(([, extra]) => (extra as { reason: string }).reason);

async function tokenWithGroups(groups: unknown, userId = 'nobody'): Promise<string> {
  return new SignJWT({ 'cognito:groups': groups, token_use: 'access', client_id: LOCAL_CLIENT_ID })
    .setProtectedHeader({ alg: 'RS256', kid: 'vigie-local-1', typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setSubject(userId)
    .setIssuedAt()
    .setExpirationTime('10m')
    .sign(await importJWK(privateJwk, 'RS256'));
}

describe('authorizer: credentials', () => {
  it.each([
    ['no Authorization header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a bare Bearer', 'Bearer'],
    ['two credentials', 'Bearer abc def'],
  ])('answers 401 (Unauthorized) to %s', async (_name, authorization) => {
    await expect(handler(event('POST /v1/contracts', { authorization }))).rejects.toThrow(new Error('Unauthorized'));
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 401 to a token it cannot verify', async () => {
    await expect(handler(event('POST /v1/contracts', { authorization: bearer('eyJhbGciOiJSUzI1NiJ9.e30.c2ln') }))).rejects.toThrow('Unauthorized');
  });

  it('answers 401 to an expired staff token', async () => {
    const expired = await issuer.sign({ userId: 'ada', role: 'admin', ttlSeconds: -60 });
    await expect(handler(event('POST /v1/contracts', { authorization: bearer(expired) }))).rejects.toThrow('Unauthorized');
  });

  it('answers 401 to an unknown agent key', async () => {
    await expect(handler(event('GET /v1/clients/{clientId}/hosts/{host}/agent', { authorization: bearer(AGENT_KEY), path: { clientId: 'client-x', host: 'SRV-01' } }))).rejects.toThrow('Unauthorized');
    expect(ddb.commandCalls(GetCommand)[0]?.args[0].input).toMatchObject({ Key: { pk: `AGENTKEY#${apiKeyFactory.hash(AGENT_KEY)}` }, ConsistentRead: true });
  });

  it('answers 401 to the key of a revoked agent', async () => {
    agentInTable({ ...agentItem, revokedAt: '2026-03-02T00:00:00.000Z' });
    await expect(handler(event('GET /v1/clients/{clientId}/hosts/{host}/agent', { authorization: bearer(AGENT_KEY), path: { clientId: 'client-x', host: 'SRV-01' } }))).rejects.toThrow('Unauthorized');
  });
});

describe('authorizer: agents', () => {
  it('lets an agent check in for its own client and host, handing its principal to the route', async () => {
    agentInTable();
    const result = await handler(event('GET /v1/clients/{clientId}/hosts/{host}/agent', { authorization: bearer(AGENT_KEY), path: { clientId: 'client-x', host: 'SRV-01' } }));
    expect(result.isAuthorized).toBe(true);
    expect(JSON.parse(result.context.principal)).toEqual({ kind: 'agent', agentId: AGENT_ID, clientId: 'client-x', host: 'srv-01' });
  });

  it('takes the host of the path in any case: Windows host names do not tell case apart', async () => {
    agentInTable();
    for (const host of ['SRV-01', 'srv-01', 'Srv-01']) {
      const result = await handler(event('GET /v1/clients/{clientId}/hosts/{host}/agent', { authorization: bearer(AGENT_KEY), path: { clientId: 'client-x', host } }));
      expect(result.isAuthorized, host).toBe(true);
    }
  });

  it('answers 401 to a key a rotation replaced, once its grace period is over', async () => {
    agentInTable({ ...agentItem, key: { ...agentItem.key, hash: 'f'.repeat(64) }, previousKey: { hash: apiKeyFactory.hash(AGENT_KEY), retiresAt: '2026-03-01T09:00:00.000Z' } });
    await expect(handler(event('GET /v1/clients/{clientId}/hosts/{host}/agent', { authorization: bearer(AGENT_KEY), path: { clientId: 'client-x', host: 'SRV-01' } }))).rejects.toThrow('Unauthorized');
  });

  it('refuses an agent for another host or another client', async () => {
    agentInTable();
    const otherHost = await handler(event('GET /v1/clients/{clientId}/hosts/{host}/agent', { authorization: bearer(AGENT_KEY), path: { clientId: 'client-x', host: 'SRV-02' } }));
    const otherClient = await handler(event('GET /v1/clients/{clientId}/hosts/{host}/agent', { authorization: bearer(AGENT_KEY), path: { clientId: 'client-y', host: 'SRV-01' } }));
    expect(otherHost).toEqual({ isAuthorized: false, context: { principal: '' } });
    expect(otherClient).toEqual({ isAuthorized: false, context: { principal: '' } });
    expect(deniedReasons()).toEqual(['agent key bound to another host', 'agent key bound to another client']);
  });

  it('refuses an agent on a staff route', async () => {
    agentInTable();
    const result = await handler(event('GET /v1/clients/{clientId}/agents', { authorization: bearer(AGENT_KEY), path: { clientId: 'client-x' } }));
    expect(result.isAuthorized).toBe(false);
    expect(deniedReasons()).toEqual(['agents may not call this route']);
  });
});

describe('authorizer: staff', () => {
  it('lets an admin call an admin route, with an "all" scope, after one read of their status', async () => {
    const token = await issuer.sign({ userId: 'ada', role: 'admin' });
    const result = await handler(event('POST /v1/contracts', { authorization: bearer(token) }));
    expect(result.isAuthorized).toBe(true);
    expect(JSON.parse(result.context.principal)).toEqual({ kind: 'staff', userId: 'ada', role: 'admin', clientScope: 'all' });
    expect(ddb.calls()).toHaveLength(1);
    expect(ddb.commandCalls(TransactGetCommand)[0]?.args[0].input).toEqual(staffRead('ada'));
  });

  it('answers 401 to a disabled admin at once, and to a token issued before a sign-out', async () => {
    const token = await issuer.sign({ userId: 'ada', role: 'admin' });
    staffInTable('ada', { status: { disabledAt: new Date().toISOString(), disabledBy: 'bob', tokensNotBefore: new Date().toISOString() } });
    await expect(handler(event('POST /v1/contracts', { authorization: bearer(token) }))).rejects.toThrow('Unauthorized');
    staffInTable('ada', { status: { tokensNotBefore: new Date(Date.now() + 2_000).toISOString() } });
    await expect(handler(event('POST /v1/contracts', { authorization: bearer(token) }))).rejects.toThrow('Unauthorized');
  });

  it('answers an ID token with 401: only access tokens call the API', async () => {
    const idToken = await new SignJWT({ 'cognito:groups': ['admin'], token_use: 'id' })
      .setProtectedHeader({ alg: 'RS256', kid: 'vigie-local-1', typ: 'JWT' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_CLIENT_ID)
      .setSubject('ada')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(await importJWK(privateJwk, 'RS256'));
    await expect(handler(event('POST /v1/contracts', { authorization: bearer(idToken) }))).rejects.toThrow('Unauthorized');
  });

  it('accepts the scheme name in any case', async () => {
    const token = await issuer.sign({ userId: 'ada', role: 'admin' });
    expect((await handler(event('POST /v1/contracts', { authorization: `bearer  ${token}` }))).isAuthorized).toBe(true);
  });

  it('refuses a technician on an admin route (403, not 401)', async () => {
    scopeOf('tom', ['client-x']);
    const token = await issuer.sign({ userId: 'tom', role: 'technician' });
    const result = await handler(event('POST /v1/contracts', { authorization: bearer(token) }));
    expect(result).toEqual({ isAuthorized: false, context: { principal: '' } });
    expect(deniedReasons()).toEqual(['role technician may not call this route']);
  });

  it("checks a technician's client scope, read from the table, against the query", async () => {
    scopeOf('tom', ['client-x']);
    const token = await issuer.sign({ userId: 'tom', role: 'technician' });
    const other = await handler(event('GET /v1/contracts', { authorization: bearer(token), query: { clientId: 'client-y' } }));
    expect(other.isAuthorized).toBe(false);
    expect(deniedReasons()).toEqual(['client outside the caller scope']);

    const own = await handler(event('GET /v1/contracts', { authorization: bearer(token), query: { clientId: 'client-x' } }));
    expect(own.isAuthorized).toBe(true);
    expect(JSON.parse(own.context.principal)).toEqual({ kind: 'staff', userId: 'tom', role: 'technician', clientScope: ['client-x'] });
    expect(ddb.commandCalls(TransactGetCommand).at(-1)?.args[0].input).toEqual(staffRead('tom'));
  });

  it('gives a technician without a scope record no client', async () => {
    const token = await issuer.sign({ userId: 'new-hire', role: 'technician' });
    const result = await handler(event('GET /v1/contracts', { authorization: bearer(token), query: { clientId: 'client-x' } }));
    expect(result.isAuthorized).toBe(false);
  });

  it('refuses (403) a valid identity without any Vigie group, without reading the table', async () => {
    const result = await handler(event('GET /v1/contracts', { authorization: bearer(await tokenWithGroups(['accounting'])), query: { clientId: 'client-x' } }));
    expect(result).toEqual({ isAuthorized: false, context: { principal: '' } });
    expect(deniedReasons()).toEqual(['identity without a Vigie group']);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a route it has no access rule for', async () => {
    const token = await issuer.sign({ userId: 'ada', role: 'admin' });
    const result = await handler(event('DELETE /v1/contracts/{contractId}', { authorization: bearer(token), path: { contractId: 'x' } }));
    expect(result.isAuthorized).toBe(false);
    expect(deniedReasons()).toEqual(['no access rule for DELETE /v1/contracts/{contractId}']);
  });
});
