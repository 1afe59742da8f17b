import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { agentsBoundToHost } from '../shared/domain/agents/agent-service';
import { httpHandler } from '../shared/http/handler';
import { parsePath, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ClientIdSchema, HostNameSchema } from '../shared/schemas/common';

const deps = container();
const PathSchema = z.object({ clientId: ClientIdSchema, host: HostNameSchema });

/** The agent's check-in: which client and host its key is bound to (an admin may look too). */
export const handler = httpHandler(async (event) => {
  const { clientId, host } = parsePath(event, PathSchema);
  return json(200, { items: await agentsBoundToHost(deps, principalOf(event), clientId, host) });
});
