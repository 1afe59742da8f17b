import { container } from '../shared/adapters/container';
import { etagOf, replaceContract, versionFromIfMatch } from '../shared/domain/contracts/contract-service';
import { httpRoute } from '../shared/http/handler';
import { header, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ROUTE_INPUTS } from '../shared/http/route-inputs';

const deps = container();

export const handler = httpRoute(ROUTE_INPUTS['contracts-update'], async ({ path, body, event }) => {
  const expectedVersion = versionFromIfMatch(header(event, 'if-match'));
  const contract = await replaceContract(deps, principalOf(event), path.contractId, body, expectedVersion);
  return json(200, contract, { etag: etagOf(contract) });
});
