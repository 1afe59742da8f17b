import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { restoreInterruption } from '../shared/domain/interruptions/interruption-service';
import { httpHandler } from '../shared/http/handler';
import { parseOptionalBody, parsePath, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { UlidSchema } from '../shared/schemas/common';
import { InterruptionRestoreSchema } from '../shared/schemas/interruption';

const deps = container();
const PathSchema = z.object({ contractId: UlidSchema, interruptionId: UlidSchema });

export const handler = httpHandler(async (event) => {
  const { contractId, interruptionId } = parsePath(event, PathSchema);
  const input = parseOptionalBody(event, InterruptionRestoreSchema);
  return json(200, await restoreInterruption(deps, principalOf(event), contractId, interruptionId, input));
});
