import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { etagOf, getContract } from '../shared/domain/contracts/contract-service';
import { httpHandler } from '../shared/http/handler';
import { parsePath, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { UlidSchema } from '../shared/schemas/common';

const deps = container();
const PathSchema = z.object({ contractId: UlidSchema });

export const handler = httpHandler(async (event) => {
  const { contractId } = parsePath(event, PathSchema);
  const contract = await getContract(deps, principalOf(event), contractId);
  return json(200, contract, { etag: etagOf(contract) });
});
