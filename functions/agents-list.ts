import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { listAgents } from '../shared/domain/agents/agent-service';
import { httpHandler } from '../shared/http/handler';
import { parsePath } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ClientIdSchema } from '../shared/schemas/common';

const deps = container();
const PathSchema = z.object({ clientId: ClientIdSchema });

export const handler = httpHandler(async (event) => {
  const { clientId } = parsePath(event, PathSchema);
  return json(200, { items: await listAgents(deps, clientId) });
});
