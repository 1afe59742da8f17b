import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, localIssuer, type LocalIssuer } from '../../../infra/local/issuer';
import { parseRuntimeConfig } from '../../../shared/adapters/config';
import { createStaffTokenVerifier, type StaffTokenVerifier } from '../../../shared/adapters/staff-token-verifier';

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
    parseRuntimeConfig({
      TABLE_NAME: 'vigie',
      AUTH_MODE: 'local',
      LOCAL_JWKS: JSON.stringify(issuer.jwks),
      LOCAL_ISSUER,
      LOCAL_AUDIENCE,
    }),
  );
});
afterAll(async () => rm(home, { recursive: true, force: true }));

interface Claims {
  iss?: string;
  aud?: string;
  sub?: string;
  groups?: unknown;
  expiresAt?: number;
  notBefore?: number;
  alg?: string;
}

/** Signs like the local issuer, letting a test change one claim at a time. */
async function sign(claims: Claims = {}, key: JWK = privateJwk): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { token_use: 'id' };
  if (claims.groups !== undefined) payload['cognito:groups'] = claims.groups;
  const jwt = new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', kid: 'vigie-local-1', typ: 'JWT' })
    .setIssuer(claims.iss ?? LOCAL_ISSUER)
    .setAudience(claims.aud ?? LOCAL_AUDIENCE)
    .setIssuedAt(now - 10)
    .setExpirationTime(claims.expiresAt ?? now + 600);
  if (claims.sub !== '') jwt.setSubject(claims.sub ?? 'tom');
  if (claims.notBefore !== undefined) jwt.setNotBefore(claims.notBefore);
  return jwt.sign(await importJWK(key, 'RS256'));
}

describe('createStaffTokenVerifier (local mode)', () => {
  it('accepts a token of the local issuer and reads the user and groups', async () => {
    const token = await issuer.sign({ userId: 'local-technician', role: 'technician' });
    expect(await verifier.verify(token)).toEqual({ userId: 'local-technician', groups: ['technician'] });
  });

  it('gives no groups when the claim is absent, and keeps only string groups', async () => {
    expect(await verifier.verify(await sign())).toEqual({ userId: 'tom', groups: [] });
    expect(await verifier.verify(await sign({ groups: ['admin', 7, null, 'x'] }))).toEqual({ userId: 'tom', groups: ['admin', 'x'] });
    expect(await verifier.verify(await sign({ groups: 'admin' }))).toEqual({ userId: 'tom', groups: [] });
  });

  it('rejects a token for another audience', async () => {
    await expect(verifier.verify(await sign({ aud: 'someone-else', groups: ['admin'] }))).rejects.toThrow(/audience/i);
  });

  it('rejects a token of another issuer', async () => {
    await expect(verifier.verify(await sign({ iss: 'https://evil.example/issuer', groups: ['admin'] }))).rejects.toThrow(/issuer/i);
  });

  it('rejects an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verifier.verify(await sign({ expiresAt: now - 60, groups: ['admin'] }))).rejects.toThrow(/expired/i);
  });

  it('rejects a token that is not yet valid', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expect(verifier.verify(await sign({ notBefore: now + 3600, groups: ['admin'] }))).rejects.toThrow();
  });

  it('rejects a token signed by another key under the same key id', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const forged = await sign({ groups: ['admin'] }, { ...(await exportJWK(privateKey)), kid: 'vigie-local-1', alg: 'RS256' });
    await expect(verifier.verify(forged)).rejects.toThrow(/signature/i);
  });

  it('rejects a token naming a key id the issuer does not have', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ 'cognito:groups': ['admin'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'another-key', typ: 'JWT' })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject('tom')
      .setExpirationTime(now + 600)
      .sign(await importJWK(privateJwk, 'RS256'));
    await expect(verifier.verify(token)).rejects.toThrow();
  });

  it('rejects a token whose payload was edited after signing', async () => {
    const [head, , signature] = (await sign({ groups: ['technician'] })).split('.');
    const payload = Buffer.from(JSON.stringify({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub: 'tom', 'cognito:groups': ['admin'], exp: 9_999_999_999 })).toString('base64url');
    await expect(verifier.verify(`${head}.${payload}.${signature}`)).rejects.toThrow();
  });

  it('rejects an unsigned token', async () => {
    const head = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT', kid: 'vigie-local-1' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub: 'tom', 'cognito:groups': ['admin'], exp: 9_999_999_999 })).toString('base64url');
    await expect(verifier.verify(`${head}.${payload}.`)).rejects.toThrow();
  });

  it('rejects what is not a JWT at all', async () => {
    await expect(verifier.verify('not-a-token')).rejects.toThrow();
  });

  it('rejects a token without a subject rather than naming its user "undefined"', async () => {
    // Without `sub`, identityOf reads String(undefined): every such token would share the user id "undefined".
    await expect(verifier.verify(await sign({ sub: '', groups: ['technician'] }))).rejects.toThrow();
  });
});
