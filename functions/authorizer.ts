import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { container } from '../shared/adapters/container';
import { looksLikeAgentKey } from '../shared/adapters/identity';
import { logger } from '../shared/adapters/logger';
import { createStaffTokenVerifier, IdentityProviderUnavailableError } from '../shared/adapters/staff-token-verifier';
import { authenticateAgent } from '../shared/domain/agents/agent-service';
import { authorize } from '../shared/domain/access/authorize';
import { resolveStaffPrincipal } from '../shared/domain/staff/staff-principal';
import type { AuthorizerContext } from '../shared/http/request';
import { findRoute } from '../shared/http/routes';
import type { Principal } from '../shared/schemas/principal';

const deps = container();
const staffTokens = createStaffTokenVerifier(deps.config);

/** API Gateway answers 401 when an authorizer fails with exactly this message. */
const UNAUTHORIZED = 'Unauthorized';

type Authentication =
  | { outcome: 'unknown' }
  /** A valid identity without any Vigie group is known but may do nothing: a 403, not a 401. */
  | { outcome: 'no-role' }
  | { outcome: 'known'; principal: Principal };

async function authenticate(credential: string): Promise<Authentication> {
  if (looksLikeAgentKey(credential)) {
    const agent = await authenticateAgent(deps, credential);
    return agent ? { outcome: 'known', principal: agent } : { outcome: 'unknown' };
  }
  let identity;
  try {
    identity = await staffTokens.verify(credential);
  } catch (error) {
    // Our side failing is not the caller's bad credential: logged as an error, and the gateway answers 500.
    if (error instanceof IdentityProviderUnavailableError) throw error;
    logger.info('staff token rejected', { reason: (error as Error).message });
    return { outcome: 'unknown' };
  }
  const staff = await resolveStaffPrincipal(deps.staff, identity);
  if (staff.outcome === 'revoked') {
    logger.info('staff token revoked', { userId: identity.userId, reason: staff.reason });
    return { outcome: 'unknown' };
  }
  return staff;
}

const deny = (reason: string): APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext> => {
  logger.info('access denied', { reason });
  return { isAuthorized: false, context: { principal: '' } };
};

export const handler = async (event: APIGatewayRequestAuthorizerEventV2): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthorizerContext>> => {
  logger.resetKeys();
  logger.appendKeys({ requestId: event.requestContext.requestId, routeKey: event.routeKey });
  const authorization = event.headers?.['authorization'] ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  if (!match?.[1]) throw new Error(UNAUTHORIZED);

  let authentication: Authentication;
  try {
    authentication = await authenticate(match[1]);
  } catch (error) {
    logger.error('authorizer failed', { error: error as Error });
    throw error;
  }
  if (authentication.outcome === 'unknown') throw new Error(UNAUTHORIZED);
  if (authentication.outcome === 'no-role') return deny('identity without a Vigie group');
  const { principal } = authentication;
  const route = findRoute(event.routeKey);
  if (route === undefined) return deny(`no access rule for ${event.routeKey}`);
  const decision = authorize(principal, route.access, {
    pathParameters: event.pathParameters ?? {},
    queryStringParameters: event.queryStringParameters ?? {},
  });
  if (!decision.allow) return deny(decision.reason);
  return { isAuthorized: true, context: { principal: JSON.stringify(principal) } };
};
