import type { Clock } from '../clock';
import { ConflictError, NotFoundError } from '../errors';
import { actorOf } from '../access/authorize';
import type { StaffPrincipal, StaffScope, StaffScopeInput, StaffStatus, StaffStatusView } from '../../schemas/principal';
import type { StaffDirectory, StaffRepository, StaffStatusChange } from '../../ports/repositories';

export interface StaffDeps {
  staff: StaffRepository;
  directory: StaffDirectory;
  clock: Clock;
}

/** Records a staff member's client scope as stated (all clients, or the listed ones), with who set it and when. */
export async function setStaffScope(deps: Pick<StaffDeps, 'staff' | 'clock'>, principal: StaffPrincipal, userId: string, input: StaffScopeInput): Promise<StaffScope> {
  const scope: StaffScope = {
    userId,
    ...(input.allClients ? { allClients: true as const } : { clientIds: input.clientIds ?? [] }),
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: actorOf(principal),
  };
  await deps.staff.putScope(scope);
  return scope;
}

export async function getStaffScope(deps: Pick<StaffDeps, 'staff'>, userId: string): Promise<StaffScope> {
  const scope = await deps.staff.getScope(userId);
  if (!scope) throw new NotFoundError(`no scope recorded for ${userId}`);
  return scope;
}

/** A staff member's status as the API shows it; a member never disabled nor signed out has no record yet. */
export async function getStaffStatus(deps: Pick<StaffDeps, 'staff'>, userId: string): Promise<StaffStatusView> {
  return statusView(userId, await deps.staff.getStatus(userId));
}

const statusView = (userId: string, status: StaffStatus | undefined): StaffStatusView => ({ userId, ...status, disabled: status?.disabledAt !== undefined });

const DIRECTORY_CALL: Record<StaffStatusChange['action'], keyof StaffDirectory> = { disable: 'disable', enable: 'enable', 'sign-out': 'signOut' };

/**
 * Disables, re-enables or signs out a staff member, in the identity provider first (a user it does not know is a
 * 404 and nothing is written) and then in the table the authorizer reads on every call, which is what ends the
 * tokens already issued. Both steps are idempotent: a failure between them is mended by asking again.
 */
export async function changeStaffStatus(deps: StaffDeps, principal: StaffPrincipal, userId: string, action: StaffStatusChange['action']): Promise<StaffStatusView> {
  if (action !== 'enable' && userId === principal.userId) {
    throw new ConflictError(`you cannot ${action === 'disable' ? 'disable' : 'sign out'} yourself: ask another admin`);
  }
  await deps.directory[DIRECTORY_CALL[action]](userId);
  return statusView(userId, await deps.staff.updateStatus(userId, { action, at: deps.clock.now().toISOString(), by: actorOf(principal) }));
}
