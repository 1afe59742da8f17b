import { z } from 'zod';
import { parseIsoInstant } from '../domain/calendar/iso';
import { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR } from '../domain/calendar/timeline';

/** The tenant id: it prefixes every S3 key and DynamoDB partition of the client, so it is a strict slug. */
export const ClientIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens, 1 to 63 characters');

export const UlidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ULID (26 Crockford base-32 characters)');

/** A calendar date, as contracts state them, within the years the calendars support. */
export const IsoDateSchema = z.iso.date().refine((date) => {
  const year = Number(date.slice(0, 4));
  return year >= FIRST_SUPPORTED_YEAR && year <= LAST_SUPPORTED_YEAR;
}, `a date between ${FIRST_SUPPORTED_YEAR} and ${LAST_SUPPORTED_YEAR}`);

/** An e-mail address (RFC 5321 caps a path at 254 characters). */
export const EmailSchema = z.email().max(254);

/**
 * An instant with an explicit offset (`Z` or `+01:00`), checked by the same strict parser as the CLI and the
 * calendars (hours 00–23, real offsets, supported years), so every edge accepts the same instants.
 */
export const IsoInstantSchema = z.iso.datetime({ offset: true }).superRefine((text, context) => {
  try {
    parseIsoInstant(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** A host name as an agent reports it (Windows NetBIOS or DNS names). */
export const HostNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62})$/, 'letters, digits, dots, hyphens and underscores, 1 to 63 characters');

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

export const PageQuerySchema = z.object({
  limit: queryInteger(1, 100).default(25),
  nextToken: z.string().min(1).max(2048).optional(),
});
