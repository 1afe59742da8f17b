import { container } from '../shared/adapters/container';
import { recordInterruption } from '../shared/domain/interruptions/interruption-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['interruptions-create'], async ({ path: { contractId }, body, event }) => {
  const interruption = await recordInterruption(deps, principalOf(event), contractId, body);
  return json(201, interruption, { location: `/v1/contracts/${contractId}/interruptions/${interruption.id}` });
});
