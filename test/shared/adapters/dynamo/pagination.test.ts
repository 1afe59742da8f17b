import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken } from '../../../../shared/adapters/dynamo/pagination';
import { ValidationError } from '../../../../shared/domain/errors';

const anyValue = () => true;
const EXPECTED = { pk: anyValue, sk: anyValue, gsi1pk: anyValue, gsi1sk: anyValue };
const lastKey = { pk: 'CONTRACT#01HZ1', sk: 'CONTRACT', gsi1pk: 'CLIENT#client-a', gsi1sk: 'CONTRACT#01HZ1' };
const tokenOf = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

function decodeError(token: string): ValidationError {
  try {
    decodePageToken(token, EXPECTED);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return error as ValidationError;
  }
  throw new Error(`token ${token} was accepted`);
}

describe('page tokens', () => {
  it('round-trips a LastEvaluatedKey', () => {
    const token = encodePageToken(lastKey);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, EXPECTED)).toEqual(lastKey);
  });

  it('refuses a well-formed token whose values belong to another listing', () => {
    const ofClientA = { ...EXPECTED, gsi1pk: (v: string) => v === 'CLIENT#client-a' };
    const ofClientB = { ...EXPECTED, gsi1pk: (v: string) => v === 'CLIENT#client-b' };
    const token = encodePageToken(lastKey);
    expect(decodePageToken(token, ofClientA)).toEqual(lastKey);
    expect(() => decodePageToken(token, ofClientB)).toThrow(ValidationError);
  });

  it('has no token for the last page, and no start key without a token', () => {
    expect(encodePageToken(undefined)).toBeUndefined();
    expect(decodePageToken(undefined, EXPECTED)).toBeUndefined();
  });

  it.each([
    ['not base64 JSON', 'not-a-token'],
    ['a JSON string', tokenOf('CONTRACT#01HZ1')],
    ['JSON null', tokenOf(null)],
    ['an array', tokenOf(['pk', 'sk', 'gsi1pk', 'gsi1sk'])],
    ['a key with a missing attribute', tokenOf({ pk: 'a', sk: 'b', gsi1pk: 'c' })],
    ['a key with an extra attribute', tokenOf({ ...lastKey, gsi2pk: 'AGENTKEY#x' })],
    ['a key with a foreign attribute', tokenOf({ pk: 'a', sk: 'b', gsi1pk: 'c', admin: 'true' })],
    ['a non-string value', tokenOf({ ...lastKey, sk: 1 })],
    ['an object value', tokenOf({ ...lastKey, sk: { S: 'x' } })],
    ['an empty value', tokenOf({ ...lastKey, sk: '' })],
    ['an oversized value', tokenOf({ ...lastKey, sk: 'x'.repeat(1024) })],
    ['a truncated token', (encodePageToken(lastKey) ?? '').slice(0, 20)],
  ])('refuses %s as a 400 on query.nextToken', (_name, token) => {
    const error = decodeError(token);
    expect(error.message).toBe('nextToken is not a token this API returned');
    expect(error.details).toEqual([{ path: 'query.nextToken', message: 'invalid' }]);
  });

  it('keeps the parser error as the cause of a token that is not JSON', () => {
    expect(decodeError('not-a-token').cause).toBeInstanceOf(SyntaxError);
  });
});
