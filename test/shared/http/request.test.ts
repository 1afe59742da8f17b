import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../../shared/domain/errors';
import { header, parseBody, parsePath, parseQuery, principalOf, type ApiEvent } from '../../../shared/http/request';
import { PageQuerySchema } from '../../../shared/schemas/common';

const event = (overrides: Partial<ApiEvent> = {}): ApiEvent =>
  ({
    version: '2.0',
    routeKey: 'POST /v1/things',
    rawPath: '/v1/things',
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', routeKey: 'POST /v1/things', authorizer: { lambda: { principal: '' } } },
    ...overrides,
  }) as unknown as ApiEvent;

const Body = z.object({ name: z.string().min(1), count: z.number().int() }).strict();

function validationErrorOf(run: () => unknown): ValidationError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error('expected a ValidationError');
}

describe('parseBody', () => {
  it('parses a JSON body with the schema', () => {
    expect(parseBody(event({ body: '{"name":"a","count":2}' }), Body)).toEqual({ name: 'a', count: 2 });
  });

  it('decodes a base64 body first', () => {
    const body = Buffer.from('{"name":"é","count":1}', 'utf8').toString('base64');
    expect(parseBody(event({ body, isBase64Encoded: true }), Body)).toEqual({ name: 'é', count: 1 });
  });

  it.each([undefined, ''])('requires a body (%j)', (body) => {
    const error = validationErrorOf(() => parseBody(event({ body }), Body));
    expect(error.details).toEqual([{ path: 'body', message: 'missing' }]);
  });

  it('refuses a body that is not JSON, keeping the parser error as cause', () => {
    const error = validationErrorOf(() => parseBody(event({ body: '{"name":' }), Body));
    expect(error.message).toBe('the body is not valid JSON');
    expect(error.details[0]?.path).toBe('body');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('names each bad field under body., and unknown keys too', () => {
    const error = validationErrorOf(() => parseBody(event({ body: '{"name":"","count":1.5,"extra":true}' }), Body));
    expect(error.details.map((d) => d.path).sort()).toEqual(['body', 'body.count', 'body.name']);
    expect(error.message).toMatch(/^invalid body: /);
  });

  it('names a body of the wrong type "body"', () => {
    const error = validationErrorOf(() => parseBody(event({ body: 'null' }), Body));
    expect(error.details).toEqual([{ path: 'body', message: expect.any(String) }]);
  });
});

describe('parsePath and parseQuery', () => {
  const Path = z.object({ clientId: z.string().regex(/^[a-z-]+$/) });

  it('parses path parameters', () => {
    expect(parsePath(event({ pathParameters: { clientId: 'client-a' } }), Path)).toEqual({ clientId: 'client-a' });
  });

  it('treats absent path parameters as an empty object and names the field under path.', () => {
    const error = validationErrorOf(() => parsePath(event(), Path));
    expect(error.details.map((d) => d.path)).toEqual(['path.clientId']);
  });

  it('applies query defaults and coercion', () => {
    expect(parseQuery(event(), PageQuerySchema)).toEqual({ limit: 25 });
    expect(parseQuery(event({ queryStringParameters: { limit: '100', nextToken: 'abc' } }), PageQuerySchema)).toEqual({ limit: 100, nextToken: 'abc' });
  });

  it('names a bad query parameter under query.', () => {
    const error = validationErrorOf(() => parseQuery(event({ queryStringParameters: { limit: '101' } }), PageQuerySchema));
    expect(error.details.map((d) => d.path)).toEqual(['query.limit']);
  });
});

describe('principalOf', () => {
  const withPrincipal = (principal: string | undefined) =>
    event({ requestContext: { authorizer: principal === undefined ? undefined : { lambda: { principal } } } as ApiEvent['requestContext'] });

  it('reads the principal the authorizer put in its context', () => {
    const staff = { kind: 'staff', userId: 'tom', role: 'technician', clientScope: ['client-a'] };
    expect(principalOf(withPrincipal(JSON.stringify(staff)))).toEqual(staff);
    const agent = { kind: 'agent', agentId: 'A1', clientId: 'client-a', host: 'SRV-01' };
    expect(principalOf(withPrincipal(JSON.stringify(agent)))).toEqual(agent);
  });

  it('treats a missing authorizer context as a wiring fault, not a client error', () => {
    expect(() => principalOf(withPrincipal(undefined))).toThrow('route called without an authorizer context');
    expect(() => principalOf(withPrincipal(undefined))).not.toThrow(ValidationError);
  });

  it('refuses a context that is not a principal', () => {
    expect(() => principalOf(withPrincipal(JSON.stringify({ kind: 'staff', userId: 'tom', role: 'root', clientScope: 'all' })))).toThrow();
    expect(() => principalOf(withPrincipal(''))).toThrow();
  });
});

describe('header', () => {
  it('looks a header up by its lower-case name, as API Gateway delivers them', () => {
    const e = event({ headers: { 'if-match': '"3"' } });
    expect(header(e, 'If-Match')).toBe('"3"');
    expect(header(e, 'etag')).toBeUndefined();
    expect(header(event({ headers: undefined as unknown as ApiEvent['headers'] }), 'if-match')).toBeUndefined();
  });
});
