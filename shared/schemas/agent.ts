import { z } from 'zod';
import { ClientIdSchema, HostNameSchema, IsoInstantSchema, UlidSchema } from './common';

/** Body of `POST /v1/clients/{clientId}/agents`: the host the key is for (one active agent per host). */
export const AgentCreateInputSchema = z.strictObject({ host: HostNameSchema });

/** Body of `POST …/agents/{agentId}/rotate`: how long the key being replaced keeps working (default a day). */
export const AgentRotateInputSchema = z.strictObject({
  graceMinutes: z.int().min(0).max(7 * 24 * 60).default(24 * 60),
});
export type AgentRotateInput = z.infer<typeof AgentRotateInputSchema>;

const KeyHashSchema = z.string().regex(/^[0-9a-f]{64}$/);

/** An agent as stored: only SHA-256 hashes of its keys are kept, never a key. */
export const AgentRecordSchema = z.object({
  agentId: UlidSchema,
  clientId: ClientIdSchema,
  /** Normalised (lower case): Windows host names do not tell case apart. */
  host: HostNameSchema,
  /** The key in use. */
  key: z.object({ hash: KeyHashSchema, issuedAt: IsoInstantSchema, issuedBy: z.string() }),
  /** The key a rotation replaced, still accepted until `retiresAt` so the agent can switch without a gap. */
  previousKey: z.object({ hash: KeyHashSchema, retiresAt: IsoInstantSchema }).optional(),
  createdAt: IsoInstantSchema,
  createdBy: z.string(),
  revokedAt: IsoInstantSchema.optional(),
  revokedBy: z.string().optional(),
  /** Optimistic concurrency: 1 at creation, +1 on every rotation. */
  version: z.int().positive(),
});
export type AgentRecord = z.infer<typeof AgentRecordSchema>;

/** What the API shows of an agent: when its key was issued and when the previous one retires, never a hash. */
export const AgentViewSchema = AgentRecordSchema.omit({ key: true, previousKey: true, version: true }).extend({
  keyIssuedAt: IsoInstantSchema,
  keyIssuedBy: z.string(),
  previousKeyRetiresAt: IsoInstantSchema.optional(),
});
export type AgentView = z.infer<typeof AgentViewSchema>;

/** Answer to a registration or a rotation: the only time the key is shown. */
export const AgentCreatedSchema = AgentViewSchema.extend({ apiKey: z.string() });

export const AgentPageSchema = z.object({ items: z.array(AgentViewSchema), nextToken: z.string().optional() });
