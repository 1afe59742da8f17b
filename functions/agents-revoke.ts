import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { revokeAgent } from '../shared/domain/agents/agent-service';
import { httpHandler } from '../shared/http/handler';
import { parsePath } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ClientIdSchema, UlidSchema } from '../shared/schemas/common';

const deps = container();
const PathSchema = z.object({ clientId: ClientIdSchema, agentId: UlidSchema });

export const handler = httpHandler(async (event) => {
  const { clientId, agentId } = parsePath(event, PathSchema);
  return json(200, await revokeAgent(deps, clientId, agentId));
});
