import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { StaffRole } from '../../shared/schemas/principal';

/** The local issuer of `npm start`: only local mode trusts it (AUTH_MODE=local is never deployed, and refused inside Lambda). */
export const LOCAL_ISSUER = 'http://127.0.0.1/vigie-local-issuer';
/** The app client the local issuer's access tokens name (`client_id`), as Cognito's access tokens do. */
export const LOCAL_CLIENT_ID = 'vigie-local';
const KEY_ID = 'vigie-local-1';

interface StoredKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

export interface LocalIssuer {
  jwks: { keys: JWK[] };
  sign(claims: { userId: string; role: StaffRole; ttlSeconds?: number }): Promise<string>;
}

async function loadOrCreateKey(file: string): Promise<StoredKey> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as StoredKey;
  } catch {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const stored: StoredKey = {
      privateJwk: { ...(await exportJWK(privateKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' },
      publicJwk: { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' },
    };
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(stored), { mode: 0o600 });
    return stored;
  }
}

/** Loads the issuer's RSA key from `file`, creating it on first use so `npm run token` works before `npm start`. */
export async function localIssuer(file: string): Promise<LocalIssuer> {
  const stored = await loadOrCreateKey(file);
  const privateKey = await importJWK(stored.privateJwk, 'RS256');
  return {
    jwks: { keys: [stored.publicJwk] },
    sign: ({ userId, role, ttlSeconds = 12 * 3600 }) =>
      // Shaped like a Cognito access token: no audience, the app client in client_id.
      new SignJWT({ 'cognito:groups': [role], token_use: 'access', client_id: LOCAL_CLIENT_ID, scope: 'aws.cognito.signin.user.admin' })
        .setProtectedHeader({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })
        .setIssuer(LOCAL_ISSUER)
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(privateKey),
  };
}
