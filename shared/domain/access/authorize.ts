import type { Principal, StaffRole } from '../../schemas/principal';

/** Who may call a route, and where the route names the client it touches. */
export interface RouteAccess {
  staff: readonly StaffRole[];
  /** Agents may call it for their own client (and host, when the route names one). */
  agent: boolean;
  /** Where the client id is read to check scope before the handler runs; absent when the handler checks it. */
  clientIn?: 'path' | 'query';
}

export interface RouteRequest {
  pathParameters: Readonly<Record<string, string | undefined>>;
  queryStringParameters: Readonly<Record<string, string | undefined>>;
}

export type AccessDecision = { allow: true } | { allow: false; reason: string };

/** How a change records who made it: the staff member's id, or `agent:<id>`. */
export const actorOf = (principal: Principal): string => (principal.kind === 'staff' ? principal.userId : `agent:${principal.agentId}`);

export const canSeeClient = (principal: Principal, clientId: string): boolean => {
  if (principal.kind === 'agent') return principal.clientId === clientId;
  if (principal.role === 'admin' || principal.clientScope === 'all') return true;
  return principal.clientScope.includes(clientId);
};

export function authorize(principal: Principal, access: RouteAccess, request: RouteRequest): AccessDecision {
  if (principal.kind === 'agent') {
    if (!access.agent) return { allow: false, reason: 'agents may not call this route' };
    const clientId = request.pathParameters['clientId'];
    if (clientId !== principal.clientId) return { allow: false, reason: 'agent key bound to another client' };
    const host = request.pathParameters['host'];
    // Host names do not tell case apart (the key's host is stored in lower case).
    if (host !== undefined && host.toLowerCase() !== principal.host) return { allow: false, reason: 'agent key bound to another host' };
    return { allow: true };
  }
  if (!access.staff.includes(principal.role)) return { allow: false, reason: `role ${principal.role} may not call this route` };
  if (access.clientIn !== undefined) {
    const source = access.clientIn === 'path' ? request.pathParameters : request.queryStringParameters;
    const clientId = source['clientId'];
    // A missing client id is the handler's 400 to give, not a scope question.
    if (clientId !== undefined && !canSeeClient(principal, clientId)) {
      return { allow: false, reason: 'client outside the caller scope' };
    }
  }
  return { allow: true };
}

/** The role a staff member acts with when the identity provider lists several groups: the widest. */
export function effectiveRole(groups: readonly string[]): StaffRole | undefined {
  const order: StaffRole[] = ['admin', 'manager', 'technician'];
  return order.find((role) => groups.includes(role));
}
