import { container } from '../shared/adapters/container';
import { setStaffScope } from '../shared/domain/staff/staff-service';
import { httpRoute } from '../shared/http/handler';
import { staffPrincipalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['staff-scope-put'], async ({ path: { userId }, body, event }) =>
  json(200, await setStaffScope(deps, staffPrincipalOf(event), userId, body)),
);
