import { container } from '../shared/adapters/container';
import { listInterruptions } from '../shared/domain/interruptions/interruption-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['interruptions-list'], async ({ path, query: { limit, nextToken }, event }) =>
  json(200, await listInterruptions(deps, principalOf(event), path.contractId, { limit, nextToken })),
);
