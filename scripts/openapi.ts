import './zod-openapi-setup';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ROUTES, routeKey } from '../shared/http/routes';
import { AgentCreateInputSchema, AgentCreatedSchema, AgentViewSchema } from '../shared/schemas/agent';
import { ClientIdSchema, ErrorBodySchema, HostNameSchema, PageQuerySchema, UlidSchema } from '../shared/schemas/common';
import { ContractInputSchema, ContractPageSchema, ContractSchema } from '../shared/schemas/contract';
import { StaffScopeInputSchema, StaffScopeSchema } from '../shared/schemas/principal';
import {
  InterruptionClassificationSchema,
  InterruptionCreateSchema,
  InterruptionRecordSchema,
  InterruptionRestoreSchema,
  SlaReportQuerySchema,
} from '../shared/schemas/interruption';
import { SlaReportSchema } from '../shared/domain/sla';

/**
 * The OpenAPI document, generated from the same zod schemas the handlers parse with.
 * `npm run docs:openapi` writes it to docs/openapi.json; a test keeps that file in step.
 */
interface Operation {
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  ok: { status: number; schema?: z.ZodType; description: string };
  errors: number[];
}

export function buildOpenApiDocument(extraOperations: Record<string, Operation> = {}) {
  const registry = new OpenAPIRegistry();
  const Error = registry.register('Error', ErrorBodySchema);
  const GatewayError = registry.register('GatewayError', z.object({ message: z.string() }));
  const Contract = registry.register('Contract', ContractSchema);
  const ContractInput = registry.register('ContractInput', ContractInputSchema);
  const AgentView = registry.register('Agent', AgentViewSchema);
  const StaffScope = registry.register('StaffScope', StaffScopeSchema);
  const Interruption = registry.register('Interruption', InterruptionRecordSchema);
  const SlaReport = registry.register('SlaReport', SlaReportSchema.extend({ contractId: UlidSchema, clientId: ClientIdSchema }));

  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A staff JWT (Cognito user pool; the local issuer in local mode) or an agent API key `vigie_<agentId>_<secret>`.',
  });

  const contractPath = z.object({ contractId: UlidSchema });
  const clientPath = z.object({ clientId: ClientIdSchema });
  const operations: Record<string, Operation> = {
    'POST /v1/contracts': { body: ContractInput, ok: { status: 201, schema: Contract, description: 'Created; ETag and Location set' }, errors: [400, 409] },
    'GET /v1/contracts': {
      query: PageQuerySchema.extend({ clientId: ClientIdSchema }),
      ok: { status: 200, schema: ContractPageSchema, description: "A page of the client's contracts, oldest first" },
      errors: [400],
    },
    'GET /v1/contracts/{contractId}': { params: contractPath, ok: { status: 200, schema: Contract, description: 'The contract; ETag set' }, errors: [400, 404] },
    'PUT /v1/contracts/{contractId}': {
      params: contractPath,
      headers: z.object({ 'if-match': z.string().describe('The ETag of your last GET, e.g. "3"') }),
      body: ContractInput,
      ok: { status: 200, schema: Contract, description: 'Replaced; new ETag set' },
      errors: [400, 404, 409, 428],
    },
    'POST /v1/clients/{clientId}/agents': {
      params: clientPath,
      body: AgentCreateInputSchema,
      ok: { status: 201, schema: AgentCreatedSchema, description: 'The agent and its API key, shown only this once' },
      errors: [400, 404],
    },
    'GET /v1/clients/{clientId}/agents': { params: clientPath, ok: { status: 200, schema: z.object({ items: z.array(AgentView) }), description: "The client's agents" }, errors: [400] },
    'DELETE /v1/clients/{clientId}/agents/{agentId}': {
      params: clientPath.extend({ agentId: UlidSchema }),
      ok: { status: 200, schema: AgentView, description: 'Revoked (idempotent)' },
      errors: [400, 404],
    },
    'GET /v1/clients/{clientId}/hosts/{host}/agent': {
      params: clientPath.extend({ host: HostNameSchema }),
      ok: { status: 200, schema: z.object({ items: z.array(AgentView) }), description: 'The active agent(s) bound to this host' },
      errors: [400, 404],
    },
    'PUT /v1/staff/{userId}/scope': {
      params: z.object({ userId: z.string() }),
      body: StaffScopeInputSchema,
      ok: { status: 200, schema: StaffScope, description: 'The scope now recorded' },
      errors: [400],
    },
    'GET /v1/staff/{userId}/scope': { params: z.object({ userId: z.string() }), ok: { status: 200, schema: StaffScope, description: 'The recorded scope' }, errors: [404] },
    'POST /v1/contracts/{contractId}/interruptions': {
      params: contractPath,
      body: InterruptionCreateSchema,
      ok: { status: 201, schema: Interruption, description: 'Recorded; GTR and IMS count from notifiedAt' },
      errors: [400, 404, 409],
    },
    'GET /v1/contracts/{contractId}/interruptions': {
      params: contractPath,
      query: PageQuerySchema,
      ok: { status: 200, schema: z.object({ items: z.array(Interruption), nextToken: z.string().optional() }), description: 'A page, oldest first' },
      errors: [400, 404],
    },
    'POST /v1/contracts/{contractId}/interruptions/{interruptionId}/restore': {
      params: contractPath.extend({ interruptionId: UlidSchema }),
      body: InterruptionRestoreSchema,
      ok: { status: 200, schema: Interruption, description: 'Restoration recorded (the same notice twice is harmless; another one is 409)' },
      errors: [400, 404, 409],
    },
    'PATCH /v1/contracts/{contractId}/interruptions/{interruptionId}': {
      params: contractPath.extend({ interruptionId: UlidSchema }),
      body: InterruptionClassificationSchema,
      ok: { status: 200, schema: Interruption, description: 'Planned / excluded flags updated' },
      errors: [400, 404, 409],
    },
    'GET /v1/contracts/{contractId}/sla': {
      params: contractPath,
      query: SlaReportQuerySchema,
      ok: { status: 200, schema: SlaReport, description: 'The report (JSON; `format=csv` gives text/csv, one row per interruption and summary rows)' },
      errors: [400, 404, 409],
    },
    ...extraOperations,
  };

  const errorDescriptions: Record<number, string> = {
    400: 'Invalid input; `details` names each bad field',
    403: 'Outside your client scope (handler) — the gateway answers `{"message":"Forbidden"}` for a wrong role',
    404: 'Not found',
    409: 'Conflict (stale ETag, overlapping contract)',
    428: 'If-Match required',
  };

  for (const route of ROUTES) {
    const key = routeKey(route);
    const op = operations[key];
    if (!op) throw new globalThis.Error(`no OpenAPI description for ${key}`);
    const roles = [...route.access.staff, ...(route.access.agent ? ['agent'] : [])].join(', ');
    registry.registerPath({
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete',
      path: route.path,
      operationId: route.handler,
      summary: route.summary,
      description: `Allowed: ${roles}.`,
      security: [{ bearer: [] }],
      request: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.headers ? { headers: op.headers } : {}),
        ...(op.body ? { body: { content: { 'application/json': { schema: op.body } }, required: true } } : {}),
      },
      responses: {
        [op.ok.status]: { description: op.ok.description, ...(op.ok.schema ? { content: { 'application/json': { schema: op.ok.schema } } } : {}) },
        401: { description: 'Missing or invalid credentials (gateway body)', content: { 'application/json': { schema: GatewayError } } },
        ...Object.fromEntries(
          [...new Set([403, ...op.errors])].map((status) => [status, { description: errorDescriptions[status] ?? 'Error', content: { 'application/json': { schema: Error } } }]),
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
