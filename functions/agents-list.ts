import { container } from '../shared/adapters/container';
import { listAgents } from '../shared/domain/agents/agent-service';
import { httpRoute } from '../shared/http/handler';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['agents-list'], async ({ path: { clientId }, query: { limit, nextToken } }) =>
  json(200, await listAgents(deps, clientId, { limit, nextToken })),
);
