import type { LambdaAccess } from '../../shared/http/routes';

/**
 * What each Lambda outside the route table may do, declared exactly like a route's `table` and `userPool`
 * (`shared/http/routes.ts`) and granted by the same `grantLambdaAccess`. Keyed by the file name in `functions/`.
 * The ingest, watchdog, GC, notifier and state-machine Lambdas of later issues add their line here.
 */
export const NON_ROUTE_LAMBDAS = {
  // An agent key: the key's lookup item, then the agent itself (both consistent reads). A staff token: the staff
  // member's scope and status, read together in one TransactGetItems.
  authorizer: { table: { 'agent-key': ['get'], agent: ['get'], 'staff-scope': ['get'], 'staff-status': ['get'] } },
} as const satisfies Record<string, LambdaAccess>;
