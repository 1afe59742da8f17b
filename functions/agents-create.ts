import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { actorOf } from '../shared/domain/access/authorize';
import { registerAgent } from '../shared/domain/agents/agent-service';
import { httpHandler } from '../shared/http/handler';
import { parseBody, parsePath, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { AgentCreateInputSchema } from '../shared/schemas/agent';
import { ClientIdSchema } from '../shared/schemas/common';

const deps = container();
const PathSchema = z.object({ clientId: ClientIdSchema });

export const handler = httpHandler(async (event) => {
  const { clientId } = parsePath(event, PathSchema);
  const { host } = parseBody(event, AgentCreateInputSchema);
  const { agent, apiKey } = await registerAgent(deps, clientId, host, actorOf(principalOf(event)));
  return json(201, { ...agent, apiKey }, { 'cache-control': 'no-store' });
});
