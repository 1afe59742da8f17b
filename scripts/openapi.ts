import './zod-openapi-setup';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ROUTE_INPUTS, type RouteHandlerName, type RouteInput } from '../shared/http/route-inputs';
import { ROUTES, routeKey } from '../shared/http/routes';
import { AgentCreatedSchema, AgentPageSchema, AgentViewSchema } from '../shared/schemas/agent';
import { ClientIdSchema, ErrorBodySchema, UlidSchema } from '../shared/schemas/common';
import { ContractInputSchema, ContractPageSchema, ContractSchema } from '../shared/schemas/contract';
import { InterruptionRecordSchema } from '../shared/schemas/interruption';
import { StaffScopeSchema, StaffStatusViewSchema } from '../shared/schemas/principal';
import { SlaReportSchema } from '../shared/domain/sla';

/**
 * The OpenAPI document, generated from the same zod schemas the handlers parse with.
 * `npm run docs:openapi` writes it to docs/openapi.json; a test keeps that file in step.
 */
interface Operation {
  headers?: z.ZodObject;
  ok: { status: number; schema?: z.ZodType; description: string };
  errors: number[];
}

/**
 * What each route answers. What it accepts (path, query, body) is not repeated here: it comes from
 * shared/http/route-inputs.ts, the schemas the handlers parse with.
 */
export function buildOpenApiDocument(extraOperations: Record<string, Operation> = {}) {
  const registry = new OpenAPIRegistry();
  const Error = registry.register('Error', ErrorBodySchema);
  const GatewayError = registry.register('GatewayError', z.object({ message: z.string() }));
  const Contract = registry.register('Contract', ContractSchema);
  const ContractInput = registry.register('ContractInput', ContractInputSchema);
  // Bodies shown by reference to their component rather than inlined in each operation.
  const components = new Map<z.ZodType, z.ZodType>([[ContractInputSchema, ContractInput]]);
  const AgentView = registry.register('Agent', AgentViewSchema);
  const StaffScope = registry.register('StaffScope', StaffScopeSchema);
  const StaffStatus = registry.register('StaffStatus', StaffStatusViewSchema);
  const Interruption = registry.register('Interruption', InterruptionRecordSchema);
  const SlaReport = registry.register('SlaReport', SlaReportSchema.extend({ contractId: UlidSchema, clientId: ClientIdSchema }));

  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A staff access token (Cognito user pool; the local issuer in local mode) or an agent API key `vigie_<agentId>_<secret>`.',
  });

  const staffStatus = (description: string): Operation => ({ ok: { status: 200, schema: StaffStatus, description }, errors: [400, 404, 409] });
  const operations: Record<string, Operation> = {
    'POST /v1/contracts': { ok: { status: 201, schema: Contract, description: 'Created; ETag and Location set' }, errors: [400, 409] },
    'GET /v1/contracts': { ok: { status: 200, schema: ContractPageSchema, description: "A page of the client's contracts, oldest first" }, errors: [400] },
    'GET /v1/contracts/{contractId}': { ok: { status: 200, schema: Contract, description: 'The contract; ETag set' }, errors: [400, 404] },
    'PUT /v1/contracts/{contractId}': {
      headers: z.object({ 'if-match': z.string().describe('The ETag of your last GET, e.g. "3"') }),
      ok: { status: 200, schema: Contract, description: 'Replaced; new ETag set' },
      errors: [400, 404, 409, 428],
    },
    'POST /v1/clients/{clientId}/agents': {
      ok: { status: 201, schema: AgentCreatedSchema, description: 'The agent and its API key, shown only this once' },
      errors: [400, 404, 409],
    },
    'GET /v1/clients/{clientId}/agents': { ok: { status: 200, schema: AgentPageSchema, description: "A page of the client's agents, oldest first" }, errors: [400] },
    'POST /v1/clients/{clientId}/agents/{agentId}/rotate': {
      ok: { status: 200, schema: AgentCreatedSchema, description: 'The new key, shown only this once; the previous one works until previousKeyRetiresAt' },
      errors: [400, 404, 409],
    },
    'DELETE /v1/clients/{clientId}/agents/{agentId}': { ok: { status: 200, schema: AgentView, description: 'Revoked (idempotent)' }, errors: [400, 404] },
    'GET /v1/clients/{clientId}/hosts/{host}/agent': { ok: { status: 200, schema: AgentView, description: "The host's active agent (host names in any case)" }, errors: [400, 404] },
    'PUT /v1/staff/{userId}/scope': { ok: { status: 200, schema: StaffScope, description: 'The scope now recorded' }, errors: [400] },
    'GET /v1/staff/{userId}/scope': { ok: { status: 200, schema: StaffScope, description: 'The recorded scope' }, errors: [400, 404] },
    'GET /v1/staff/{userId}/status': { ok: { status: 200, schema: StaffStatus, description: 'Whether the member is disabled, and since when tokens count' }, errors: [400] },
    'POST /v1/staff/{userId}/disable': staffStatus('Disabled in the user pool and here; every token of the member is refused from now on'),
    'POST /v1/staff/{userId}/enable': staffStatus('Enabled again; tokens issued before the disabling stay refused'),
    'POST /v1/staff/{userId}/sign-out': staffStatus('Refresh tokens revoked; access tokens issued until now are refused'),
    'POST /v1/contracts/{contractId}/interruptions': { ok: { status: 201, schema: Interruption, description: 'Recorded; GTR and IMS count from notifiedAt' }, errors: [400, 404, 409] },
    'GET /v1/contracts/{contractId}/interruptions': {
      ok: { status: 200, schema: z.object({ items: z.array(Interruption), nextToken: z.string().optional() }), description: 'A page, oldest first' },
      errors: [400, 404],
    },
    'POST /v1/contracts/{contractId}/interruptions/{interruptionId}/restore': {
      ok: { status: 200, schema: Interruption, description: 'Restoration recorded (the same notice twice is harmless; another one is 409)' },
      errors: [400, 404, 409],
    },
    'PATCH /v1/contracts/{contractId}/interruptions/{interruptionId}': {
      ok: { status: 200, schema: Interruption, description: 'Classification recorded with who made it and when' },
      errors: [400, 404, 409],
    },
    'GET /v1/contracts/{contractId}/sla': {
      ok: { status: 200, schema: SlaReport, description: 'The report (JSON; `format=csv` gives text/csv, one row per interruption and summary rows)' },
      errors: [400, 404, 409],
    },
    ...extraOperations,
  };

  const errorDescriptions: Record<number, string> = {
    400: 'Invalid input; `details` names each bad field',
    415: 'The body is not `application/json` in UTF-8',
    403: 'Outside your client scope (handler) — the gateway answers `{"message":"Forbidden"}` for a wrong role',
    404: 'Not found',
    409: 'Conflict (stale ETag, overlapping contract)',
    428: 'If-Match required',
  };

  for (const route of ROUTES) {
    const key = routeKey(route);
    const op = operations[key];
    if (!op) throw new globalThis.Error(`no OpenAPI description for ${key}`);
    const input: RouteInput = ROUTE_INPUTS[route.handler as RouteHandlerName];
    if (!input) throw new globalThis.Error(`no declared inputs for ${key} (shared/http/route-inputs.ts)`);
    const roles = [...route.access.staff, ...(route.access.agent ? ['agent'] : [])].join(', ');
    registry.registerPath({
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete',
      path: route.path,
      operationId: route.handler,
      summary: route.summary,
      description: `Allowed: ${roles}.`,
      security: [{ bearer: [] }],
      request: {
        ...(input.path ? { params: input.path as z.ZodObject } : {}),
        ...(input.query ? { query: input.query as z.ZodObject } : {}),
        ...(op.headers ? { headers: op.headers } : {}),
        ...(input.body
          ? { body: { content: { 'application/json; charset=utf-8': { schema: components.get(input.body.schema) ?? input.body.schema } }, required: input.body.kind === 'json' } }
          : {}),
      },
      responses: {
        [op.ok.status]: { description: op.ok.description, ...(op.ok.schema ? { content: { 'application/json': { schema: op.ok.schema } } } : {}) },
        401: { description: 'Missing or invalid credentials (gateway body)', content: { 'application/json': { schema: GatewayError } } },
        ...Object.fromEntries(
          [...new Set([403, ...op.errors, ...(input.body ? [415] : [])])].sort((a, b) => a - b).map((status) => [status, { description: errorDescriptions[status] ?? 'Error', content: { 'application/json': { schema: Error } } }]),
        ),
      },
    });
  }

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Vigie API',
      version: '1.0.0',
      description: 'Contracts, agents and SLA state of the Vigie managed-services backend. Generated from the zod schemas: do not edit by hand.',
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'npm start' }],
  });
}
