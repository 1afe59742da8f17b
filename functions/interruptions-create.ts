import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { recordInterruption } from '../shared/domain/interruptions/interruption-service';
import { httpHandler } from '../shared/http/handler';
import { parseBody, parsePath, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { UlidSchema } from '../shared/schemas/common';
import { InterruptionCreateSchema } from '../shared/schemas/interruption';

const deps = container();
const PathSchema = z.object({ contractId: UlidSchema });

export const handler = httpHandler(async (event) => {
  const { contractId } = parsePath(event, PathSchema);
  const interruption = await recordInterruption(deps, principalOf(event), contractId, parseBody(event, InterruptionCreateSchema));
  return json(201, interruption, { location: `/v1/contracts/${contractId}/interruptions/${interruption.id}` });
});
