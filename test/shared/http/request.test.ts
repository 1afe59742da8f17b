import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UnsupportedMediaTypeError, ValidationError } from '../../../shared/domain/errors';
import { assertNoBody, header, parseJsonBody, parseOptionalJsonBody, parseWith, principalOf, type ApiEvent } from '../../../shared/http/request';
import { PageQuerySchema } from '../../../shared/schemas/common';

const JSON_TYPE = { 'content-type': 'application/json' };

const event = (overrides: Partial<ApiEvent> = {}): ApiEvent =>
  ({
    version: '2.0',
    routeKey: 'POST /v1/things',
    rawPath: '/v1/things',
    rawQueryString: '',
    headers: JSON_TYPE,
    isBase64Encoded: false,
    requestContext: { requestId: 'req-1', routeKey: 'POST /v1/things', authorizer: { lambda: { principal: '' } } },
    ...overrides,
  }) as unknown as ApiEvent;

const Body = z.strictObject({ name: z.string().min(1), count: z.number().int() });

function errorOf<E extends Error>(type: new (...args: never[]) => E, run: () => unknown): E {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error(`expected a ${type.name}`);
}
const validationErrorOf = (run: () => unknown) => errorOf(ValidationError, run);

describe('parseJsonBody', () => {
  it('parses a JSON body with the schema', () => {
    expect(parseJsonBody(event({ body: '{"name":"a","count":2}' }), Body)).toEqual({ name: 'a', count: 2 });
  });

  it('decodes a base64 body first', () => {
    const body = Buffer.from('{"name":"é","count":1}', 'utf8').toString('base64');
    expect(parseJsonBody(event({ body, isBase64Encoded: true }), Body)).toEqual({ name: 'é', count: 1 });
  });

  it.each([undefined, ''])('requires a body (%j)', (body) => {
    const error = validationErrorOf(() => parseJsonBody(event({ body }), Body));
    expect(error.details).toEqual([{ path: 'body', message: 'required' }]);
  });

  it('refuses a body that is not JSON, keeping the parser error as cause', () => {
    const error = validationErrorOf(() => parseJsonBody(event({ body: '{"name":' }), Body));
    expect(error.message).toBe('the body is not valid JSON');
    expect(error.details[0]?.path).toBe('body');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('names each bad field under body., and unknown keys by their own path', () => {
    const error = validationErrorOf(() => parseJsonBody(event({ body: '{"name":"","count":1.5,"extra":true}' }), Body));
    expect(error.details).toEqual([
      { path: 'body.name', message: 'must not be empty' },
      { path: 'body.count', message: 'must be a whole number' },
      { path: 'body.extra', message: 'unknown field' },
    ]);
    expect(error.message).toMatch(/^invalid body: /);
  });

  it('names a body of the wrong type "body"', () => {
    const error = validationErrorOf(() => parseJsonBody(event({ body: 'null' }), Body));
    expect(error.details).toEqual([{ path: 'body', message: 'must be an object' }]);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['application/octet-stream', 'application/octet-stream'],
    ['form-encoded', 'application/x-www-form-urlencoded'],
    ['a JSON-like type', 'application/merge-patch+json'],
  ])('refuses a JSON body sent as %s with 415', (_name, contentType) => {
    const error = errorOf(UnsupportedMediaTypeError, () => parseJsonBody(event({ headers: { 'content-type': contentType }, body: '{"name":"a","count":2}' }), Body));
    expect(error.details).toEqual([{ path: 'headers.content-type', message: 'must be application/json' }]);
  });

  it('refuses a body without a content type with 415', () => {
    errorOf(UnsupportedMediaTypeError, () => parseJsonBody(event({ headers: {}, body: '{"name":"a","count":2}' }), Body));
  });

  it('takes charset utf-8 in any spelling, and refuses any other charset with 415', () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"', 'application/json;charset=utf8']) {
      expect(parseJsonBody(event({ headers: { 'content-type': type }, body: '{"name":"a","count":2}' }), Body)).toEqual({ name: 'a', count: 2 });
    }
    const latin1 = Buffer.from('{"name":"Té","count":2}', 'latin1').toString('base64');
    const error = errorOf(UnsupportedMediaTypeError, () =>
      parseJsonBody(event({ headers: { 'content-type': 'application/json; charset=iso-8859-1' }, body: latin1, isBase64Encoded: true }), Body),
    );
    expect(error.message).toBe('JSON bodies are UTF-8, not iso-8859-1');
  });

  it('refuses bytes that are not UTF-8, whichever way the gateway passed them', () => {
    const latin1 = Buffer.from('{"name":"Té","count":2}', 'latin1');
    const encoded = validationErrorOf(() => parseJsonBody(event({ body: latin1.toString('base64'), isBase64Encoded: true }), Body));
    expect(encoded.details).toEqual([{ path: 'body', message: 'must be UTF-8 text' }]);
    // Decoded by the gateway: the bad byte arrives as U+FFFD, which the character policy refuses.
    const decoded = validationErrorOf(() => parseJsonBody(event({ body: latin1.toString('utf8') }), Body));
    expect(decoded.details[0]).toEqual({ path: 'body.name', message: expect.stringContaining('U+FFFD') });
  });
});

describe('the character policy', () => {
  const Free = z.record(z.string(), z.unknown());

  it.each([
    ['a NUL', 'Té\u0000st', 'a control character U+0000'],
    ['a carriage return', 'a\rb', 'a control character U+000D'],
    ['DEL', 'a\u007fb', 'a control character U+007F'],
    ['a C1 control', 'a\u0085b', 'a control character U+0085'],
    ['a right-to-left override', 'invoice\u202Etxt.exe', 'a bidirectional control U+202E'],
    ['a bidi isolate', 'a\u2066b', 'a bidirectional control U+2066'],
    ['a lone surrogate', 'a\ud800b', 'a lone surrogate U+D800'],
  ])('refuses %s at any depth, naming the field', (_name, text, what) => {
    const error = validationErrorOf(() => parseWith(Free, { a: [{ b: text }] }, 'body'));
    expect(error.details).toEqual([{ path: 'body.a.0.b', message: expect.stringContaining(what) }]);
  });

  it('refuses a control character in a field name', () => {
    const error = validationErrorOf(() => parseWith(Free, { 'x\u0000': 1 }, 'body'));
    expect(error.details).toEqual([{ path: 'body', message: expect.stringContaining('a field name contains a control character U+0000') }]);
  });

  it('accepts tabs, line feeds and ordinary Unicode (accents, emoji, right-to-left letters)', () => {
    expect(parseWith(Free, { a: 'ligne 1\nligne\t2 — Ça va ? 🎉 שלום' }, 'body')).toEqual({ a: 'ligne 1\nligne\t2 — Ça va ? 🎉 שלום' });
  });

  it('applies to path parameters and query strings too', () => {
    expect(validationErrorOf(() => parseWith(z.strictObject({ userId: z.string() }), { userId: '\u0000' }, 'path')).details[0]?.path).toBe('path.userId');
    expect(validationErrorOf(() => parseWith(PageQuerySchema, { nextToken: 'a\u202eb' }, 'query')).details[0]?.path).toBe('query.nextToken');
  });
});

describe('parseOptionalJsonBody and assertNoBody', () => {
  it('reads no body as {}, and a given body like a required one', () => {
    const Optional = z.strictObject({ at: z.string().optional() });
    expect(parseOptionalJsonBody(event({ body: undefined }), Optional)).toEqual({});
    expect(parseOptionalJsonBody(event({ body: '{"at":"x"}' }), Optional)).toEqual({ at: 'x' });
    errorOf(UnsupportedMediaTypeError, () => parseOptionalJsonBody(event({ headers: { 'content-type': 'text/plain' }, body: '{}' }), Optional));
  });

  it('refuses any body on a route that takes none', () => {
    expect(() => assertNoBody(event({ body: undefined }))).not.toThrow();
    expect(validationErrorOf(() => assertNoBody(event({ body: 'x' }))).details).toEqual([{ path: 'body', message: 'must be absent' }]);
  });
});

describe('parseWith on path and query', () => {
  it('applies query defaults and coercion, and names a bad parameter under query.', () => {
    expect(parseWith(PageQuerySchema, {}, 'query')).toEqual({ limit: 25 });
    expect(parseWith(PageQuerySchema, { limit: '100', nextToken: 'abc' }, 'query')).toEqual({ limit: 100, nextToken: 'abc' });
    expect(validationErrorOf(() => parseWith(PageQuerySchema, { limit: '101' }, 'query')).details).toEqual([{ path: 'query.limit', message: 'must be at most 100' }]);
  });
});

describe('principalOf', () => {
  const withPrincipal = (principal: string | undefined) =>
    event({ requestContext: { authorizer: principal === undefined ? undefined : { lambda: { principal } } } as ApiEvent['requestContext'] });

  it('reads the principal the authorizer put in its context', () => {
    const staff = { kind: 'staff', userId: 'tom', role: 'technician', clientScope: ['client-a'] };
    expect(principalOf(withPrincipal(JSON.stringify(staff)))).toEqual(staff);
    const agent = { kind: 'agent', agentId: 'A1', clientId: 'client-a', host: 'srv-01' };
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
