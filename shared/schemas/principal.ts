import { z } from 'zod';
import { ClientIdSchema, HostNameSchema } from './common';

export const StaffRoleSchema = z.enum(['admin', 'technician', 'manager']);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** Who is calling, as the authorizer established it and hands it to the route's Lambda. */
export const PrincipalSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('staff'),
    userId: z.string().min(1),
    role: StaffRoleSchema,
    /** Clients this person may see: every client (`all`) or the listed ones. Admins always see all. */
    clientScope: z.union([z.literal('all'), z.array(ClientIdSchema)]),
  }),
  z.object({
    kind: z.literal('agent'),
    agentId: z.string().min(1),
    clientId: ClientIdSchema,
    host: HostNameSchema,
  }),
]);
export type Principal = z.infer<typeof PrincipalSchema>;
export type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
export type AgentPrincipal = Extract<Principal, { kind: 'agent' }>;

/** A staff member's client scope, kept in the table (never taken from token claims). */
export const StaffScopeSchema = z.object({
  userId: z.string().min(1).max(256),
  allClients: z.boolean().default(false),
  clientIds: z.array(ClientIdSchema).max(1000).default([]),
});
export type StaffScope = z.infer<typeof StaffScopeSchema>;

export const StaffScopeInputSchema = StaffScopeSchema.omit({ userId: true }).strict();
