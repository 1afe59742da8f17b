import { container } from '../shared/adapters/container';
import { listContracts } from '../shared/domain/contracts/contract-service';
import { httpHandler } from '../shared/http/handler';
import { parseQuery, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ClientIdSchema, PageQuerySchema } from '../shared/schemas/common';

const deps = container();
const QuerySchema = PageQuerySchema.extend({ clientId: ClientIdSchema });

export const handler = httpHandler(async (event) => {
  const { clientId, limit, nextToken } = parseQuery(event, QuerySchema);
  return json(200, await listContracts(deps, principalOf(event), clientId, { limit, nextToken }));
});
