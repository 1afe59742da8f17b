import { z } from 'zod';
import { ExclusionSchema } from '../domain/sla/schemas';
import { ClientIdSchema, IsoInstantSchema, queryInteger, UlidSchema } from './common';
import { multiline } from './text';

/** One classification as an admin made it: who, when, and the flags it left (planned, exclusion and its reason). */
export const ClassificationEntrySchema = z.object({
  at: IsoInstantSchema,
  by: z.string(),
  planned: z.boolean(),
  exclusion: ExclusionSchema.optional(),
  exclusionReason: z.string().max(1000).optional(),
});
export type ClassificationEntry = z.infer<typeof ClassificationEntrySchema>;

/** Classifications kept per interruption; each moves money, so none is ever dropped below this bound. */
export const MAX_CLASSIFICATIONS = 100;

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
  /**
   * Every classification, oldest first (planned and exclusion cancel penalties: who decided it, and when, stays on
   * record). Absent until the first one; `planned`, `exclusion` and `exclusionReason` hold the latest.
   */
  classifications: z.array(ClassificationEntrySchema).max(MAX_CLASSIFICATIONS).optional(),
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
export const InterruptionCreateSchema = z.strictObject({
  notifiedAt: IsoInstantSchema.optional(),
  description: multiline(2000).optional(),
  planned: z.boolean().default(false),
});
export type InterruptionCreate = z.infer<typeof InterruptionCreateSchema>;

/** Body of `POST …/interruptions/{iid}/restore`: the provider's notice of restoration (now unless stated). */
export const InterruptionRestoreSchema = z.strictObject({ restoredAt: IsoInstantSchema.optional() });
export type InterruptionRestore = z.infer<typeof InterruptionRestoreSchema>;

/**
 * Body of `PATCH …/interruptions/{iid}`: how the interruption counts (admins only). `exclusion: null` clears it.
 * A given exclusion takes the reason sent with it, or none (a reason explains one exclusion); a reason alone
 * re-words the current exclusion's (409 when there is none).
 */
export const InterruptionClassificationSchema = z
  .strictObject({
    planned: z.boolean().optional(),
    exclusion: ExclusionSchema.nullable().optional(),
    exclusionReason: multiline(1000).optional(),
  })
  .refine((v) => v.planned !== undefined || v.exclusion !== undefined || v.exclusionReason !== undefined, {
    message: 'give planned, exclusion and/or exclusionReason',
  })
  .refine((v) => !(v.exclusion === null && v.exclusionReason !== undefined), {
    path: ['exclusionReason'],
    message: 'a reason explains an exclusion: it cannot come with exclusion null',
  })
  .refine(exclusionNeedsReason, reasonIssue);
export type InterruptionClassification = z.infer<typeof InterruptionClassificationSchema>;

export const SlaReportQuerySchema = z.strictObject({
  year: queryInteger(2000, 2100),
  format: z.enum(['json', 'csv']).default('json'),
});
