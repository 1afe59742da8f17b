import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { listInterruptions } from '../shared/domain/interruptions/interruption-service';
import { httpHandler } from '../shared/http/handler';
import { parsePath, principalOf } from '../shared/http/request';
import { json } from '../shared/http/response';
import { UlidSchema } from '../shared/schemas/common';

const deps = container();
const PathSchema = z.object({ contractId: UlidSchema });

export const handler = httpHandler(async (event) => {
  const { contractId } = parsePath(event, PathSchema);
  return json(200, { items: await listInterruptions(deps, principalOf(event), contractId) });
});
