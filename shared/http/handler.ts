import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import { logger } from '../adapters/logger';
import { mapError } from './errors';
import { json, type HttpResult } from './response';
import { assertNoBody, parseJsonBody, parseOptionalJsonBody, parseWith, type ApiEvent } from './request';
import type { RouteBody, RouteInput } from './route-inputs';

/**
 * The chain every route runs: correlation ids into the log, then the route's function, with errors
 * mapped in one place. Handlers stay thin: parse, call a use case, shape the answer.
 */
export function httpHandler(route: (event: ApiEvent, context: Context) => Promise<HttpResult>) {
  return middy<ApiEvent, HttpResult, Error, Context>()
    .before((request) => {
      logger.resetKeys();
      logger.appendKeys({
        requestId: request.event.requestContext?.requestId,
        routeKey: request.event.requestContext?.routeKey,
        awsRequestId: request.context?.awsRequestId,
      });
    })
    .onError((request) => {
      const mapped = mapError(request.error);
      if (mapped.unexpected) logger.error('unexpected error', { error: request.error as Error });
      else logger.info('request refused', { status: mapped.statusCode, error: mapped.body.error });
      request.response = json(mapped.statusCode, mapped.body);
    })
    .handler(route);
}

type Output<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** A route's request, parsed with what `shared/http/route-inputs.ts` declares for it. */
export interface ParsedRequest<I extends RouteInput> {
  path: Output<I['path']>;
  query: Output<I['query']>;
  body: I['body'] extends RouteBody<infer S> ? z.output<S> : undefined;
  event: ApiEvent;
}

/** Where a route declares no path parameters or query string, none is accepted either. */
const NOTHING = z.strictObject({});

function parseBodyOf(event: ApiEvent, body: RouteBody | undefined): unknown {
  if (body === undefined) {
    assertNoBody(event);
    return undefined;
  }
  return body.kind === 'json' ? parseJsonBody(event, body.schema) : parseOptionalJsonBody(event, body.schema);
}

/**
 * A route whose path, query string and body are parsed before its function runs, with the route's declared
 * schemas (strict at every depth) and body type; any problem is a 4xx naming the field.
 */
export function httpRoute<I extends RouteInput>(input: I, route: (request: ParsedRequest<I>, context: Context) => Promise<HttpResult>) {
  return httpHandler(async (event, context) => {
    const request = {
      path: parseWith(input.path ?? NOTHING, event.pathParameters ?? {}, 'path'),
      query: parseWith(input.query ?? NOTHING, event.queryStringParameters ?? {}, 'query'),
      body: parseBodyOf(event, input.body),
      event,
    } as ParsedRequest<I>;
    return route(request, context);
  });
}
