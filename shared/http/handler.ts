import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../adapters/logger';
import { mapError } from './errors';
import { json, type HttpResult } from './response';
import type { ApiEvent } from './request';

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
