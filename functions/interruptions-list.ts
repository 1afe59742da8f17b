import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { listInterruptions } from '../shared/domain/interruptions/interruption-service';
import { httpHandler } from '../shared/http/handler';
import { parsePath, parseQuery, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { PageQuerySchema, UlidSchema } from '../shared/schemas/common';

const deps = container();
const PathSchema = z.object({ contractId: UlidSchema });

export const handler = httpHandler(async (event) => {
  const { contractId } = parsePath(event, PathSchema);
  const { limit, nextToken } = parseQuery(event, PageQuerySchema);
  return json(200, await listInterruptions(deps, principalOf(event), contractId, { limit, nextToken }));
});
