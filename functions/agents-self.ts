import { container } from '../shared/adapters/container';
import { agentsBoundToHost } from '../shared/domain/agents/agent-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

/** The agent's check-in: which client and host its key is bound to (an admin may look too). */
export const handler = httpRoute(ROUTE_INPUTS['agents-self'], async ({ path: { clientId, host }, event }) =>
  json(200, { items: await agentsBoundToHost(deps, principalOf(event), clientId, host) }),
);
