import { container } from '../shared/adapters/container';
import { getStaffStatus } from '../shared/domain/staff/staff-service';
import { httpRoute } from '../shared/http/handler';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['staff-status-get'], async ({ path: { userId } }) => json(200, await getStaffStatus(deps, userId)));
