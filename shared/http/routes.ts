import type { TableAccess } from '../adapters/dynamo/keys';
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
  /**
   * What the handler does to the table, by entity type (`shared/adapters/dynamo/keys.ts`): its Lambda may do exactly
   * that, on those entity types' partitions only (docs/infrastructure.md). Required, so a new route cannot forget it.
   */
  table: TableAccess;
  /** Cognito admin actions the handler calls on the staff user pool; granted on the pool's ARN only. */
  userPool?: readonly UserPoolAdminAction[];
}

/** Cognito admin actions a Lambda may be granted on the staff user pool (`cognito-idp:<action>`). */
export type UserPoolAdminAction = 'AdminDisableUser' | 'AdminEnableUser' | 'AdminUserGlobalSignOut' | 'AdminGetUser' | 'AdminListGroupsForUser';

/** What a Lambda may do, declared like a route's: Lambdas outside the route table use it too (`infra/stacks/lambda-access.ts`). */
export type LambdaAccess = Pick<RouteDefinition, 'table' | 'userPool'>;

const ADMIN = ['admin'] as const;
const STAFF = ['admin', 'technician', 'manager'] as const;
const OPERATORS = ['admin', 'technician'] as const;
const MANAGERS = ['admin', 'manager'] as const;

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: '/v1/contracts', handler: 'contracts-create', table: { contract: ['put', 'query:gsi1'], 'contract-periods': ['get', 'put'] }, access: { staff: ADMIN, agent: false }, summary: 'Create a contract' },
  { method: 'GET', path: '/v1/contracts', handler: 'contracts-list', table: { contract: ['query:gsi1'] }, access: { staff: STAFF, agent: false, clientIn: 'query' }, summary: "List a client's contracts" },
  { method: 'GET', path: '/v1/contracts/{contractId}', handler: 'contracts-get', table: { contract: ['get'] }, access: { staff: STAFF, agent: false }, summary: 'Read a contract' },
  { method: 'PUT', path: '/v1/contracts/{contractId}', handler: 'contracts-update', table: { contract: ['get', 'put', 'query:gsi1'], 'contract-periods': ['get', 'put'] }, access: { staff: ADMIN, agent: false }, summary: 'Replace a contract (If-Match required)' },
  { method: 'POST', path: '/v1/clients/{clientId}/agents', handler: 'agents-create', table: { contract: ['query:gsi1'], agent: ['get', 'put'], 'agent-key': ['put'], 'agent-host': ['get', 'update'] }, access: { staff: ADMIN, agent: false, clientIn: 'path' }, summary: 'Register a backup agent and return its key once' },
  { method: 'GET', path: '/v1/clients/{clientId}/agents', handler: 'agents-list', table: { agent: ['query:gsi1'] }, access: { staff: MANAGERS, agent: false, clientIn: 'path' }, summary: "List a client's agents" },
  { method: 'DELETE', path: '/v1/clients/{clientId}/agents/{agentId}', handler: 'agents-revoke', table: { agent: ['get', 'update'], 'agent-host': ['get', 'update'] }, access: { staff: ADMIN, agent: false, clientIn: 'path' }, summary: "Revoke an agent's key" },
  { method: 'POST', path: '/v1/clients/{clientId}/agents/{agentId}/rotate', handler: 'agents-rotate', table: { agent: ['get', 'put'], 'agent-key': ['put'] }, access: { staff: ADMIN, agent: false, clientIn: 'path' }, summary: "Give an agent a new key; the old one works for a grace period" },
  { method: 'GET', path: '/v1/clients/{clientId}/hosts/{host}/agent', handler: 'agents-self', table: { agent: ['get'], 'agent-host': ['get'] }, access: { staff: ADMIN, agent: true, clientIn: 'path' }, summary: "The host's active agent: what the calling agent is bound to (agent check-in)" },
  { method: 'PUT', path: '/v1/staff/{userId}/scope', handler: 'staff-scope-put', table: { 'staff-scope': ['put'] }, access: { staff: ADMIN, agent: false }, summary: "Set a staff member's client scope" },
  { method: 'GET', path: '/v1/staff/{userId}/scope', handler: 'staff-scope-get', table: { 'staff-scope': ['get'] }, access: { staff: ADMIN, agent: false }, summary: "Read a staff member's client scope" },
  { method: 'GET', path: '/v1/staff/{userId}/status', handler: 'staff-status-get', table: { 'staff-status': ['get'] }, access: { staff: ADMIN, agent: false }, summary: "Read whether a staff member is disabled or signed out" },
  { method: 'POST', path: '/v1/staff/{userId}/disable', handler: 'staff-disable', table: { 'staff-status': ['update'] }, userPool: ['AdminDisableUser'], access: { staff: ADMIN, agent: false }, summary: 'Disable a staff member: their tokens stop working at once' },
  { method: 'POST', path: '/v1/staff/{userId}/enable', handler: 'staff-enable', table: { 'staff-status': ['update'] }, userPool: ['AdminEnableUser'], access: { staff: ADMIN, agent: false }, summary: 'Enable a disabled staff member again (tokens issued before stay refused)' },
  { method: 'POST', path: '/v1/staff/{userId}/sign-out', handler: 'staff-sign-out', table: { 'staff-status': ['update'] }, userPool: ['AdminUserGlobalSignOut'], access: { staff: ADMIN, agent: false }, summary: "End a staff member's sessions: tokens issued until now stop working" },
  { method: 'POST', path: '/v1/contracts/{contractId}/interruptions', handler: 'interruptions-create', table: { contract: ['get'], interruption: ['put'] }, access: { staff: OPERATORS, agent: false }, summary: 'Record an interruption notified by the client' },
  { method: 'GET', path: '/v1/contracts/{contractId}/interruptions', handler: 'interruptions-list', table: { contract: ['get'], interruption: ['query'] }, access: { staff: STAFF, agent: false }, summary: "List a contract's interruptions" },
  { method: 'POST', path: '/v1/contracts/{contractId}/interruptions/{interruptionId}/restore', handler: 'interruptions-restore', table: { contract: ['get'], interruption: ['get', 'update'] }, access: { staff: OPERATORS, agent: false }, summary: "Record the provider's restoration notice" },
  { method: 'PATCH', path: '/v1/contracts/{contractId}/interruptions/{interruptionId}', handler: 'interruptions-classify', table: { contract: ['get'], interruption: ['get', 'put'] }, access: { staff: ADMIN, agent: false }, summary: 'Flag an interruption as planned or excluded' },
  { method: 'GET', path: '/v1/contracts/{contractId}/sla', handler: 'sla-report', table: { contract: ['get'], interruption: ['query'] }, access: { staff: MANAGERS, agent: false }, summary: 'SLA report of a year (JSON or CSV)' },
];

export const routeKey = (route: Pick<RouteDefinition, 'method' | 'path'>): string => `${route.method} ${route.path}`;

export const findRoute = (key: string): RouteDefinition | undefined => ROUTES.find((r) => routeKey(r) === key);
