import { randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { chmod, open as openFile, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { KEY_BYTES, NONCE_BYTES, TAG_BYTES, open, seal, sha256Hex } from './crypto';
import { CorruptDataError, InvalidArgumentError, UnsupportedFormatError, WrongPassphraseError } from './errors';
import { deriveKeys } from './keys';

/**
 * Key files (docs/repository-format.md §keys).
 *
 * - The local key file (JSON, mode 0600) holds the master key in clear on the client's server; without it nothing
 *   can be read.
 * - A wrapped key (JSON, stored as `keys/{clientId}/{keyId}`, keyId = SHA-256 of its bytes) holds the master key
 *   sealed with AES-256-GCM under a key-encryption key derived from the recovery passphrase by scrypt, so that a
 *   replacement server can restore. The provider stores it but cannot open it without the passphrase.
 */

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** ~0.5–0.7 s and 128 MiB on the 2-core reference machine (bench/engine/keys.bench.ts): N = 2^17, r = 8, p = 1. */
export const DEFAULT_SCRYPT: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
/** What a reader accepts: a key file must not make a restore allocate gigabytes or run for minutes. */
const MAX_SCRYPT_MEMORY = 1024 * 1024 * 1024;
const WRAP_AAD = Buffer.from('vigie/v1/wrapped-key', 'utf8');
const SALT_BYTES = 32;

const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const Fingerprint = z.string().regex(/^[0-9a-f]{32}$/);

export const WrappedKeySchema = z.strictObject({
  format: z.literal('vigie-wrapped-key'),
  version: z.literal(1),
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    N: z.int().min(2 ** 10).max(2 ** 22),
    r: z.int().min(1).max(32),
    p: z.int().min(1).max(16),
    salt: Base64,
  }),
  cipher: z.literal('aes-256-gcm'),
  nonce: Base64,
  /** The sealed master key: ciphertext ‖ tag (48 bytes). */
  ciphertext: Base64,
  keyFingerprint: Fingerprint,
  createdAt: z.iso.datetime({ offset: true }),
  host: z.string().max(255),
  label: z.string().max(200),
});
export type WrappedKey = z.infer<typeof WrappedKeySchema>;

export const LocalKeyFileSchema = z.strictObject({
  format: z.literal('vigie-local-key'),
  version: z.literal(1),
  clientId: z.string().min(1).max(63),
  host: z.string().max(255),
  createdAt: z.iso.datetime({ offset: true }),
  keyFingerprint: Fingerprint,
  /** The master key, base64 (32 bytes). */
  masterKey: Base64,
});
export type LocalKeyFile = z.infer<typeof LocalKeyFileSchema>;

function scryptMemory(cost: ScryptCost): number {
  return 128 * cost.N * cost.r * cost.p + 128 * cost.r * cost.p;
}

function checkCost(cost: ScryptCost): void {
  const powerOfTwo = Number.isInteger(cost.N) && cost.N > 1 && (cost.N & (cost.N - 1)) === 0;
  if (!powerOfTwo || scryptMemory(cost) > MAX_SCRYPT_MEMORY) {
    throw new InvalidArgumentError(`scrypt cost N=${cost.N} r=${cost.r} p=${cost.p} is outside what readers accept`);
  }
}

function passphraseBytes(passphrase: string): Buffer {
  if (passphrase.length === 0) throw new InvalidArgumentError('the passphrase is empty');
  // NFC: the same passphrase typed on two systems gives the same bytes.
  return Buffer.from(passphrase.normalize('NFC'), 'utf8');
}

function deriveKek(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  checkCost(cost);
  return new Promise((resolve, reject) => {
    // maxmem: Node refuses above 32 MiB by default; allow exactly what the parameters need.
    scryptCallback(
      passphraseBytes(passphrase),
      salt,
      KEY_BYTES,
      { N: cost.N, r: cost.r, p: cost.p, maxmem: scryptMemory(cost) + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

function fingerprintOf(masterKey: Uint8Array): string {
  return deriveKeys(masterKey).fingerprint;
}

/** Wraps the master key under the passphrase: the JSON object, its bytes as stored, and its key id. */
export async function wrapMasterKey(
  masterKey: Uint8Array,
  passphrase: string,
  details: { host: string; label: string; createdAt: string; cost?: ScryptCost },
): Promise<{ wrapped: WrappedKey; bytes: Buffer; keyId: string }> {
  if (masterKey.length !== KEY_BYTES) throw new InvalidArgumentError(`a master key is ${KEY_BYTES} bytes`);
  const cost = details.cost ?? DEFAULT_SCRYPT;
  const salt = randomBytes(SALT_BYTES);
  const kek = await deriveKek(passphrase, salt, cost);
  const sealed = seal(kek, masterKey, WRAP_AAD);
  const wrapped = WrappedKeySchema.parse({
    format: 'vigie-wrapped-key',
    version: 1,
    kdf: { name: 'scrypt', N: cost.N, r: cost.r, p: cost.p, salt: salt.toString('base64') },
    cipher: 'aes-256-gcm',
    nonce: sealed.subarray(0, NONCE_BYTES).toString('base64'),
    ciphertext: sealed.subarray(NONCE_BYTES).toString('base64'),
    keyFingerprint: fingerprintOf(masterKey),
    createdAt: details.createdAt,
    host: details.host,
    label: details.label,
  } satisfies WrappedKey);
  const bytes = Buffer.from(`${JSON.stringify(wrapped, null, 2)}\n`, 'utf8');
  return { wrapped, bytes, keyId: sha256Hex(bytes) };
}

/** Parses a wrapped key's bytes (as stored); UnsupportedFormatError for another format, CorruptDataError if unreadable. */
export function parseWrappedKey(bytes: Uint8Array, object = 'wrapped key'): WrappedKey {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new CorruptDataError(object, 'not JSON', { cause: error });
  }
  const header = json as { format?: unknown; version?: unknown } | null;
  if (header?.format !== 'vigie-wrapped-key' || header.version !== 1) {
    throw new UnsupportedFormatError(object, `format ${String(header?.format)} version ${String(header?.version)}`);
  }
  const parsed = WrappedKeySchema.safeParse(json);
  if (!parsed.success) {
    throw new CorruptDataError(object, `does not match the format: ${parsed.error.issues[0]?.message}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** The master key inside a wrapped key. A wrong passphrase is a WrongPassphraseError (nothing else is revealed). */
export async function unwrapMasterKey(wrapped: WrappedKey | Uint8Array, passphrase: string): Promise<Buffer> {
  const file = wrapped instanceof Uint8Array ? parseWrappedKey(wrapped) : wrapped;
  const salt = Buffer.from(file.kdf.salt, 'base64');
  const nonce = Buffer.from(file.nonce, 'base64');
  const ciphertext = Buffer.from(file.ciphertext, 'base64');
  if (salt.length < 16 || nonce.length !== NONCE_BYTES || ciphertext.length !== KEY_BYTES + TAG_BYTES) {
    throw new CorruptDataError('wrapped key', 'salt, nonce or ciphertext of the wrong length');
  }
  const kek = await deriveKek(passphrase, salt, file.kdf);
  let masterKey: Buffer;
  try {
    masterKey = open(kek, Buffer.concat([nonce, ciphertext]), WRAP_AAD, 'wrapped key');
  } catch (error) {
    throw new WrongPassphraseError({ cause: error });
  }
  if (fingerprintOf(masterKey) !== file.keyFingerprint) {
    throw new CorruptDataError('wrapped key', 'the key inside does not match the fingerprint the file states');
  }
  return masterKey;
}

export function localKeyFile(details: {
  masterKey: Uint8Array;
  clientId: string;
  host: string;
  createdAt: string;
}): LocalKeyFile {
  return LocalKeyFileSchema.parse({
    format: 'vigie-local-key',
    version: 1,
    clientId: details.clientId,
    host: details.host,
    createdAt: details.createdAt,
    keyFingerprint: fingerprintOf(details.masterKey),
    masterKey: Buffer.from(details.masterKey).toString('base64'),
  } satisfies LocalKeyFile);
}

/** The local key file's content and its master key; a fingerprint that does not match the key is corruption. */
export function parseLocalKeyFile(text: string, object = 'local key file'): { file: LocalKeyFile; masterKey: Buffer } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CorruptDataError(object, 'not JSON', { cause: error });
  }
  const header = json as { format?: unknown; version?: unknown } | null;
  if (header?.format !== 'vigie-local-key' || header.version !== 1) {
    throw new UnsupportedFormatError(object, `format ${String(header?.format)} version ${String(header?.version)}`);
  }
  const parsed = LocalKeyFileSchema.safeParse(json);
  if (!parsed.success) throw new CorruptDataError(object, 'does not match the format', { cause: parsed.error });
  const masterKey = Buffer.from(parsed.data.masterKey, 'base64');
  if (masterKey.length !== KEY_BYTES || fingerprintOf(masterKey) !== parsed.data.keyFingerprint) {
    throw new CorruptDataError(object, 'the master key does not match its fingerprint');
  }
  return { file: parsed.data, masterKey };
}

/**
 * Writes the local key file readable by its owner only (0600 on Linux; on Windows the folder's ACL decides, which the
 * installer sets). Written to a temporary file in the same folder and renamed: a crash never leaves half a key.
 * Refuses to replace an existing key file unless `overwrite`.
 */
export async function writeLocalKeyFile(
  filePath: string,
  file: LocalKeyFile,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  const text = `${JSON.stringify(LocalKeyFileSchema.parse(file), null, 2)}\n`;
  if (!options.overwrite) {
    const exists = await readFile(filePath).then(
      () => true,
      (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? false : Promise.reject(error)),
    );
    if (exists) throw new InvalidArgumentError(`${filePath} already exists: a key file is never replaced silently`);
  }
  const temporary = path.join(path.dirname(filePath), `.${path.basename(filePath)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await openFile(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await chmod(temporary, 0o600);
    await rename(temporary, filePath);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function readLocalKeyFile(filePath: string): Promise<{ file: LocalKeyFile; masterKey: Buffer }> {
  return parseLocalKeyFile(await readFile(filePath, 'utf8'), filePath);
}
