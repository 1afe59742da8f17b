import { container } from '../shared/adapters/container';
import { agentBoundToHost } from '../shared/domain/agents/agent-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

/** The agent's check-in: the host's active agent, which is the caller itself for an agent (an admin may look too). */
export const handler = httpRoute(ROUTE_INPUTS['agents-self'], async ({ path: { clientId, host }, event }) =>
  json(200, await agentBoundToHost(deps, principalOf(event), clientId, host)),
);
