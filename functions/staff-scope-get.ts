import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { NotFoundError } from '../shared/domain/errors';
import { httpHandler } from '../shared/http/handler';
import { parsePath } from '../shared/http/request';
import { json } from '../shared/http/response';
import { StaffScopeSchema } from '../shared/schemas/principal';

const deps = container();
const PathSchema = z.object({ userId: StaffScopeSchema.shape.userId });

export const handler = httpHandler(async (event) => {
  const { userId } = parsePath(event, PathSchema);
  const scope = await deps.staffScopes.get(userId);
  if (!scope) throw new NotFoundError(`no scope recorded for ${userId}`);
  return json(200, scope);
});
