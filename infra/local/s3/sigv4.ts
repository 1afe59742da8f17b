import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { S3Error } from './errors';

/**
 * AWS Signature Version 4 verification, for requests signed in the Authorization header and for
 * presigned URLs (query string). Chunk signatures of aws-chunked bodies are not checked.
 */

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignableRequest {
  method: string;
  /** The request target as received: raw path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const ALGORITHM = 'AWS4-HMAC-SHA256';
const MAX_SKEW_MS = 15 * 60 * 1000;
const MAX_EXPIRES_S = 7 * 24 * 3600;

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function parseQueryPairs(query: string): Array<[string, string]> {
  if (query === '') return [];
  return query.split('&').map((part) => {
    const eq = part.indexOf('=');
    return eq < 0 ? [safeDecode(part), ''] : [safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1))];
  });
}

function canonicalQuery(pairs: Array<[string, string]>): string {
  return pairs
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function headerValue(headers: IncomingHttpHeaders, name: string): string {
  const value = headers[name];
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** "20240102T030405Z" → Date, or undefined when malformed. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

interface ParsedAuth {
  accessKeyId: string;
  scope: string;
  scopeDate: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
  payloadHash: string;
  pairs: Array<[string, string]>;
  presigned: boolean;
  expiresSeconds?: number;
}

const signatureMismatch = (): S3Error =>
  new S3Error(
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
  );

function parseCredential(credential: string): Pick<ParsedAuth, 'accessKeyId' | 'scope' | 'scopeDate' | 'region' | 'service'> {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') {
    throw new S3Error('AuthorizationHeaderMalformed', 'The authorization header is malformed; the Credential is mal-formed.');
  }
  const [accessKeyId, scopeDate, region, service] = parts as [string, string, string, string, string];
  return { accessKeyId, scope: parts.slice(1).join('/'), scopeDate, region, service };
}

function parseAuthorization(request: SignableRequest, pairs: Array<[string, string]>): ParsedAuth | undefined {
  const header = headerValue(request.headers, 'authorization');
  const query = new Map(pairs);
  if (header !== '') {
    if (!header.startsWith(`${ALGORITHM} `)) {
      throw new S3Error('InvalidArgument', 'Unsupported Authorization Type');
    }
    const fields = new Map(
      header
        .slice(ALGORITHM.length + 1)
        .split(',')
        .map((f) => f.trim())
        .map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as const),
    );
    const credential = fields.get('Credential');
    const signedHeaders = fields.get('SignedHeaders');
    const signature = fields.get('Signature');
    if (!credential || !signedHeaders || !signature) throw signatureMismatch();
    return {
      ...parseCredential(credential),
      signedHeaders: signedHeaders.split(';'),
      signature,
      amzDate: headerValue(request.headers, 'x-amz-date'),
      payloadHash: headerValue(request.headers, 'x-amz-content-sha256') || UNSIGNED_PAYLOAD,
      pairs,
      presigned: false,
    };
  }
  if (query.has('X-Amz-Signature')) {
    if (query.get('X-Amz-Algorithm') !== ALGORITHM) throw new S3Error('InvalidArgument', 'Unsupported X-Amz-Algorithm');
    const expires = Number(query.get('X-Amz-Expires') ?? NaN);
    if (!Number.isInteger(expires) || expires < 1 || expires > MAX_EXPIRES_S) {
      throw new S3Error('AuthorizationQueryParametersError', 'X-Amz-Expires must be between 1 and 604800 seconds');
    }
    return {
      ...parseCredential(query.get('X-Amz-Credential') ?? ''),
      signedHeaders: (query.get('X-Amz-SignedHeaders') ?? '').split(';'),
      signature: query.get('X-Amz-Signature') ?? '',
      amzDate: query.get('X-Amz-Date') ?? '',
      payloadHash: query.get('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD,
      pairs: pairs.filter(([k]) => k !== 'X-Amz-Signature'),
      presigned: true,
      expiresSeconds: expires,
    };
  }
  return undefined;
}

export interface VerifiedRequest {
  /** The payload hash the signature covers: hex SHA-256, UNSIGNED-PAYLOAD or a STREAMING-* marker. */
  payloadHash: string;
}

/**
 * Checks the request's signature against `credentials`. Throws the S3 error S3 would send:
 * AccessDenied (anonymous, or presigned URL expired), InvalidAccessKeyId, SignatureDoesNotMatch,
 * RequestTimeTooSkewed.
 */
export function verifySignature(request: SignableRequest, credentials: Credentials, now: Date): VerifiedRequest {
  const q = request.url.indexOf('?');
  const rawPath = q < 0 ? request.url : request.url.slice(0, q);
  const pairs = parseQueryPairs(q < 0 ? '' : request.url.slice(q + 1));
  const auth = parseAuthorization(request, pairs);
  if (!auth) throw new S3Error('AccessDenied', 'Access Denied');
  if (auth.accessKeyId !== credentials.accessKeyId) {
    throw new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', {}, {
      AWSAccessKeyId: auth.accessKeyId,
    });
  }
  const signedAt = parseAmzDate(auth.amzDate);
  if (!signedAt || auth.amzDate.slice(0, 8) !== auth.scopeDate) throw signatureMismatch();
  if (auth.presigned) {
    if (now.getTime() > signedAt.getTime() + (auth.expiresSeconds ?? 0) * 1000) {
      throw new S3Error('AccessDenied', 'Request has expired', {}, {
        'X-Amz-Expires': String(auth.expiresSeconds),
        Expires: new Date(signedAt.getTime() + (auth.expiresSeconds ?? 0) * 1000).toISOString(),
        ServerTime: now.toISOString(),
      });
    }
    if (signedAt.getTime() - now.getTime() > MAX_SKEW_MS) throw new S3Error('AccessDenied', 'Request is not yet valid');
  } else if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS) {
    throw new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {}, {
      RequestTime: auth.amzDate,
      ServerTime: now.toISOString(),
      MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }
  if (!auth.signedHeaders.includes('host')) throw signatureMismatch();

  const canonicalRequest = [
    request.method,
    rawPath,
    canonicalQuery(auth.pairs),
    ...auth.signedHeaders.map((h) => `${h}:${headerValue(request.headers, h)}`),
    '',
    auth.signedHeaders.join(';'),
    auth.payloadHash,
  ].join('\n');
  const stringToSign = [ALGORITHM, auth.amzDate, auth.scope, sha256Hex(canonicalRequest)].join('\n');
  const signingKey = [auth.scopeDate, auth.region, auth.service, 'aws4_request'].reduce<Buffer>(
    (key, part) => hmac(key, part),
    Buffer.from(`AWS4${credentials.secretAccessKey}`, 'utf8'),
  );
  const expected = hmac(signingKey, stringToSign);
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw signatureMismatch();
  return { payloadHash: auth.payloadHash };
}
