import { container } from '../shared/adapters/container';
import { classifyInterruption } from '../shared/domain/interruptions/interruption-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['interruptions-classify'], async ({ path, body, event }) =>
  json(200, await classifyInterruption(deps, principalOf(event), path.contractId, path.interruptionId, body)),
);
