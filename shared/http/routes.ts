import type { RouteAccess } from '../domain/access/authorize';

/**
 * Every route of the HTTP API, in one table read by the CDK (one Lambda per route), by the
 * authorizer (who may call what) and by the local runtime (which handler serves what).
 */
export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** File name in `functions/` (without `.ts`) that exports `handler`. */
  handler: string;
  access: RouteAccess;
  summary: string;
}

const ADMIN = ['admin'] as const;
const STAFF = ['admin', 'technician', 'manager'] as const;
const OPERATORS = ['admin', 'technician'] as const;
const MANAGERS = ['admin', 'manager'] as const;

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v1/contracts', handler: 'contracts-create', access: { staff: ADMIN, agent: false }, summary: 'Create a contract' },
  { method: 'GET', path: '/v1/contracts', handler: 'contracts-list', access: { staff: STAFF, agent: false, clientIn: 'query' }, summary: "List a client's contracts" },
  { method: 'GET', path: '/v1/contracts/{contractId}', handler: 'contracts-get', access: { staff: STAFF, agent: false }, summary: 'Read a contract' },
  { method: 'PUT', path: '/v1/contracts/{contractId}', handler: 'contracts-update', access: { staff: ADMIN, agent: false }, summary: 'Replace a contract (If-Match required)' },
  { method: 'POST', path: '/v1/clients/{clientId}/agents', handler: 'agents-create', access: { staff: ADMIN, agent: false, clientIn: 'path' }, summary: 'Register a backup agent and return its key once' },
  { method: 'GET', path: '/v1/clients/{clientId}/agents', handler: 'agents-list', access: { staff: MANAGERS, agent: false, clientIn: 'path' }, summary: "List a client's agents" },
  { method: 'DELETE', path: '/v1/clients/{clientId}/agents/{agentId}', handler: 'agents-revoke', access: { staff: ADMIN, agent: false, clientIn: 'path' }, summary: "Revoke an agent's key" },
  { method: 'GET', path: '/v1/clients/{clientId}/hosts/{host}/agent', handler: 'agents-self', access: { staff: ADMIN, agent: true, clientIn: 'path' }, summary: 'What the calling agent is bound to (agent check-in)' },
  { method: 'PUT', path: '/v1/staff/{userId}/scope', handler: 'staff-scope-put', access: { staff: ADMIN, agent: false }, summary: "Set a staff member's client scope" },
  { method: 'GET', path: '/v1/staff/{userId}/scope', handler: 'staff-scope-get', access: { staff: ADMIN, agent: false }, summary: "Read a staff member's client scope" },
  { method: 'POST', path: '/v1/contracts/{contractId}/interruptions', handler: 'interruptions-create', access: { staff: OPERATORS, agent: false }, summary: 'Record an interruption notified by the client' },
  { method: 'GET', path: '/v1/contracts/{contractId}/interruptions', handler: 'interruptions-list', access: { staff: STAFF, agent: false }, summary: "List a contract's interruptions" },
  { method: 'POST', path: '/v1/contracts/{contractId}/interruptions/{interruptionId}/restore', handler: 'interruptions-restore', access: { staff: OPERATORS, agent: false }, summary: "Record the provider's restoration notice" },
  { method: 'PATCH', path: '/v1/contracts/{contractId}/interruptions/{interruptionId}', handler: 'interruptions-classify', access: { staff: ADMIN, agent: false }, summary: 'Flag an interruption as planned or excluded' },
  { method: 'GET', path: '/v1/contracts/{contractId}/sla', handler: 'sla-report', access: { staff: MANAGERS, agent: false }, summary: 'SLA report of a year (JSON or CSV)' },
];

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export const findRoute = (key: string): RouteDefinition | undefined => ROUTES.find((r) => routeKey(r) === key);
