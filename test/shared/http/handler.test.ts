import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '../../../shared/adapters/logger';
import { ConflictError, NotFoundError } from '../../../shared/domain/errors';
import { httpHandler, httpRoute } from '../../../shared/http/handler';
import { type ApiEvent } from '../../../shared/http/request';
import { json } from '../../../shared/http/response';

const event = (body?: string): ApiEvent =>
  ({
    version: '2.0',
    routeKey: 'POST /v1/things',
    rawPath: '/v1/things',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    body,
    requestContext: { requestId: 'req-1', routeKey: 'POST /v1/things' },
  }) as unknown as ApiEvent;

const context = { awsRequestId: 'aws-req-1', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

let errorLog: MockInstance<typeof logger.error>;
let infoLog: MockInstance<typeof logger.info>;

beforeEach(() => {
  errorLog = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
  infoLog = vi.spyOn(logger, 'info').mockImplementation(() => undefined);
});
afterEach(() => vi.restoreAllMocks());

describe('httpHandler', () => {
  it("returns the route's result", async () => {
    const handler = httpHandler(async () => json(201, { id: 'x' }, { location: '/v1/things/x' }));
    const result = await handler(event(), context);
    expect(result).toEqual({ statusCode: 201, headers: { 'content-type': 'application/json; charset=utf-8', location: '/v1/things/x' }, body: '{"id":"x"}' });
  });

  it('puts the correlation ids in the log keys', async () => {
    const appendKeys = vi.spyOn(logger, 'appendKeys');
    await httpHandler(async () => json(200, {}))(event(), context);
    expect(appendKeys).toHaveBeenCalledWith({ requestId: 'req-1', routeKey: 'POST /v1/things', awsRequestId: 'aws-req-1' });
  });

  it('maps a domain error to its status and {error, message, details}', async () => {
    const handler = httpHandler(async () => {
      throw new ConflictError('contract X changed', [{ path: 'version', message: 'stale' }]);
    });
    const result = await handler(event(), context);
    expect(result.statusCode).toBe(409);
    expect(result.headers).toEqual({ 'content-type': 'application/json; charset=utf-8' });
    expect(JSON.parse(result.body as string)).toEqual({ error: 'Conflict', message: 'contract X changed', details: [{ path: 'version', message: 'stale' }] });
    expect(infoLog).toHaveBeenCalledWith('request refused', { status: 409, error: 'Conflict' });
    expect(errorLog).not.toHaveBeenCalled();
  });

  it('maps a validation failure of the body to a 400 naming the field', async () => {
    const handler = httpRoute({ body: { kind: 'json', schema: z.strictObject({ n: z.number() }) } }, async ({ body }) => json(200, body));
    const result = await handler({ ...event('{"n":"one"}'), headers: { 'content-type': 'application/json' } }, context);
    expect(result.statusCode).toBe(400);
    const body = JSON.parse(result.body as string);
    expect(body.error).toBe('ValidationError');
    expect(body.details.map((d: { path: string }) => d.path)).toEqual(['body.n']);
  });

  it('masks an unknown error as a 500 without its message or stack, and logs it', async () => {
    const secret = new Error('password=hunter2 at db.internal:5432');
    const handler = httpHandler(async () => {
      throw secret;
    });
    const result = await handler(event(), context);
    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body as string)).toEqual({ error: 'InternalError', message: 'an unexpected error occurred; it has been logged', details: [] });
    expect(result.body).not.toContain('hunter2');
    expect(result.body).not.toContain('at ');
    expect(errorLog).toHaveBeenCalledWith('unexpected error', { error: secret });
  });

  it('keeps each request independent: an error does not leak into the next answer', async () => {
    let fail = true;
    const handler = httpHandler(async () => {
      if (fail) throw new NotFoundError('nope');
      return json(200, { ok: true });
    });
    expect((await handler(event(), context)).statusCode).toBe(404);
    fail = false;
    expect(await handler(event(), context)).toMatchObject({ statusCode: 200, body: '{"ok":true}' });
  });
});

describe('httpRoute', () => {
  const withParts = (parts: Partial<ApiEvent>): ApiEvent => ({ ...event(), ...parts }) as ApiEvent;
  const input = {
    path: z.strictObject({ id: z.string().regex(/^\d+$/) }),
    query: z.strictObject({ limit: z.string().optional() }),
    body: { kind: 'json' as const, schema: z.strictObject({ name: z.string() }) },
  };
  const echo = httpRoute(input, async ({ path, query, body }) => json(200, { path, query, body }));

  it('hands the route its parsed path, query and body', async () => {
    const result = await echo(
      withParts({ pathParameters: { id: '7' }, queryStringParameters: { limit: '3' }, headers: { 'content-type': 'application/json' }, body: '{"name":"a"}' }),
      context,
    );
    expect(JSON.parse(result.body as string)).toEqual({ path: { id: '7' }, query: { limit: '3' }, body: { name: 'a' } });
  });

  it('refuses a query parameter the route does not declare, and any when it declares none', async () => {
    const result = await echo(withParts({ pathParameters: { id: '7' }, queryStringParameters: { limt: '3' }, headers: { 'content-type': 'application/json' }, body: '{"name":"a"}' }), context);
    expect(JSON.parse(result.body as string).details).toEqual([{ path: 'query.limt', message: 'unknown field' }]);
    const bare = httpRoute({}, async () => json(200, {}));
    expect((await bare(withParts({ queryStringParameters: { x: '1' } }), context)).statusCode).toBe(400);
    expect((await bare(withParts({ pathParameters: { x: '1' } }), context)).statusCode).toBe(400);
  });

  it('refuses a body on a route that declares none, and reads an absent optional body as {}', async () => {
    const bare = httpRoute({}, async () => json(200, {}));
    const refused = await bare(withParts({ headers: { 'content-type': 'application/json' }, body: '{}' }), context);
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body as string).details).toEqual([{ path: 'body', message: 'must be absent' }]);
    const optional = httpRoute({ body: { kind: 'optional-json', schema: z.strictObject({ at: z.string().default('now') }) } }, async ({ body }) => json(200, body));
    expect(JSON.parse((await optional(withParts({}), context)).body as string)).toEqual({ at: 'now' });
  });
});
