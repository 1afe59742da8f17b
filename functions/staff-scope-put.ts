import { z } from 'zod';
import { container } from '../shared/adapters/container';
import { httpHandler } from '../shared/http/handler';
import { parseBody, parsePath } from '../shared/http/request';
import { json } from '../shared/http/response';
import { StaffScopeInputSchema, StaffScopeSchema, type StaffScope } from '../shared/schemas/principal';

const deps = container();
const PathSchema = z.object({ userId: StaffScopeSchema.shape.userId });

export const handler = httpHandler(async (event) => {
  const { userId } = parsePath(event, PathSchema);
  // Both halves are already parsed: parsing the whole again could only fail as a 500 after the request was accepted.
  const scope: StaffScope = { userId, ...parseBody(event, StaffScopeInputSchema) };
  await deps.staffScopes.put(scope);
  return json(200, scope);
});
