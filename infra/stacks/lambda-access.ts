import type { LambdaAccess } from '../../shared/http/routes';

/**
 * What each Lambda outside the route table may do, declared exactly like a route's `table` and `userPool`
 * (`shared/http/routes.ts`) and granted by the same `grantLambdaAccess`. Keyed by the file name in `functions/`.
 * The ingest, watchdog, GC, notifier and state-machine Lambdas of later issues add their line here.
 */
export const NON_ROUTE_LAMBDAS = {
  // An agent key: the agent by key hash through gsi2, then the agent itself (a consistent read). A staff token: the
  // staff member's scope and status, read together in one TransactGetItems.
  authorizer: { table: { agent: ['query:gsi2', 'get'], 'staff-scope': ['get'], 'staff-status': ['get'] } },
} as const satisfies Record<string, LambdaAccess>;
