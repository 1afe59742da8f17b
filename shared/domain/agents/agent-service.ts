import type { Clock } from '../clock';
import { NotFoundError } from '../errors';
import type { AgentRecord, AgentView } from '../../schemas/agent';
import type { AgentPrincipal, Principal } from '../../schemas/principal';
import type { AgentRepository, ApiKeyFactory, ContractRepository, IdGenerator } from '../../ports/repositories';

export interface AgentDeps {
  agents: AgentRepository;
  contracts: ContractRepository;
  keys: ApiKeyFactory;
  clock: Clock;
  ids: IdGenerator;
}

export const agentView = ({ keyHash: _hidden, ...view }: AgentRecord): AgentView => view;

/** Registers an agent for one client and host; the key is returned once and only its hash is kept. */
export async function registerAgent(deps: AgentDeps, clientId: string, host: string, createdBy: string): Promise<{ agent: AgentView; apiKey: string }> {
  const contracts = await deps.contracts.listByClient(clientId, { limit: 1 });
  if (contracts.items.length === 0) throw new NotFoundError(`client ${clientId} has no contract`);
  const agentId = deps.ids.next();
  const apiKey = deps.keys.generate(agentId);
  const record: AgentRecord = {
    agentId,
    clientId,
    host,
    keyHash: deps.keys.hash(apiKey),
    createdAt: deps.clock.now().toISOString(),
    createdBy,
  };
  await deps.agents.create(record);
  return { agent: agentView(record), apiKey };
}

export async function revokeAgent(deps: Pick<AgentDeps, 'agents' | 'clock'>, clientId: string, agentId: string): Promise<AgentView> {
  const revoked = await deps.agents.revoke(clientId, agentId, deps.clock.now().toISOString());
  if (!revoked) throw new NotFoundError(`agent ${agentId} does not exist for client ${clientId}`);
  return agentView(revoked);
}

export async function listAgents(deps: Pick<AgentDeps, 'agents'>, clientId: string): Promise<AgentView[]> {
  return (await deps.agents.listByClient(clientId)).map(agentView);
}

/** The principal an API key stands for, or undefined when it is unknown or revoked. */
export async function authenticateAgent(deps: Pick<AgentDeps, 'agents' | 'keys'>, apiKey: string): Promise<AgentPrincipal | undefined> {
  const agent = await deps.agents.findByKeyHash(deps.keys.hash(apiKey));
  if (!agent || agent.revokedAt !== undefined) return undefined;
  return { kind: 'agent', agentId: agent.agentId, clientId: agent.clientId, host: agent.host };
}

/** The active agents bound to a host: an agent sees only itself, an admin every agent of the client. */
export async function agentsBoundToHost(deps: Pick<AgentDeps, 'agents'>, principal: Principal, clientId: string, host: string): Promise<AgentView[]> {
  const candidates = principal.kind === 'agent' ? [await deps.agents.get(clientId, principal.agentId)] : await deps.agents.listByClient(clientId);
  const bound = candidates.filter((a): a is AgentRecord => a !== undefined && a.host === host && a.revokedAt === undefined);
  if (bound.length === 0) throw new NotFoundError(`no active agent for host ${host} of client ${clientId}`);
  return bound.map(agentView);
}
