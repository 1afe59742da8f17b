import { ValidationError } from '../../domain/errors';

/** Opaque page tokens: the LastEvaluatedKey, base64url-encoded. A tampered token is a 400, not a 500. */
export const encodePageToken = (lastKey: Record<string, unknown> | undefined): string | undefined =>
  lastKey ? Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url') : undefined;

/**
 * Decodes a page token and checks it belongs to this listing: `expected` gives, per key attribute, a test
 * of its value (a token of another client's list would otherwise reach DynamoDB and fail as a 500).
 */
export function decodePageToken(
  token: string | undefined,
  expected: Readonly<Record<string, (value: string) => boolean>>,
): Record<string, string> | undefined {
  if (token === undefined) return undefined;
  const invalid = () => new ValidationError('nextToken is not a token this API returned', [{ path: 'query.nextToken', message: 'invalid' }]);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (cause) {
    throw Object.assign(invalid(), { cause });
  }
  if (typeof value !== 'object' || value === null) throw invalid();
  const entries = Object.entries(value);
  const wellFormed =
    entries.length === Object.keys(expected).length &&
    entries.every(([k, v]) => typeof v === 'string' && v.length > 0 && v.length < 1024 && expected[k]?.(v) === true);
  if (!wellFormed) throw invalid();
  return Object.fromEntries(entries) as Record<string, string>;
}
