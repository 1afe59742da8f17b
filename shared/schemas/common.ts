import { z } from 'zod';

/** The tenant id: it prefixes every S3 key and DynamoDB partition of the client, so it is a strict slug. */
export const ClientIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens, 1 to 63 characters');

export const UlidSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'a ULID (26 Crockford base-32 characters)');

/** A calendar date, as contracts state them. */
export const IsoDateSchema = z.iso.date();

/** An instant with an explicit offset (`Z` or `+01:00`). */
export const IsoInstantSchema = z.iso.datetime({ offset: true });

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

export const PageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  nextToken: z.string().min(1).max(2048).optional(),
});
