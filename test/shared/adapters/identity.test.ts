import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeyFactory, looksLikeAgentKey, systemClock, ulidGenerator } from '../../../shared/adapters/identity';
import { UlidSchema } from '../../../shared/schemas/common';

const AGENT_ID = '01HZX3M4QK7T9V2B5C8D0E1F6G';

describe('apiKeyFactory', () => {
  it('makes keys of the form vigie_<lower-case agent id>_<43 base64url characters>', () => {
    const key = apiKeyFactory.generate(AGENT_ID);
    expect(key).toMatch(new RegExp(`^vigie_${AGENT_ID.toLowerCase()}_[A-Za-z0-9_-]{43}$`));
  });

  it('makes a different secret every time', () => {
    const keys = new Set(Array.from({ length: 50 }, () => apiKeyFactory.generate(AGENT_ID)));
    expect(keys.size).toBe(50);
  });

  it('hashes with SHA-256 to 64 lower-case hex characters, deterministically', () => {
    expect(apiKeyFactory.hash('vigie_abc')).toBe(createHash('sha256').update('vigie_abc').digest('hex'));
    expect(apiKeyFactory.hash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(apiKeyFactory.hash('abc')).not.toBe(apiKeyFactory.hash('abd'));
  });
});

describe('looksLikeAgentKey', () => {
  it('recognises every key the factory makes, for fresh ULIDs', () => {
    for (let n = 0; n < 50; n += 1) expect(looksLikeAgentKey(apiKeyFactory.generate(ulidGenerator.next()))).toBe(true);
  });

  it.each([
    ['a JWT', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln'],
    ['an upper-case agent id', `vigie_${AGENT_ID}_${'a'.repeat(43)}`],
    ['a short secret', `vigie_${AGENT_ID.toLowerCase()}_${'a'.repeat(42)}`],
    ['a long secret', `vigie_${AGENT_ID.toLowerCase()}_${'a'.repeat(44)}`],
    ['another prefix', `vigil_${AGENT_ID.toLowerCase()}_${'a'.repeat(43)}`],
    ['a padded secret', `vigie_${AGENT_ID.toLowerCase()}_${'a'.repeat(42)}=`],
    ['trailing text', `vigie_${AGENT_ID.toLowerCase()}_${'a'.repeat(43)} x`],
    ['nothing', ''],
  ])('does not take %s for an agent key', (_name, credential) => {
    expect(looksLikeAgentKey(credential)).toBe(false);
  });
});

describe('ulidGenerator and systemClock', () => {
  it('makes valid, distinct ULIDs', () => {
    const ids = Array.from({ length: 20 }, () => ulidGenerator.next());
    for (const id of ids) expect(UlidSchema.safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(20);
  });

  it('reads the system time', () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});
