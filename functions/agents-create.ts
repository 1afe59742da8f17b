import { container } from '../shared/adapters/container';
import { actorOf } from '../shared/domain/access/authorize';
import { registerAgent } from '../shared/domain/agents/agent-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['agents-create'], async ({ path: { clientId }, body: { host }, event }) => {
  const { agent, apiKey } = await registerAgent(deps, clientId, host, actorOf(principalOf(event)));
  return json(201, { ...agent, apiKey }, { 'cache-control': 'no-store' });
});
