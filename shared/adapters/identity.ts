import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import type { Clock } from '../domain/clock';
import type { ApiKeyFactory, IdGenerator } from '../ports/repositories';

export const systemClock: Clock = { now: () => new Date() };

export const ulidGenerator: IdGenerator = { next: () => ulid() };

/** Agent keys read `vigie_<agentId>_<256 random bits>`: the id helps support without revealing the secret. */
export const apiKeyFactory: ApiKeyFactory = {
  generate: (agentId) => `vigie_${agentId.toLowerCase()}_${randomBytes(32).toString('base64url')}`,
  hash: (apiKey) => createHash('sha256').update(apiKey, 'utf8').digest('hex'),
};

export const looksLikeAgentKey = (credential: string): boolean => /^vigie_[0-9a-z]{26}_[A-Za-z0-9_-]{43}$/.test(credential);
