import { z } from 'zod';
import { ClientIdSchema, HostNameSchema, IsoInstantSchema, UlidSchema } from './common';

export const AgentCreateInputSchema = z.object({ host: HostNameSchema }).strict();

/** An agent as stored: only the SHA-256 of its key is kept. */
export const AgentRecordSchema = z.object({
  agentId: UlidSchema,
  clientId: ClientIdSchema,
  host: HostNameSchema,
  keyHash: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: IsoInstantSchema,
  createdBy: z.string(),
  revokedAt: IsoInstantSchema.optional(),
});
export type AgentRecord = z.infer<typeof AgentRecordSchema>;

/** What the API shows of an agent: never the hash. */
export const AgentViewSchema = AgentRecordSchema.omit({ keyHash: true });
export type AgentView = z.infer<typeof AgentViewSchema>;

/** Answer to the agent's creation: the only time the key is shown. */
export const AgentCreatedSchema = AgentViewSchema.extend({ apiKey: z.string() });
