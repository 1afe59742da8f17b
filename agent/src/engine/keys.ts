import { KEY_BYTES, hkdf, randomKey } from './crypto';
import { InvalidArgumentError } from './errors';

/**
 * The master key of a client's repository and the keys derived from it (docs/repository-format.md §keys). All the
 * hosts of a client share the master key: one client, one repository, one confidentiality boundary.
 */

/** The HKDF salt: fixed, it names the format; the master key is uniformly random, so no salt is needed for strength. */
const HKDF_SALT = 'vigie-repository-v1';

export const KEY_INFO = {
  blobId: 'vigie/v1/blob-id',
  data: 'vigie/v1/data',
  metadata: 'vigie/v1/metadata',
  chunker: 'vigie/v1/chunker-seed',
  fingerprint: 'vigie/v1/fingerprint',
} as const;

export interface RepositoryKeys {
  /** HMAC-SHA-256 key of blob ids. */
  readonly idKey: Buffer;
  /** AES-256-GCM key of blobs (file contents and tree blobs). */
  readonly dataKey: Buffer;
  /** AES-256-GCM key of pack headers, index files and snapshot manifests. */
  readonly metadataKey: Buffer;
  /** XORed into the chunker's gear table: chunk boundaries depend on a secret of the client. */
  readonly chunkerSeed: bigint;
  /**
   * 16 bytes in hex naming the master key without revealing it; written in plaintext into key files, index files and
   * snapshot headers, so that a wrong key is told apart from damaged data.
   */
  readonly fingerprint: string;
}

/** 32 random bytes: a new client repository's master key. */
export function generateMasterKey(): Buffer {
  return randomKey();
}

export function deriveKeys(masterKey: Uint8Array): RepositoryKeys {
  if (masterKey.length !== KEY_BYTES) {
    throw new InvalidArgumentError(`a master key is ${KEY_BYTES} bytes, not ${masterKey.length}`);
  }
  const derive = (info: string, length = KEY_BYTES) => hkdf(masterKey, HKDF_SALT, info, length);
  return {
    idKey: derive(KEY_INFO.blobId),
    dataKey: derive(KEY_INFO.data),
    metadataKey: derive(KEY_INFO.metadata),
    chunkerSeed: derive(KEY_INFO.chunker, 8).readBigUInt64BE(0),
    fingerprint: derive(KEY_INFO.fingerprint, 16).toString('hex'),
  };
}
