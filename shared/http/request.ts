import type { APIGatewayProxyEventV2WithLambdaAuthorizer } from 'aws-lambda';
import type { z } from 'zod';
import { UnsupportedMediaTypeError, ValidationError, type FieldIssue } from '../domain/errors';
import { PrincipalSchema, type Principal, type StaffPrincipal } from '../schemas/principal';
import { textPolicyViolation } from '../schemas/text';
import { describeIssue, issuesToDetails } from './validation';

/** What the authorizer hands to every route (simple response `context`). */
export type AuthorizerContext = {
  principal: string;
};

export type ApiEvent = APIGatewayProxyEventV2WithLambdaAuthorizer<AuthorizerContext>;

/** Every string and object key of a request, at any depth, against the character policy (shared/schemas/text.ts). */
function textPolicyIssues(value: unknown, path: string, issues: FieldIssue[]): FieldIssue[] {
  if (typeof value === 'string') {
    const violation = textPolicyViolation(value);
    if (violation) issues.push({ path, message: violation });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => textPolicyIssues(item, `${path}.${index}`, issues));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      const violation = textPolicyViolation(key);
      if (violation) issues.push({ path, message: `a field name ${violation}` });
      else textPolicyIssues(item, `${path}.${key}`, issues);
    }
  }
  return issues;
}

/** Checks a request part against the character policy, then its schema; problems come back as one ValidationError. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const textIssues = textPolicyIssues(value, where, []);
  if (textIssues.length > 0) {
    throw new ValidationError(`invalid ${where}: ${textIssues.map((d) => d.path).join(', ')}`, textIssues);
  }
  const parsed = schema.safeParse(value, { error: describeIssue });
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error, where);
    throw new ValidationError(`invalid ${where}: ${details.map((d) => d.path).join(', ')}`, details);
  }
  return parsed.data;
}

export const header = (event: ApiEvent, name: string): string | undefined => event.headers?.[name.toLowerCase()];

const hasBody = (event: ApiEvent): boolean => event.body !== undefined && event.body !== '';

/** The body's text: base64-decoded when the gateway encoded it, and refused unless it is well-formed UTF-8. */
function bodyText(event: ApiEvent): string {
  if (!event.isBase64Encoded) return event.body ?? '';
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(event.body ?? '', 'base64'));
  } catch (cause) {
    throw new ValidationError('the body is not valid UTF-8', [{ path: 'body', message: 'must be UTF-8 text' }], { cause });
  }
}

/**
 * JSON bodies only (RFC 8259: JSON exchanged between systems is UTF-8): `application/json`, with no charset or
 * `charset=utf-8`. Anything else is a 415, never a guess: the same bytes read as another type or charset would be
 * stored as something the caller did not send.
 */
function assertJsonContentType(event: ApiEvent): void {
  const contentType = header(event, 'content-type');
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  if (mediaType !== 'application/json') {
    throw new UnsupportedMediaTypeError(`send the body as application/json${contentType ? `, not ${mediaType || contentType}` : ' (no content-type was given)'}`, [
      { path: 'headers.content-type', message: 'must be application/json' },
    ]);
  }
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/^"|"$/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaTypeError(`JSON bodies are UTF-8, not ${charset}`, [{ path: 'headers.content-type', message: 'charset must be utf-8 (or absent)' }]);
  }
}

export function parseJsonBody<S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> {
  if (!hasBody(event)) throw new ValidationError('a JSON body is required', [{ path: 'body', message: 'required' }]);
  assertJsonContentType(event);
  let value: unknown;
  try {
    value = JSON.parse(bodyText(event));
  } catch (cause) {
    if (cause instanceof ValidationError) throw cause;
    throw new ValidationError('the body is not valid JSON', [{ path: 'body', message: (cause as Error).message }], { cause });
  }
  return parseWith(schema, value, 'body');
}

/** For bodies whose every field is optional: no body at all means `{}`. */
export const parseOptionalJsonBody = <S extends z.ZodType>(event: ApiEvent, schema: S): z.infer<S> =>
  hasBody(event) ? parseJsonBody(event, schema) : parseWith(schema, {}, 'body');

/** A route that takes no body refuses one: whatever it held would be silently dropped. */
export function assertNoBody(event: ApiEvent): void {
  if (hasBody(event)) throw new ValidationError('this route takes no body', [{ path: 'body', message: 'must be absent' }]);
}

/** The principal the authorizer established. Its absence is a wiring fault, not a client error. */
export function principalOf(event: ApiEvent): Principal {
  const raw = event.requestContext.authorizer?.lambda?.principal;
  if (raw === undefined) throw new Error('route called without an authorizer context');
  return PrincipalSchema.parse(JSON.parse(raw));
}

/** The principal of a route only staff may call (the route table says so): an agent here is a wiring fault. */
export function staffPrincipalOf(event: ApiEvent): StaffPrincipal {
  const principal = principalOf(event);
  if (principal.kind !== 'staff') throw new Error('a staff-only route was called by an agent');
  return principal;
}
