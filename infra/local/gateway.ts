import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  Context,
} from 'aws-lambda';
import { ROUTES, routeKey, type RouteDefinition } from '../../shared/http/routes';
import { lambdaContext } from './lambda-context';

/**
 * A stand-in for API Gateway HTTP API (payload 2.0): it matches the route, runs the Lambda authorizer
 * with API Gateway's answers (401/403 with the gateway's own bodies), turns the request into the same
 * event Lambda receives and calls the same handler code.
 */
type RouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2 | string | object>;
type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEventV2) => Promise<APIGatewaySimpleAuthorizerWithContextResult<Record<string, unknown>>>;

export interface GatewayOptions {
  host?: string;
  port: number;
  /** Loads the handler module of a route (`functions/<name>.ts`). */
  loadHandler(name: string): Promise<RouteHandler>;
  loadAuthorizer(): Promise<AuthorizerHandler>;
  /** Local-only routes answered before API routing, such as `GET /health`. */
  localRoutes?: Record<string, (request: IncomingMessage) => { statusCode: number; body: unknown }>;
  log?: (line: string) => void;
}

export interface Gateway {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/** API Gateway's payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  parameters: string[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const parameters: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameters.push(param[1]);
      return '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}$`), parameters };
}

// Literal segments win over parameters, as in API Gateway.
const COMPILED = ROUTES.map(compile).sort((a, b) => a.parameters.length - b.parameters.length);

const gatewayError = (statusCode: number, message: string) => ({ statusCode, body: { message } });

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

const isTextual = (contentType: string | undefined) =>
  contentType === undefined || /^(text\/|application\/(json|xml|x-www-form-urlencoded|[\w.+-]+\+json))/i.test(contentType);

function headersOf(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function queryOf(search: URLSearchParams): Record<string, string> | undefined {
  const query: Record<string, string> = {};
  for (const key of new Set(search.keys())) query[key] = search.getAll(key).join(',');
  return Object.keys(query).length > 0 ? query : undefined;
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const host = options.host ?? '127.0.0.1';
  const authorizer = await options.loadAuthorizer();
  const handlers = new Map<string, Promise<RouteHandler>>();
  const handlerFor = (name: string) => {
    if (!handlers.has(name)) handlers.set(name, options.loadHandler(name));
    return handlers.get(name)!;
  };

  const send = (response: ServerResponse, statusCode: number, headers: Record<string, string>, body: Buffer | string) => {
    response.writeHead(statusCode, { ...headers, 'apigw-requestid': randomUUID() });
    response.end(body);
  };
  const sendJson = (response: ServerResponse, result: { statusCode: number; body: unknown }) =>
    send(response, result.statusCode, { 'content-type': 'application/json' }, JSON.stringify(result.body));

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? host}`);
    const method = (request.method ?? 'GET').toUpperCase();
    const local = options.localRoutes?.[`${method} ${url.pathname}`];
    if (local) return sendJson(response, local(request));

    const matched = COMPILED.map((c) => ({ c, m: c.pattern.exec(url.pathname) })).filter((x) => x.m && x.c.route.method === method)[0];
    if (!matched?.m) return sendJson(response, gatewayError(404, 'Not Found'));
    const { route, parameters } = matched.c;
    let pathParameters: Record<string, string>;
    try {
      pathParameters = Object.fromEntries(parameters.map((name, i) => [name, decodeURIComponent(matched.m![i + 1]!)]));
    } catch {
      return sendJson(response, gatewayError(400, 'Bad Request'));
    }

    const body = await readBody(request);
    if (body === 'too-large') return sendJson(response, gatewayError(413, 'Request Entity Too Large'));
    const headers = headersOf(request);
    const now = new Date();
    const key = routeKey(route);
    const requestContext = {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: { method, path: url.pathname, protocol: `HTTP/${request.httpVersion}`, sourceIp: request.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    };
    const common = {
      version: '2.0' as const,
      routeKey: key,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      ...(request.headers.cookie ? { cookies: request.headers.cookie.split(/;\s*/) } : {}),
      headers,
      queryStringParameters: queryOf(url.searchParams),
      pathParameters: Object.keys(pathParameters).length > 0 ? pathParameters : undefined,
      stageVariables: undefined,
    };

    // Identity source $request.header.Authorization: without it API Gateway answers 401 by itself.
    if (!headers['authorization']) return sendJson(response, gatewayError(401, 'Unauthorized'));
    let decision: Awaited<ReturnType<AuthorizerHandler>>;
    try {
      decision = await authorizer({
        ...common,
        type: 'REQUEST',
        routeArn: `arn:aws:execute-api:eu-west-1:000000000000:local/$default/${method}${route.path}`,
        identitySource: [headers['authorization']],
        requestContext,
      } as APIGatewayRequestAuthorizerEventV2);
    } catch (error) {
      if ((error as Error).message === 'Unauthorized') return sendJson(response, gatewayError(401, 'Unauthorized'));
      options.log?.(`authorizer failed: ${(error as Error).stack ?? String(error)}`);
      return sendJson(response, gatewayError(500, 'Internal Server Error'));
    }
    if (!decision.isAuthorized) return sendJson(response, gatewayError(403, 'Forbidden'));

    const textual = isTextual(headers['content-type']);
    const event = {
      ...common,
      requestContext: { ...requestContext, authorizer: { lambda: decision.context ?? {} } },
      body: body.length > 0 ? (textual ? body.toString('utf8') : body.toString('base64')) : undefined,
      isBase64Encoded: body.length > 0 && !textual,
    } as APIGatewayProxyEventV2;

    let result: Awaited<ReturnType<RouteHandler>>;
    try {
      const routeHandler = await handlerFor(route.handler);
      result = await routeHandler(event, lambdaContext(`vigie-${route.handler}`));
    } catch (error) {
      options.log?.(`${key} failed: ${(error as Error).stack ?? String(error)}`);
      return sendJson(response, gatewayError(500, 'Internal Server Error'));
    }
    // Payload 2.0: a result without statusCode is a 200 JSON body.
    if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
      return send(response, 200, { 'content-type': 'application/json' }, JSON.stringify(result));
    }
    const structured = result as APIGatewayProxyStructuredResultV2;
    const responseHeaders = Object.fromEntries(Object.entries(structured.headers ?? {}).map(([k, v]) => [k, String(v)]));
    const payload = structured.body === undefined ? '' : structured.isBase64Encoded ? Buffer.from(structured.body, 'base64') : structured.body;
    send(response, structured.statusCode ?? 200, responseHeaders, payload);
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log?.(`gateway failure: ${(error as Error).stack ?? String(error)}`);
      if (!response.headersSent) sendJson(response, gatewayError(500, 'Internal Server Error'));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
