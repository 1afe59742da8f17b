import { z } from 'zod';
import { AgentCreateInputSchema, AgentRotateInputSchema } from '../schemas/agent';
import { ClientIdSchema, HostNameSchema, PageQuerySchema, UlidSchema, UserIdSchema } from '../schemas/common';
import { ContractInputSchema, ContractReplaceSchema } from '../schemas/contract';
import {
  InterruptionClassificationSchema,
  InterruptionCreateSchema,
  InterruptionRestoreSchema,
  SlaReportQuerySchema,
} from '../schemas/interruption';
import { StaffScopeInputSchema } from '../schemas/principal';

/**
 * What each route accepts, beside the route table (shared/http/routes.ts), keyed by the same handler name: its path
 * parameters, query string and body, each a strict zod schema, and the body's type. The handlers parse with these
 * (shared/http/handler.ts `httpRoute`), the OpenAPI document is generated from them, and the tests walk them: one
 * declaration, no copy to drift.
 *
 * Body types: `json` (required, `application/json` in UTF-8) and `optional-json` (absent means `{}`). A route with
 * no `body` refuses one. A form-encoded type joins the list with the first route that takes a form post.
 */
export type BodyKind = 'json' | 'optional-json';

export interface RouteBody<S extends z.ZodType = z.ZodType> {
  kind: BodyKind;
  schema: S;
}

export interface RouteInput {
  path?: z.ZodType;
  query?: z.ZodType;
  body?: RouteBody;
}

const json = <S extends z.ZodType>(schema: S): RouteBody<S> => ({ kind: 'json', schema });
const optionalJson = <S extends z.ZodType>(schema: S): RouteBody<S> => ({ kind: 'optional-json', schema });

const contractPath = z.strictObject({ contractId: UlidSchema });
const interruptionPath = contractPath.extend({ interruptionId: UlidSchema });
const clientPath = z.strictObject({ clientId: ClientIdSchema });
const userPath = z.strictObject({ userId: UserIdSchema });

export const ROUTE_INPUTS = {
  'contracts-create': { body: json(ContractInputSchema) },
  'contracts-list': { query: PageQuerySchema.extend({ clientId: ClientIdSchema }) },
  'contracts-get': { path: contractPath },
  'contracts-update': { path: contractPath, body: json(ContractReplaceSchema) },
  'agents-create': { path: clientPath, body: json(AgentCreateInputSchema) },
  'agents-list': { path: clientPath, query: PageQuerySchema },
  'agents-rotate': { path: clientPath.extend({ agentId: UlidSchema }), body: optionalJson(AgentRotateInputSchema) },
  'agents-revoke': { path: clientPath.extend({ agentId: UlidSchema }) },
  'agents-self': { path: clientPath.extend({ host: HostNameSchema }) },
  'staff-scope-put': { path: userPath, body: json(StaffScopeInputSchema) },
  'staff-scope-get': { path: userPath },
  'staff-status-get': { path: userPath },
  'staff-disable': { path: userPath },
  'staff-enable': { path: userPath },
  'staff-sign-out': { path: userPath },
  'interruptions-create': { path: contractPath, body: json(InterruptionCreateSchema) },
  'interruptions-list': { path: contractPath, query: PageQuerySchema },
  'interruptions-restore': { path: interruptionPath, body: optionalJson(InterruptionRestoreSchema) },
  'interruptions-classify': { path: interruptionPath, body: json(InterruptionClassificationSchema) },
  'sla-report': { path: contractPath, query: SlaReportQuerySchema },
} as const satisfies Record<string, RouteInput>;

export type RouteHandlerName = keyof typeof ROUTE_INPUTS;
