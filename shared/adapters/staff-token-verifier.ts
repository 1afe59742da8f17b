import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwkValidationError, JwksValidationError } from 'aws-jwt-verify/error';
import type { Jwks } from 'aws-jwt-verify/jwk';
import { USER_ID_PATTERN } from '../schemas/common';
import type { StaffIdentity } from '../domain/staff/staff-principal';
import type { RuntimeConfig } from './config';

/** Verifies a staff member's bearer token; rejects (throws) when it is not valid. */
export interface StaffTokenVerifier {
  verify(token: string): Promise<StaffIdentity>;
}

/**
 * The identity provider could not be asked (its JWKS could not be fetched or made no sense): not the caller's fault,
 * so not a 401. The authorizer logs it as an error and fails, which API Gateway answers with a 500.
 */
export class IdentityProviderUnavailableError extends Error {
  override readonly name = 'IdentityProviderUnavailableError';
}

/** The claims Vigie relies on, checked the same way in AWS and in local mode. */
function identityOf(payload: Record<string, unknown>): StaffIdentity {
  const subject = payload['sub'];
  // Without a subject every such token would share one identity (and its scope record).
  if (typeof subject !== 'string' || !USER_ID_PATTERN.test(subject)) throw new Error('the token has no valid subject');
  // Tokens that never expire cannot be allowed: a leaked one would work forever.
  if (typeof payload['exp'] !== 'number') throw new Error('the token has no expiry');
  const issuedAt = payload['iat'];
  if (typeof issuedAt !== 'number' || !Number.isFinite(issuedAt)) throw new Error('the token has no issue time');
  const groups = payload['cognito:groups'];
  return {
    userId: subject,
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
    issuedAt: new Date(issuedAt * 1000),
  };
}

/** Keeps the identity provider's failures apart from bad tokens. */
async function verifying(verify: () => Promise<Record<string, unknown>>): Promise<StaffIdentity> {
  let payload: Record<string, unknown>;
  try {
    payload = await verify();
  } catch (error) {
    if (error instanceof FetchError || error instanceof JwksValidationError || error instanceof JwkValidationError) {
      throw new IdentityProviderUnavailableError(`the identity provider's keys could not be read: ${(error as Error).message}`, { cause: error });
    }
    throw error;
  }
  return identityOf(payload);
}

/**
 * Access tokens only (an ID token proves who someone is to the app that signed them in, not what they may call): in
 * AWS, Cognito access tokens of the user pool and app client; in local mode, access tokens of the local issuer,
 * whose public keys the local runtime passes in. A token naming a key the local JWKS lacks is refused before any
 * fetch is tried (local mode has nothing to fetch from).
 */
export function createStaffTokenVerifier(config: RuntimeConfig): StaffTokenVerifier {
  if (config.AUTH_MODE === 'local') {
    const jwks = JSON.parse(config.LOCAL_JWKS!) as Jwks;
    const knownKeys = new Set(jwks.keys.map((key) => key.kid));
    const verifier = JwtVerifier.create({
      issuer: config.LOCAL_ISSUER!,
      audience: null,
      jwksUri: `${config.LOCAL_ISSUER}/jwks.json`,
      customJwtCheck: ({ payload }) => {
        if (payload['token_use'] !== 'access') throw new Error('not an access token');
        if (payload['client_id'] !== config.LOCAL_CLIENT_ID) throw new Error('an access token of another client');
      },
    });
    verifier.cacheJwks(jwks);
    return {
      verify: (token) => {
        const kid = headerKeyId(token);
        if (!knownKeys.has(kid)) return Promise.reject(new Error(`the token names key ${String(kid)}, which the local issuer does not have`));
        return verifying(() => verifier.verify(token) as Promise<Record<string, unknown>>);
      },
    };
  }
  const verifier = CognitoJwtVerifier.create({ userPoolId: config.COGNITO_USER_POOL_ID!, clientId: config.COGNITO_CLIENT_ID!, tokenUse: 'access' });
  return { verify: (token) => verifying(() => verifier.verify(token) as Promise<Record<string, unknown>>) };
}

function headerKeyId(token: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: unknown };
    return typeof header.kid === 'string' ? header.kid : undefined;
  } catch {
    return undefined;
  }
}
