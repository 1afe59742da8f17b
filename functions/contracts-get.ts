import { container } from '../shared/adapters/container';
import { etagOf, getContract } from '../shared/domain/contracts/contract-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['contracts-get'], async ({ path, event }) => {
  const contract = await getContract(deps, principalOf(event), path.contractId);
  return json(200, contract, { etag: etagOf(contract) });
});
