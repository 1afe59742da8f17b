import type { Clock } from '../clock';
import { ConcurrentUpdateError, ConflictError, NotFoundError } from '../errors';
import { parisDateOf } from '../calendar/wall-clock';
import type { AgentRecord, AgentRotateInput, AgentView } from '../../schemas/agent';
import type { Contract } from '../../schemas/contract';
import type { AgentPrincipal, Principal } from '../../schemas/principal';
import type { AgentRepository, ApiKeyFactory, Backoff, ContractRepository, IdGenerator, Page, PageRequest } from '../../ports/repositories';

export interface AgentDeps {
  agents: AgentRepository;
  contracts: ContractRepository;
  keys: ApiKeyFactory;
  clock: Clock;
  ids: IdGenerator;
  backoff?: Backoff | undefined;
}

export const agentView = ({ key, previousKey, version: _version, ...rest }: AgentRecord): AgentView => ({
  ...rest,
  keyIssuedAt: key.issuedAt,
  keyIssuedBy: key.issuedBy,
  ...(previousKey ? { previousKeyRetiresAt: previousKey.retiresAt } : {}),
});

/** A contract under which backup keys may be issued: Pro Secours active, and not ended (Paris days). */
const coversBackup = (contract: Contract, today: string): boolean =>
  contract.modules.proSecours?.active === true && (contract.endDate === undefined || contract.endDate >= today);

async function assertBackupSubscribed(deps: Pick<AgentDeps, 'contracts' | 'clock'>, clientId: string): Promise<void> {
  const today = parisDateOf(deps.clock.now());
  let nextToken: string | undefined;
  let anyContract = false;
  do {
    const page = await deps.contracts.listByClient(clientId, { limit: 100, nextToken });
    anyContract ||= page.items.length > 0;
    if (page.items.some((contract) => coversBackup(contract, today))) return;
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  if (!anyContract) throw new NotFoundError(`client ${clientId} has no contract`);
  // Keys already issued keep their restore and export rights after a contract ends (réversibilité, 60 days): only new keys are refused.
  throw new ConflictError(`client ${clientId} has no running contract with an active Pro Secours module: backup agent keys cannot be issued`);
}

/** Registers an agent for one client and host; the key is returned once and only its hash is kept. One active agent per host. */
export async function registerAgent(deps: AgentDeps, clientId: string, host: string, createdBy: string): Promise<{ agent: AgentView; apiKey: string }> {
  await assertBackupSubscribed(deps, clientId);
  const holder = await deps.agents.activeForHost(clientId, host);
  if (holder) throw hostTaken(clientId, host, holder.agentId);
  const agentId = deps.ids.next();
  const apiKey = deps.keys.generate(agentId);
  const now = deps.clock.now().toISOString();
  const record: AgentRecord = {
    agentId,
    clientId,
    host,
    key: { hash: deps.keys.hash(apiKey), issuedAt: now, issuedBy: createdBy },
    createdAt: now,
    createdBy,
    version: 1,
  };
  await deps.agents.create(record);
  return { agent: agentView(record), apiKey };
}

export const hostTaken = (clientId: string, host: string, agentId: string) =>
  new ConflictError(
    `host ${host} of client ${clientId} already has an active agent (${agentId}): rotate its key (POST /v1/clients/${clientId}/agents/${agentId}/rotate) or revoke it first`,
    [{ path: 'body.host', message: `taken by agent ${agentId}` }],
  );

/** How many times a rotation is tried while another rotation or revocation moves the agent under it. */
const MAX_ROTATE_ATTEMPTS = 3;

/**
 * Gives an agent a new key, returned once. The key it replaces keeps working for `graceMinutes` (0: it stops at once),
 * so an agent can pick the new one up without a gap; a key replaced earlier stops now.
 */
export async function rotateAgentKey(
  deps: AgentDeps,
  clientId: string,
  agentId: string,
  input: AgentRotateInput,
  rotatedBy: string,
): Promise<{ agent: AgentView; apiKey: string }> {
  const apiKey = deps.keys.generate(agentId);
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.agents.get(clientId, agentId);
    if (!current) throw new NotFoundError(`agent ${agentId} does not exist for client ${clientId}`);
    if (current.revokedAt !== undefined) throw new ConflictError(`agent ${agentId} was revoked at ${current.revokedAt}: register a new one`);
    const now = deps.clock.now();
    const next: AgentRecord = {
      ...current,
      key: { hash: deps.keys.hash(apiKey), issuedAt: now.toISOString(), issuedBy: rotatedBy },
      version: current.version + 1,
    };
    delete next.previousKey;
    if (input.graceMinutes > 0) next.previousKey = { hash: current.key.hash, retiresAt: new Date(now.getTime() + input.graceMinutes * 60_000).toISOString() };
    try {
      await deps.agents.rotate(next, current.version);
      return { agent: agentView(next), apiKey };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ROTATE_ATTEMPTS) throw error;
    }
    await deps.backoff?.(attempt);
  }
}

export async function revokeAgent(deps: Pick<AgentDeps, 'agents' | 'clock'>, clientId: string, agentId: string, revokedBy: string): Promise<AgentView> {
  const revoked = await deps.agents.revoke(clientId, agentId, deps.clock.now().toISOString(), revokedBy);
  if (!revoked) throw new NotFoundError(`agent ${agentId} does not exist for client ${clientId}`);
  return agentView(revoked);
}

export async function listAgents(deps: Pick<AgentDeps, 'agents'>, clientId: string, page: PageRequest): Promise<Page<AgentView>> {
  const found = await deps.agents.listByClient(clientId, page);
  return { items: found.items.map(agentView), nextToken: found.nextToken };
}

/** Whether `keyHash` opens `agent` at `now`: its current key, or the previous one until it retires; never once revoked. */
export function keyOpens(agent: AgentRecord, keyHash: string, now: Date): boolean {
  if (agent.revokedAt !== undefined) return false;
  if (agent.key.hash === keyHash) return true;
  return agent.previousKey?.hash === keyHash && now.getTime() < new Date(agent.previousKey.retiresAt).getTime();
}

/** The principal an API key stands for, or undefined when it is unknown, retired or revoked. */
export async function authenticateAgent(deps: Pick<AgentDeps, 'agents' | 'keys' | 'clock'>, apiKey: string): Promise<AgentPrincipal | undefined> {
  const keyHash = deps.keys.hash(apiKey);
  const agent = await deps.agents.findByKeyHash(keyHash);
  if (!agent || !keyOpens(agent, keyHash, deps.clock.now())) return undefined;
  return { kind: 'agent', agentId: agent.agentId, clientId: agent.clientId, host: agent.host };
}

/** The active agent bound to a host: an agent sees only itself, an admin the host's agent. */
export async function agentBoundToHost(deps: Pick<AgentDeps, 'agents'>, principal: Principal, clientId: string, host: string): Promise<AgentView> {
  const agent = principal.kind === 'agent' ? await deps.agents.get(clientId, principal.agentId) : await deps.agents.activeForHost(clientId, host);
  if (!agent || agent.host !== host || agent.revokedAt !== undefined) throw new NotFoundError(`no active agent for host ${host} of client ${clientId}`);
  return agentView(agent);
}
