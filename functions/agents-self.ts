import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { agentView } from '../shared/domain/agents/agent-service';
import { NotFoundError } from '../shared/domain/errors';
import { httpHandler } from '../shared/http/handler';
import { parsePath, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ClientIdSchema, HostNameSchema } from '../shared/schemas/common';

const deps = container();
const PathSchema = z.object({ clientId: ClientIdSchema, host: HostNameSchema });

/** The agent's check-in: which client and host its key is bound to (an admin may look too). */
export const handler = httpHandler(async (event) => {
  const { clientId, host } = parsePath(event, PathSchema);
  const principal = principalOf(event);
  const agents = principal.kind === 'agent' ? [await deps.agents.get(clientId, principal.agentId)] : await deps.agents.listByClient(clientId);
  const bound = agents.filter((a) => a !== undefined && a.host === host && a.revokedAt === undefined).map((a) => agentView(a!));
  if (bound.length === 0) throw new NotFoundError(`no active agent for host ${host} of client ${clientId}`);
  return json(200, { items: bound });
});
