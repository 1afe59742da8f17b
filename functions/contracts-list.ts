import { container } from '../shared/adapters/container';
import { listContracts } from '../shared/domain/contracts/contract-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['contracts-list'], async ({ query: { clientId, limit, nextToken }, event }) =>
  json(200, await listContracts(deps, principalOf(event), clientId, { limit, nextToken })),
);
