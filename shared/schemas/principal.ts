import { z } from 'zod';
import { ClientIdSchema, HostNameSchema, IsoInstantSchema, UserIdSchema } from './common';

export const StaffRoleSchema = z.enum(['admin', 'technician', 'manager']);
export type StaffRole = z.infer<typeof StaffRoleSchema>;

/** Who is calling, as the authorizer established it and hands it to the route's Lambda. */
export const PrincipalSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('staff'),
    userId: UserIdSchema,
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

/**
 * Body of `PUT /v1/staff/{userId}/scope`: exactly one of `{"allClients": true}` (every client) or
 * `{"clientIds": [...]}` (those clients, each once; an empty list gives none). Never both, never neither.
 */
export const StaffScopeInputSchema = z
  .strictObject({
    allClients: z.literal(true, { error: 'true, or leave allClients out and list clientIds' }).optional(),
    clientIds: z.array(ClientIdSchema).max(1000).optional(),
  })
  .superRefine((scope, context) => {
    if ((scope.allClients === undefined) === (scope.clientIds === undefined)) {
      context.addIssue({ code: 'custom', path: [], message: 'give either "allClients": true or "clientIds": [...] (an empty list gives no client), not both' });
    }
    scope.clientIds?.forEach((clientId, index) => {
      if (scope.clientIds!.indexOf(clientId) !== index) context.addIssue({ code: 'custom', path: ['clientIds', index], message: `${clientId} is listed twice` });
    });
  });
export type StaffScopeInput = z.infer<typeof StaffScopeInputSchema>;

/** A staff member's client scope, kept in the table (never taken from token claims), with who set it and when. */
export const StaffScopeSchema = z.object({
  userId: UserIdSchema,
  allClients: z.literal(true).optional(),
  clientIds: z.array(ClientIdSchema).max(1000).optional(),
  updatedAt: IsoInstantSchema,
  updatedBy: z.string(),
});
export type StaffScope = z.infer<typeof StaffScopeSchema>;

/**
 * Whether a staff member may still use the API, read by the authorizer for every staff call: a disabled member is
 * refused, and so is every token issued before `tokensNotBefore` (set when the member is disabled or signed out, so a
 * token issued before a group change or a disabling stops working at once, not when it expires).
 */
export const StaffStatusSchema = z.object({
  userId: UserIdSchema,
  disabledAt: IsoInstantSchema.optional(),
  disabledBy: z.string().optional(),
  tokensNotBefore: IsoInstantSchema.optional(),
  updatedAt: IsoInstantSchema,
  updatedBy: z.string(),
});
export type StaffStatus = z.infer<typeof StaffStatusSchema>;

/** What the API shows of a staff member's status: `disabled` says it in one word; the rest is absent until a first change. */
export const StaffStatusViewSchema = StaffStatusSchema.partial().extend({ userId: UserIdSchema, disabled: z.boolean() });
export type StaffStatusView = z.infer<typeof StaffStatusViewSchema>;
