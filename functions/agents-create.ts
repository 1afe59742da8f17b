import { z } from 'zod';
import { container } from '../shared/adapters/container';
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
  const principal = principalOf(event);
  const createdBy = principal.kind === 'staff' ? principal.userId : principal.agentId;
  const { agent, apiKey } = await registerAgent(deps, clientId, host, createdBy);
  return json(201, { ...agent, apiKey }, { 'cache-control': 'no-store' });
});
