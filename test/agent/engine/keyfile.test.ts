import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorruptDataError, InvalidArgumentError, UnsupportedFormatError, WrongPassphraseError } from '../../../agent/src/engine/errors';
import {
  DEFAULT_SCRYPT,
  localKeyFile,
  parseLocalKeyFile,
  parseWrappedKey,
  readLocalKeyFile,
  unwrapMasterKey,
  wrapMasterKey,
  writeLocalKeyFile,
} from '../../../agent/src/engine/keyfile';
import { generateMasterKey } from '../../../agent/src/engine/keys';
import { sha256Hex } from '../../../agent/src/engine/crypto';
import { TEST_MASTER_KEY, testKeys } from './support';

/** Cheap scrypt for the many cases; one test runs the default cost. */
const cheap = { N: 1024, r: 8, p: 1 };
const details = { host: 'SRV-COMPTA', label: 'clé de secours', createdAt: '2026-03-02T10:00:00.000Z', cost: cheap };

let folder: string;
beforeAll(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'vigie-keyfile-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('wrapped keys', () => {
  it('unwrap with the passphrase; key id = SHA-256 of the stored bytes; JSON states the scrypt cost', async () => {
    const { wrapped, bytes, keyId } = await wrapMasterKey(TEST_MASTER_KEY, 'correct horse battery staple', details);
    expect(keyId).toBe(sha256Hex(bytes));
    expect(parseWrappedKey(bytes)).toEqual(wrapped);
    expect(wrapped).toMatchObject({ format: 'vigie-wrapped-key', version: 1, kdf: { name: 'scrypt', ...cheap }, cipher: 'aes-256-gcm', keyFingerprint: testKeys.fingerprint, host: 'SRV-COMPTA' });
    expect(bytes.toString()).not.toContain(TEST_MASTER_KEY.toString('base64'));
    expect((await unwrapMasterKey(bytes, 'correct horse battery staple')).equals(TEST_MASTER_KEY)).toBe(true);
  });

  it('a wrong passphrase is a WrongPassphraseError', async () => {
    const { bytes } = await wrapMasterKey(TEST_MASTER_KEY, 'correct horse battery staple', details);
    await expect(unwrapMasterKey(bytes, 'correct horse battery stapler')).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(unwrapMasterKey(bytes, 'correct horse battery stapler')).rejects.toMatchObject({ code: 'WrongPassphrase' });
  });

  it('normalises the passphrase (NFC): "é" typed precomposed or decomposed opens the same key', async () => {
    const { wrapped } = await wrapMasterKey(TEST_MASTER_KEY, 'clé', details);
    expect((await unwrapMasterKey(wrapped, 'cle\u0301')).equals(TEST_MASTER_KEY)).toBe(true);
    await expect(wrapMasterKey(TEST_MASTER_KEY, '', details)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('refuses tampered files, other formats and costs a reader should not pay', async () => {
    const { wrapped } = await wrapMasterKey(TEST_MASTER_KEY, 'secret', details);
    const ciphertext = Buffer.from(wrapped.ciphertext, 'base64');
    ciphertext[0] = ciphertext[0]! ^ 1;
    await expect(unwrapMasterKey({ ...wrapped, ciphertext: ciphertext.toString('base64') }, 'secret')).rejects.toBeInstanceOf(WrongPassphraseError);
    await expect(unwrapMasterKey({ ...wrapped, keyFingerprint: '0'.repeat(32) }, 'secret')).rejects.toBeInstanceOf(CorruptDataError);
    await expect(unwrapMasterKey({ ...wrapped, kdf: { ...wrapped.kdf, N: 3000 } }, 'secret')).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => parseWrappedKey(Buffer.from(JSON.stringify({ ...wrapped, kdf: { ...wrapped.kdf, N: 2 ** 30 } })))).toThrow(CorruptDataError);
    expect(() => parseWrappedKey(Buffer.from(JSON.stringify({ ...wrapped, version: 2 })))).toThrow(UnsupportedFormatError);
    expect(() => parseWrappedKey(Buffer.from('{'))).toThrow(CorruptDataError);
  });

  it('the default cost (N = 2^17, r = 8, p = 1, 128 MiB) runs within Node’s memory limit', async () => {
    const started = performance.now();
    const { wrapped } = await wrapMasterKey(TEST_MASTER_KEY, 'secret', { ...details, cost: undefined });
    expect(wrapped.kdf).toMatchObject(DEFAULT_SCRYPT);
    expect((await unwrapMasterKey(wrapped, 'secret')).equals(TEST_MASTER_KEY)).toBe(true);
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 30_000);
});

describe('local key file', () => {
  it('is written readable by its owner only, read back, never replaced silently', async () => {
    const masterKey = generateMasterKey();
    const file = localKeyFile({ masterKey, clientId: 'demo-cabinet-durand', host: 'SRV-COMPTA', createdAt: '2026-03-02T10:00:00.000Z' });
    const filePath = path.join(folder, 'vigie.key');
    await writeLocalKeyFile(filePath, file);
    if (process.platform !== 'win32') expect((await stat(filePath)).mode & 0o777).toBe(0o600);
    const read = await readLocalKeyFile(filePath);
    expect(read.masterKey.equals(masterKey)).toBe(true);
    expect(read.file).toEqual(file);
    await expect(writeLocalKeyFile(filePath, file)).rejects.toBeInstanceOf(InvalidArgumentError);
    await writeLocalKeyFile(filePath, localKeyFile({ ...file, masterKey: TEST_MASTER_KEY }), { overwrite: true });
    expect((await readLocalKeyFile(filePath)).masterKey.equals(TEST_MASTER_KEY)).toBe(true);
  });

  it('refuses a key that does not match its fingerprint, and other formats', async () => {
    const file = localKeyFile({ masterKey: TEST_MASTER_KEY, clientId: 'c', host: 'h', createdAt: '2026-03-02T10:00:00.000Z' });
    expect(() => parseLocalKeyFile(JSON.stringify({ ...file, keyFingerprint: 'f'.repeat(32) }))).toThrow(CorruptDataError);
    expect(() => parseLocalKeyFile(JSON.stringify({ ...file, format: 'restic' }))).toThrow(UnsupportedFormatError);
    const filePath = path.join(folder, 'broken.key');
    await writeFile(filePath, 'not json');
    await expect(readLocalKeyFile(filePath)).rejects.toBeInstanceOf(CorruptDataError);
  });
});
