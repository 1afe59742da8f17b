import type { APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import type { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { PrincipalSchema, type Principal } from '../schemas/principal';
import { zodIssuesToDetails } from './errors';

/** What the authorizer hands to every route (simple response `context`). */
export type AuthorizerContext = {
  principal: string;
};

export type ApiEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;

function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const details = zodIssuesToDetails(parsed.error).map((d) => ({ ...d, path: d.path === '(root)' ? where : `${where}.${d.path}` }));
    throw new ValidationError(`invalid ${where}: ${details.map((d) => d.path).join(', ')}`, details);
  }
  return parsed.data;
}

export function parseBody<S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> {
  if (event.body === undefined || event.body === '') {
    throw new ValidationError('a JSON body is required', [{ path: 'body', message: 'missing' }]);
  }
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (cause) {
    throw new ValidationError('the body is not valid JSON', [{ path: 'body', message: (cause as Error).message }], { cause });
  }
  return parseWith(schema, value, 'body');
}

/** For bodies whose every field is optional: no body at all means `{}`. */
export const parseOptionalBody = <S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> =>
  event.body === undefined || event.body === '' ? parseWith(schema, {}, 'body') : parseBody(event, schema);

export const parsePath = <S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> =>
  parseWith(schema, event.pathParameters ?? {}, 'path');

export const parseQuery = <S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> =>
  parseWith(schema, event.queryStringParameters ?? {}, 'query');

/** The principal the authorizer established. Its absence is a wiring fault, not a client error. */
export function principalOf(event: ApiEvent): Principal {
  const raw = event.requestContext.authorizer?.lambda?.principal;
  if (raw === undefined) throw new Error('route called without an authorizer context');
  return PrincipalSchema.parse(JSON.parse(raw));
}

export const header = (event: ApiEvent, name: string): string | undefined => event.headers?.[name.toLowerCase()];
