import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_INPUTS, type RouteInput } from '../../shared/http/route-inputs';
import { ROUTES, routeKey, type RouteDefinition } from '../../shared/http/routes';
import { startTestApi, type TestApi } from '../support/local-api';

/**
 * Every route of the table, over real HTTP through the local gateway, authorizer and handler: how it takes a body
 * (or refuses one), and the character policy on its path, query and body. A new route is covered by being added.
 */
let api: TestApi;
let admin: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('admin');
});
afterAll(async () => api?.stop());

/** A value each path parameter accepts, so the request gets past the path to what is being tested. */
const VALID_PARAMETER: Record<string, string> = {
  contractId: '01HZ0000000000000000000001',
  interruptionId: '01HZ0000000000000000000002',
  agentId: '01HZ0000000000000000000003',
  clientId: 'demo-cabinet-durand',
  host: 'srv-01',
  userId: 'local-technician',
};

/** The query string a route needs to get past its required parameters. */
const VALID_QUERY: Record<string, string> = { 'contracts-list': '?clientId=demo-cabinet-durand', 'sla-report': '?year=2026' };

const pathOf = (route: RouteDefinition, override: Record<string, string> = {}) =>
  route.path.replace(/\{(\w+)\}/g, (_, name: string) => override[name] ?? VALID_PARAMETER[name] ?? `missing-${name}`) + (VALID_QUERY[route.handler] ?? '');
const inputOf = (route: RouteDefinition): RouteInput => ROUTE_INPUTS[route.handler as keyof typeof ROUTE_INPUTS];
const bodyRoutes = ROUTES.filter((route) => inputOf(route).body !== undefined).map((route) => [routeKey(route), route] as const);
const noBodyRoutes = ROUTES.filter((route) => inputOf(route).body === undefined).map((route) => [routeKey(route), route] as const);
const paramRoutes = ROUTES.filter((route) => route.path.includes('{')).map((route) => [routeKey(route), route] as const);
const allRoutes = ROUTES.map((route) => [routeKey(route), route] as const);

/** fetch refuses a body on GET; a plain HTTP request sends one, as any client may. */
function send(method: string, path: string, body: string): Promise<{ status: number; body: { details?: unknown } }> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { method, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as { details?: unknown } }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('bodies, route by route', () => {
  it.each(bodyRoutes)('%s takes application/json only: other types and charsets are 415', async (_key, route) => {
    for (const contentType of ['text/plain', 'application/octet-stream', 'application/x-www-form-urlencoded', 'application/json; charset=iso-8859-1', undefined]) {
      const response = await api.call(route.method, pathOf(route), {
        token: admin,
        rawBody: '{}',
        headers: contentType === undefined ? {} : { 'content-type': contentType },
      });
      expect(response.status, `${contentType}`).toBe(415);
      expect(response.body).toMatchObject({ error: 'UnsupportedMediaType', details: [{ path: 'headers.content-type' }] });
    }
  });

  it.each(bodyRoutes)('%s refuses bytes that are not UTF-8 and control characters in the body (400)', async (_key, route) => {
    const latin1 = Buffer.from('{"x":"Té"}', 'latin1');
    const notUtf8 = await fetch(`${api.url}${pathOf(route)}`, {
      method: route.method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: latin1,
    });
    expect(notUtf8.status).toBe(400);
    expect(JSON.stringify(await notUtf8.json())).toContain('UTF-8');
    const control = await api.call(route.method, pathOf(route), { token: admin, body: { x: 'T\u0000st \u202e' } });
    expect(control.status).toBe(400);
    expect(control.body.details[0]).toEqual({ path: 'body.x', message: expect.stringContaining('control character U+0000') });
  });

  it.each(noBodyRoutes)('%s takes no body: one sent is a 400, not silently dropped', async (_key, route) => {
    const response = await send(route.method, pathOf(route), '{"anything":true}');
    expect(response.status).toBe(400);
    expect(response.body.details).toEqual([{ path: 'body', message: 'must be absent' }]);
  });
});

describe('path parameters and query strings, route by route', () => {
  it.each(paramRoutes)('%s refuses control and bidi characters in each path parameter', async (_key, route) => {
    for (const name of [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!)) {
      for (const bad of ['%00', '%E2%80%AE', 'a%2Fb', 'a%20b']) {
        const response = await api.call(route.method, pathOf(route, { [name]: bad }), { token: admin });
        expect(response.status, `${name}=${bad}`).toBe(400);
        expect(response.body.details?.[0]?.path ?? response.body.message, `${name}=${bad}`).toBe(`path.${name}`);
      }
    }
  });

  it.each(allRoutes)('%s refuses an undeclared query parameter and a control character in any', async (_key, route) => {
    const unknown = await api.call(route.method, `${pathOf(route)}${pathOf(route).includes('?') ? '&' : '?'}limt=5`, { token: admin });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details).toContainEqual({ path: 'query.limt', message: 'unknown field' });
    const control = await api.call(route.method, `${pathOf(route).split('?')[0]}?clientId=a%07b`, { token: admin });
    expect(control.status).toBe(400);
    expect(control.body.details).toContainEqual({ path: 'query.clientId', message: expect.stringContaining('U+0007') });
  });
});

describe('lists, route by route', () => {
  const getRoutes = ROUTES.filter((route) => route.method === 'GET').map((route) => [routeKey(route), route] as const);
  const lists: string[] = [];

  it.each(getRoutes)('%s: if it answers a list, it pages it (limit, nextToken) and refuses a token it did not issue', async (_key, route) => {
    const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'contractId' ? api.runtime.demoContract!.id : (VALID_PARAMETER[name] ?? name)));
    const query = VALID_QUERY[route.handler] ?? '';
    const answer = await api.call('GET', `${path}${query}`, { token: admin });
    if (!Array.isArray(answer.body?.items)) return; // not a list
    lists.push(route.handler);
    const join = query ? '&' : '?';
    const one = await api.call('GET', `${path}${query}${join}limit=1`, { token: admin });
    expect(one.status).toBe(200);
    expect(one.body.items.length).toBeLessThanOrEqual(1);
    expect((await api.call('GET', `${path}${query}${join}limit=101`, { token: admin })).status).toBe(400);
    const forged = Buffer.from(JSON.stringify({ pk: 'STAFF#ada', sk: 'SCOPE' })).toString('base64url');
    const refused = await api.call('GET', `${path}${query}${join}nextToken=${forged}`, { token: admin });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ path: 'query.nextToken', message: 'invalid' }]);
  });

  it('found the lists it knows of (a check on the checker)', () => {
    expect(lists).toEqual(expect.arrayContaining(['contracts-list', 'agents-list', 'interruptions-list']));
  });
});
