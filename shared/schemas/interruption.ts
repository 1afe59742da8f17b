import { z } from 'zod';
import { ExclusionSchema } from '../domain/sla/schemas';
import { ClientIdSchema, IsoInstantSchema, queryInteger, UlidSchema } from './common';

/** An interruption of a hosted service, as recorded (instants stored as UTC ISO-8601). */
export const InterruptionRecordSchema = z.object({
  id: UlidSchema,
  contractId: UlidSchema,
  clientId: ClientIdSchema,
  /** The client's notification: GTR and IMS count from here (001 art. 4.4). */
  notifiedAt: IsoInstantSchema,
  /** The provider's notice of restoration; absent while the interruption is open. */
  restoredAt: IsoInstantSchema.optional(),
  /** Announced maintenance: never counted (001 art. 4.1). */
  planned: z.boolean(),
  /** A listed cause that cancels penalties (force majeure, third party, client's fault…). */
  exclusion: ExclusionSchema.optional(),
  exclusionReason: z.string().max(1000).optional(),
  description: z.string().max(2000).optional(),
  recordedBy: z.string(),
  restoredBy: z.string().optional(),
  /** Optimistic concurrency: 1 at creation, +1 on every write (restoration, classification). */
  version: z.number().int().positive(),
  createdAt: IsoInstantSchema,
  updatedAt: IsoInstantSchema,
});
export type InterruptionRecord = z.infer<typeof InterruptionRecordSchema>;

const exclusionNeedsReason = (v: { exclusion?: string | null | undefined; exclusionReason?: string | undefined }) =>
  v.exclusion !== 'other' || (v.exclusionReason !== undefined && v.exclusionReason.trim() !== '');
const reasonIssue = { path: ['exclusionReason'], message: "say why when the exclusion is 'other'" };

/** Body of `POST /v1/contracts/{id}/interruptions`: the client's notification (now unless stated). */
export const InterruptionCreateSchema = z
  .object({
    notifiedAt: IsoInstantSchema.optional(),
    description: z.string().trim().min(1).max(2000).optional(),
    planned: z.boolean().default(false),
  })
  .strict();
export type InterruptionCreate = z.infer<typeof InterruptionCreateSchema>;

/** Body of `POST …/interruptions/{iid}/restore`: the provider's notice of restoration (now unless stated). */
export const InterruptionRestoreSchema = z.object({ restoredAt: IsoInstantSchema.optional() }).strict();
export type InterruptionRestore = z.infer<typeof InterruptionRestoreSchema>;

/**
 * Body of `PATCH …/interruptions/{iid}`: how the interruption counts (admins only). `exclusion: null` clears it.
 * A given exclusion takes the reason sent with it, or none; a reason alone re-words the current exclusion's.
 */
export const InterruptionClassificationSchema = z
  .object({
    planned: z.boolean().optional(),
    exclusion: ExclusionSchema.nullable().optional(),
    exclusionReason: z.string().trim().min(1).max(1000).optional(),
  })
  .strict()
  .refine((v) => v.planned !== undefined || v.exclusion !== undefined, { message: 'give planned and/or exclusion' })
  .refine(exclusionNeedsReason, reasonIssue);
export type InterruptionClassification = z.infer<typeof InterruptionClassificationSchema>;

export const SlaReportQuerySchema = z.object({
  year: queryInteger(2000, 2100),
  format: z.enum(['json', 'csv']).default('json'),
});
