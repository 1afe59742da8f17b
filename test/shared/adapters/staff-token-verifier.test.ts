import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLIENT_ID, LOCAL_ISSUER, localIssuer, type LocalIssuer } from '../../../infra/local/issuer';
import { parseRuntimeConfig } from '../../../shared/adapters/config';
import { createStaffTokenVerifier, IdentityProviderUnavailableError, type StaffTokenVerifier } from '../../../shared/adapters/staff-token-verifier';

let home: string;
let issuer: LocalIssuer;
let privateJwk: JWK;
let verifier: StaffTokenVerifier;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'vigie-verifier-'));
  const keyFile = join(home, 'issuer', 'signing-key.json');
  issuer = await localIssuer(keyFile);
  privateJwk = (JSON.parse(await readFile(keyFile, 'utf8')) as { privateJwk: JWK }).privateJwk;
  verifier = createStaffTokenVerifier(
    parseRuntimeConfig({ TABLE_NAME: 'vigie', AUTH_MODE: 'local', LOCAL_JWKS: JSON.stringify(issuer.jwks), LOCAL_ISSUER, LOCAL_CLIENT_ID }),
  );
});
afterAll(async () => rm(home, { recursive: true, force: true }));

interface Claims {
  iss?: string;
  aud?: string;
  sub?: string;
  groups?: unknown;
  tokenUse?: string;
  clientId?: string;
  expiresAt?: number | null;
  issuedAt?: number | null;
  notBefore?: number;
  kid?: string;
}

const NOW = () => Math.floor(Date.now() / 1000);

/** Signs like the local issuer (a Cognito-shaped access token), letting a test change one claim at a time. */
async function sign(claims: Claims = {}, key: JWK = privateJwk): Promise<string> {
  const payload: Record<string, unknown> = { token_use: claims.tokenUse ?? 'access', client_id: claims.clientId ?? LOCAL_CLIENT_ID };
  if (claims.groups !== undefined) payload['cognito:groups'] = claims.groups;
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: claims.kid ?? 'vigie-local-1', typ: 'JWT' }).setIssuer(claims.iss ?? LOCAL_ISSUER);
  if (claims.aud !== undefined) jwt.setAudience(claims.aud);
  if (claims.issuedAt !== null) jwt.setIssuedAt(claims.issuedAt ?? NOW() - 10);
  if (claims.expiresAt !== null) jwt.setExpirationTime(claims.expiresAt ?? NOW() + 600);
  if (claims.sub !== '') jwt.setSubject(claims.sub ?? 'tom');
  if (claims.notBefore !== undefined) jwt.setNotBefore(claims.notBefore);
  return jwt.sign(await importJWK(key, 'RS256'));
}

describe('createStaffTokenVerifier (local mode)', () => {
  it('accepts an access token of the local issuer and reads the user, groups and issue time', async () => {
    const token = await issuer.sign({ userId: 'local-technician', role: 'technician' });
    const identity = await verifier.verify(token);
    expect(identity).toMatchObject({ userId: 'local-technician', groups: ['technician'] });
    expect(Math.abs(identity.issuedAt.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('gives no groups when the claim is absent, and keeps only string groups', async () => {
    expect(await verifier.verify(await sign())).toMatchObject({ userId: 'tom', groups: [] });
    expect(await verifier.verify(await sign({ groups: ['admin', 7, null, 'x'] }))).toMatchObject({ groups: ['admin', 'x'] });
    expect(await verifier.verify(await sign({ groups: 'admin' }))).toMatchObject({ groups: [] });
  });

  it('rejects an ID token: only access tokens call the API', async () => {
    await expect(verifier.verify(await sign({ tokenUse: 'id', aud: LOCAL_CLIENT_ID, groups: ['admin'] }))).rejects.toThrow(/access token/);
  });

  it('rejects an access token of another app client', async () => {
    await expect(verifier.verify(await sign({ clientId: 'someone-else', groups: ['admin'] }))).rejects.toThrow(/another client/);
  });

  it('rejects a token of another issuer', async () => {
    await expect(verifier.verify(await sign({ iss: 'https://evil.example/issuer', groups: ['admin'] }))).rejects.toThrow(/issuer/i);
  });

  it('rejects an expired token, and a token that never expires', async () => {
    await expect(verifier.verify(await sign({ expiresAt: NOW() - 60, groups: ['admin'] }))).rejects.toThrow(/expired/i);
    await expect(verifier.verify(await sign({ expiresAt: null, groups: ['admin'] }))).rejects.toThrow(/no expiry/);
  });

  it('rejects a token without an issue time (a sign-out could not cut it off)', async () => {
    await expect(verifier.verify(await sign({ issuedAt: null, groups: ['admin'] }))).rejects.toThrow(/issue time/);
  });

  it('rejects a token that is not yet valid', async () => {
    await expect(verifier.verify(await sign({ notBefore: NOW() + 3600, groups: ['admin'] }))).rejects.toThrow();
  });

  it('rejects a token signed by another key under the same key id', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const forged = await sign({ groups: ['admin'] }, { ...(await exportJWK(privateKey)), kid: 'vigie-local-1', alg: 'RS256' });
    await expect(verifier.verify(forged)).rejects.toThrow(/signature/i);
  });

  it('rejects a token naming a key id the issuer does not have, as a bad token (nothing to fetch locally)', async () => {
    const error = await verifier.verify(await sign({ kid: 'another-key', groups: ['admin'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(IdentityProviderUnavailableError);
  });

  it('rejects a token whose payload was edited after signing', async () => {
    const [head, , signature] = (await sign({ groups: ['technician'] })).split('.');
    const payload = Buffer.from(
      JSON.stringify({ iss: LOCAL_ISSUER, token_use: 'access', client_id: LOCAL_CLIENT_ID, sub: 'tom', 'cognito:groups': ['admin'], iat: NOW(), exp: 9_999_999_999 }),
    ).toString('base64url');
    await expect(verifier.verify(`${head}.${payload}.${signature}`)).rejects.toThrow();
  });

  it('rejects an unsigned token', async () => {
    const head = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'vigie-local-1' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ iss: LOCAL_ISSUER, token_use: 'access', client_id: LOCAL_CLIENT_ID, sub: 'tom', 'cognito:groups': ['admin'], iat: NOW(), exp: 9_999_999_999 }),
    ).toString('base64url');
    await expect(verifier.verify(`${head}.${payload}.`)).rejects.toThrow();
  });

  it('rejects what is not a JWT at all', async () => {
    await expect(verifier.verify('not-a-token')).rejects.toThrow();
  });

  it('rejects a token without a subject, or with one that is not a user id', async () => {
    await expect(verifier.verify(await sign({ sub: '', groups: ['technician'] }))).rejects.toThrow(/subject/);
    await expect(verifier.verify(await sign({ sub: 'a/b', groups: ['technician'] }))).rejects.toThrow(/subject/);
  });
});

describe('createStaffTokenVerifier (Cognito)', () => {
  it("tells a failure to read the user pool's keys apart from a bad token", async () => {
    // No user pool answers here (no network, or no such pool): the JWKS cannot be fetched.
    const cognito = createStaffTokenVerifier(
      parseRuntimeConfig({ TABLE_NAME: 'vigie', AUTH_MODE: 'cognito', COGNITO_USER_POOL_ID: 'eu-west-1_Vigie0000', COGNITO_CLIENT_ID: 'client123' }),
    );
    const token = await sign({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Vigie0000', clientId: 'client123', groups: ['admin'] });
    await expect(cognito.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
  });
});
