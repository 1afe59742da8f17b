import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/adapters/logger';

// The user pool's keys cannot be fetched: every staff token fails to verify for a reason that is ours, not the caller's.
vi.mock('../../shared/adapters/staff-token-verifier', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../shared/adapters/staff-token-verifier')>();
  return {
    ...original,
    createStaffTokenVerifier: () => ({
      verify: () => Promise.reject(new original.IdentityProviderUnavailableError('the identity provider\'s keys could not be read: connect ETIMEDOUT')),
    }),
  };
});

let handler: typeof import('../../functions/authorizer').handler;

beforeAll(async () => {
  vi.stubEnv('TABLE_NAME', 'vigie-authorizer-test');
  vi.stubEnv('COGNITO_USER_POOL_ID', 'eu-west-1_Vigie0000');
  vi.stubEnv('COGNITO_CLIENT_ID', 'client123');
  ({ handler } = await import('../../functions/authorizer'));
});
afterAll(() => vi.unstubAllEnvs());

describe('authorizer: the identity provider is unreachable', () => {
  it('fails as a server error (the gateway answers 500), logged as an error, never as a 401 for the caller', async () => {
    const errorLog = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const event = {
      routeKey: 'POST /v1/contracts',
      headers: { authorization: 'Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln' },
      requestContext: { requestId: 'req-1' },
    } as unknown as APIGatewayRequestAuthorizerEventV2;
    const failure = await handler(event).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).not.toBe('Unauthorized');
    expect(errorLog).toHaveBeenCalledWith('authorizer failed', expect.objectContaining({ error: failure }));
  });
});
