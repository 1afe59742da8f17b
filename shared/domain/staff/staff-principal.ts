import type { StaffPrincipal, StaffStatus } from '../../schemas/principal';
import type { StaffRepository } from '../../ports/repositories';
import { effectiveRole } from '../access/authorize';

/** A staff member's identity as the token verifier established it. */
export interface StaffIdentity {
  userId: string;
  groups: readonly string[];
  /** When the token was issued (its `iat`). */
  issuedAt: Date;
}

export type StaffResolution =
  | { outcome: 'known'; principal: StaffPrincipal }
  /** A valid identity without any Vigie group: known, but may do nothing (403). */
  | { outcome: 'no-role' }
  /** The member is disabled, or the token predates their last disabling or sign-out: as good as no token (401). */
  | { outcome: 'revoked'; reason: string };

/** Why a token of `status`'s member issued at `issuedAt` may no longer be used, or undefined when it may. */
export function revocationOf(status: StaffStatus | undefined, issuedAt: Date): string | undefined {
  if (status?.disabledAt !== undefined) return `staff member disabled at ${status.disabledAt}`;
  if (status?.tokensNotBefore !== undefined && issuedAt.getTime() < new Date(status.tokensNotBefore).getTime()) {
    return `token issued before ${status.tokensNotBefore}, when the member was signed out`;
  }
  return undefined;
}

/**
 * Builds a staff principal from a verified identity: the role comes from the identity provider's groups, the client
 * scope and the status only from our table (one read, for every staff call, admins included: a disabled admin is
 * refused at once, not when the token expires). Without a scope record a non-admin sees no client.
 */
export async function resolveStaffPrincipal(staff: Pick<StaffRepository, 'accessOf'>, identity: StaffIdentity): Promise<StaffResolution> {
  const role = effectiveRole(identity.groups);
  if (role === undefined) return { outcome: 'no-role' };
  const { scope, status } = await staff.accessOf(identity.userId);
  const revoked = revocationOf(status, identity.issuedAt);
  if (revoked !== undefined) return { outcome: 'revoked', reason: revoked };
  const clientScope = role === 'admin' || scope?.allClients === true ? 'all' : (scope?.clientIds ?? []);
  return { outcome: 'known', principal: { kind: 'staff', userId: identity.userId, role, clientScope } };
}
