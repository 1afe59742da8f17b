import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import type { Jwks } from 'aws-jwt-verify/jwk';
import type { RuntimeConfig } from './config';

export interface VerifiedStaffIdentity {
  userId: string;
  groups: string[];
}

/** Verifies a staff member's bearer token; rejects (throws) when it is not valid. */
export interface StaffTokenVerifier {
  verify(token: string): Promise<VerifiedStaffIdentity>;
}

const identityOf = (payload: Record<string, unknown>): VerifiedStaffIdentity => {
  const subject = payload['sub'];
  // Without a subject every such token would share one identity (and its scope record).
  if (typeof subject !== 'string' || subject === '') throw new Error('the token has no subject');
  const groups = payload['cognito:groups'];
  return {
    userId: subject,
    groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [],
  };
};

/**
 * In AWS: Cognito ID or access tokens of the user pool. In local mode: tokens of the local issuer
 * only, whose public keys the local runtime passes in (a token naming another key id makes the library
 * try to fetch the issuer's JWKS over http, which it refuses: the token is rejected).
 */
export function createStaffTokenVerifier(config: RuntimeConfig): StaffTokenVerifier {
  if (config.AUTH_MODE === 'local') {
    const verifier = JwtVerifier.create({ issuer: config.LOCAL_ISSUER!, audience: config.LOCAL_AUDIENCE!, jwksUri: `${config.LOCAL_ISSUER}/jwks.json` });
    verifier.cacheJwks(JSON.parse(config.LOCAL_JWKS!) as Jwks);
    return { verify: async (token) => identityOf(await verifier.verify(token)) };
  }
  const verifier = CognitoJwtVerifier.create({ userPoolId: config.COGNITO_USER_POOL_ID!, clientId: config.COGNITO_CLIENT_ID!, tokenUse: null });
  return { verify: async (token) => identityOf(await verifier.verify(token)) };
}
