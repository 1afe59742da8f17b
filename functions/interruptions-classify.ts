import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { classifyInterruption } from '../shared/domain/interruptions/interruption-service';
import { httpHandler } from '../shared/http/handler';
import { parseBody, parsePath, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { UlidSchema } from '../shared/schemas/common';
import { InterruptionClassificationSchema } from '../shared/schemas/interruption';

const deps = container();
const PathSchema = z.object({ contractId: UlidSchema, interruptionId: UlidSchema });

export const handler = httpHandler(async (event) => {
  const { contractId, interruptionId } = parsePath(event, PathSchema);
  const input = parseBody(event, InterruptionClassificationSchema);
  return json(200, await classifyInterruption(deps, principalOf(event), contractId, interruptionId, input));
});
