import type { StaffPrincipal, StaffScope } from '../../schemas/principal';
import type { StaffScopeRepository } from '../../ports/repositories';
import { effectiveRole } from '../access/authorize';

/**
 * Builds a staff principal from a verified identity: the role comes from the identity provider's groups,
 * the client scope only from our table. Without a scope record a non-admin sees no client.
 */
export async function resolveStaffPrincipal(
  scopes: StaffScopeRepository,
  userId: string,
  groups: readonly string[],
): Promise<StaffPrincipal | undefined> {
  const role = effectiveRole(groups);
  if (role === undefined) return undefined;
  if (role === 'admin') return { kind: 'staff', userId, role, clientScope: 'all' };
  const scope: StaffScope | undefined = await scopes.get(userId);
  const clientScope = scope?.allClients ? 'all' : (scope?.clientIds ?? []);
  return { kind: 'staff', userId, role, clientScope };
}
