import { container } from '../shared/adapters/container';
import { actorOf } from '../shared/domain/access/authorize';
import { revokeAgent } from '../shared/domain/agents/agent-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['agents-revoke'], async ({ path: { clientId, agentId }, event }) =>
  json(200, await revokeAgent(deps, clientId, agentId, actorOf(principalOf(event)))),
);
