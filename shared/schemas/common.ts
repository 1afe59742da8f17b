import { z } from 'zod';
import { readIsoInstant } from '../domain/calendar/iso';
import { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR } from '../domain/calendar/timeline';

/** The tenant id: it prefixes every S3 key and DynamoDB partition of the client, so it is a strict slug. */
export const ClientIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens, 1 to 63 characters');

export const UlidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ULID (26 Crockford base-32 characters)');

/** A calendar date, as contracts state them, within the years the calendars support. */
export const IsoDateSchema = z.iso
  .date({ error: 'a date such as 2026-03-02 (YYYY-MM-DD, a day of the calendar)', abort: true })
  .refine((date) => {
    const year = Number(date.slice(0, 4));
    return year >= FIRST_SUPPORTED_YEAR && year <= LAST_SUPPORTED_YEAR;
  }, `a date between ${FIRST_SUPPORTED_YEAR} and ${LAST_SUPPORTED_YEAR}`);

/** An e-mail address (RFC 5321 caps a path at 254 characters). */
export const EmailSchema = z.email().max(254);

/**
 * An instant with an explicit offset (`Z` or `+01:00`) and at most milliseconds, checked by the same strict parser as
 * the CLI and the calendars (hours 00–23, real offsets, real days, supported years), so every edge accepts the same
 * instants; one message per field, in the API's words.
 */
const INSTANT_EXAMPLE = 'an instant in ISO-8601 with an offset and at most milliseconds, e.g. 2026-03-02T16:00:00+01:00';
export const IsoInstantSchema = z.iso.datetime({ offset: true, error: INSTANT_EXAMPLE, abort: true }).superRefine((text, context) => {
  const read = readIsoInstant(text);
  if (!read.ok) context.addIssue({ code: 'custom', message: read.problem });
});

/**
 * A staff member's id: the identity provider's subject (a Cognito `sub` is a UUID; local users are names such as
 * `local-admin`). It names a DynamoDB partition and appears in paths, so it is a strict pattern.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;
export const UserIdSchema = z.string().regex(USER_ID_PATTERN, 'a user id: letters, digits and . _ @ + -, 1 to 128 characters, starting with a letter or digit');

/**
 * A host name as an agent reports it (Windows NetBIOS or DNS names), kept in lower case: Windows and DNS host names
 * do not tell case apart, so `SRV-AG1` and `srv-ag1` are one host (one key, one S3 slot).
 */
export const HostNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})$/, 'letters, digits, dots, hyphens and underscores, 1 to 63 characters')
  .toLowerCase();

export const ErrorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  details: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** A whole number in a query string: digits only (no sign, hex, exponent or spaces), then range-checked. */
export const queryInteger = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `a whole number from ${min} to ${max}, digits only`)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const PageQuerySchema = z.strictObject({
  limit: queryInteger(1, 100).default(25),
  nextToken: z.string().regex(/^[A-Za-z0-9_-]{1,2048}$/, 'a nextToken this API returned').optional(),
});
