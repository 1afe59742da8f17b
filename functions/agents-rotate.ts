import { container } from '../shared/adapters/container';
import { actorOf } from '../shared/domain/access/authorize';
import { rotateAgentKey } from '../shared/domain/agents/agent-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['agents-rotate'], async ({ path: { clientId, agentId }, body, event }) => {
  const { agent, apiKey } = await rotateAgentKey(deps, clientId, agentId, body, actorOf(principalOf(event)));
  return json(200, { ...agent, apiKey }, { 'cache-control': 'no-store' });
});
