import { container } from '../shared/adapters/container';
import { actorOf } from '../shared/domain/access/authorize';
import { createContract, etagOf } from '../shared/domain/contracts/contract-service';
import { httpRoute } from '../shared/http/handler';
import { principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['contracts-create'], async ({ body, event }) => {
  const contract = await createContract(deps, body, actorOf(principalOf(event)));
  return json(201, contract, { etag: etagOf(contract), location: `/v1/contracts/${contract.id}` });
});
