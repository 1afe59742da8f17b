import { container } from '../shared/adapters/container';
import { changeStaffStatus } from '../shared/domain/staff/staff-service';
import { httpRoute } from '../shared/http/handler';
import { staffPrincipalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['staff-disable'], async ({ path: { userId }, event }) =>
  json(200, await changeStaffStatus(deps, staffPrincipalOf(event), userId, 'disable')),
);
