import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { etagOf, replaceContract, versionFromIfMatch } from '../shared/domain/contracts/contract-service';
import { httpHandler } from '../shared/http/handler';
import { header, parseBody, parsePath, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { UlidSchema } from '../shared/schemas/common';
import { ContractReplaceSchema } from '../shared/schemas/contract';

const deps = container();
const PathSchema = z.object({ contractId: UlidSchema });

export const handler = httpHandler(async (event) => {
  const { contractId } = parsePath(event, PathSchema);
  const expectedVersion = versionFromIfMatch(header(event, 'if-match'));
  const input = parseBody(event, ContractReplaceSchema);
  const contract = await replaceContract(deps, principalOf(event), contractId, input, expectedVersion);
  return json(200, contract, { etag: etagOf(contract) });
});
