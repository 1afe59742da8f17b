import { container } from '../shared/adapters/container';
import { revokeAgent } from '../shared/domain/agents/agent-service';
import { httpRoute } from '../shared/http/handler';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['agents-revoke'], async ({ path: { clientId, agentId } }) => json(200, await revokeAgent(deps, clientId, agentId)));
