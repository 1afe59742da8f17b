import { container } from '../shared/adapters/container';
import { createContract, etagOf } from '../shared/domain/contracts/contract-service';
import { httpHandler } from '../shared/http/handler';
import { parseBody } from '../shared/http/request';
import { json } from '../shared/http/response';
import { ContractInputSchema } from '../shared/schemas/contract';

const deps = container();

export const handler = httpHandler(async (event) => {
  const contract = await createContract(deps, parseBody(event, ContractInputSchema));
  return json(201, contract, { etag: etagOf(contract), location: `/v1/contracts/${contract.id}` });
});
