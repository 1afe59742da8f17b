import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/domain/clock';
import { ConcurrentUpdateError, ConflictError, ValidationError } from '../../shared/domain/errors';
import type {
  AgentRepository,
  ApiKeyFactory,
  ContractPeriods,
  ContractRepository,
  IdGenerator,
  InterruptionRepository,
  Page,
  PageRequest,
  PeriodsWrite,
  StaffAccess,
  StaffRepository,
  StaffStatusChange,
} from '../../shared/ports/repositories';
import { UlidSchema } from '../../shared/schemas/common';
import { AgentRecordSchema, type AgentRecord } from '../../shared/schemas/agent';
import { ContractSchema, type Contract } from '../../shared/schemas/contract';
import { InterruptionRecordSchema, type InterruptionRecord } from '../../shared/schemas/interruption';
import { StaffScopeSchema, StaffStatusSchema, type StaffScope, type StaffStatus } from '../../shared/schemas/principal';

/**
 * Fakes of the ports, honouring the same contracts as the DynamoDB adapters (the conformance suite in
 * test/shared/adapters/dynamo/repository-conformance.test.ts runs against both). Like the adapters, they
 * parse what they store, so a domain that builds an invalid record fails here too.
 */

const byId = <T>(id: (item: T) => string) => (a: T, b: T) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0);

const invalidToken = () => new ValidationError('nextToken is not a token this API returned', [{ path: 'query.nextToken', message: 'invalid' }]);

/** What the adapter accepts as a stored period. */
const ContractPeriodSchema = ContractSchema.pick({ startDate: true, endDate: true }).extend({ contractId: UlidSchema });

export class InMemoryContractRepository implements ContractRepository {
  private readonly contracts = new Map<string, Contract>();
  private readonly guards = new Map<string, ContractPeriods>();

  /**
   * Lets a test put the store in a state the domain would refuse to create (e.g. legacy overlaps). Seeded contracts
   * get no periods guard, like contracts written before the guard existed.
   */
  seed(...contracts: Contract[]): this {
    for (const contract of contracts) this.contracts.set(contract.id, ContractSchema.parse(contract));
    return this;
  }

  async create(contract: Contract, periods: PeriodsWrite): Promise<void> {
    // Both conditions before either write, as in the adapter's transaction (and the contract's reported first).
    if (this.contracts.has(contract.id)) throw new ConflictError(`contract ${contract.id} already exists`);
    if (!this.guardIsAt(contract.clientId, periods.expectedVersion)) return this.lostRace(contract.clientId);
    this.write(contract, periods);
  }

  async get(id: string): Promise<Contract | undefined> {
    const contract = this.contracts.get(id);
    return contract ? structuredClone(contract) : undefined;
  }

  async replace(contract: Contract, expectedVersion: number, periods: PeriodsWrite): Promise<void> {
    const current = this.contracts.get(contract.id);
    if (current?.version !== expectedVersion) throw new ConflictError(`contract ${contract.id} changed since version ${expectedVersion}`);
    if (!this.guardIsAt(contract.clientId, periods.expectedVersion)) return this.lostRace(contract.clientId);
    this.write(contract, periods);
  }

  async listByClient(clientId: string, page: PageRequest): Promise<Page<Contract>> {
    const after = page.nextToken === undefined ? undefined : decodeAfter(page.nextToken);
    const all = [...this.contracts.values()].filter((c) => c.clientId === clientId).sort(byId((c) => c.id));
    const remaining = after === undefined ? all : all.filter((c) => c.id > after);
    const items = remaining.slice(0, page.limit).map((c) => structuredClone(c));
    const last = items.at(-1);
    return { items, nextToken: remaining.length > page.limit && last ? encodeAfter(last.id) : undefined };
  }

  async periodsOf(clientId: string): Promise<ContractPeriods | undefined> {
    const guard = this.guards.get(clientId);
    return guard ? structuredClone(guard) : undefined;
  }

  /** The adapter's guard condition: attribute_not_exists(pk) when no version is expected, else #version = :expectedPeriods. */
  private guardIsAt(clientId: string, expectedVersion: number | undefined): boolean {
    const current = this.guards.get(clientId);
    return expectedVersion === undefined ? current === undefined : current?.version === expectedVersion;
  }

  /** A failed guard condition, reported as the adapter does: a ConcurrentUpdateError (the domain retries it). */
  private async lostRace(clientId: string): Promise<never> {
    throw new ConcurrentUpdateError(`the contracts of client ${clientId} changed meanwhile; try again`);
  }

  private write(contract: Contract, periods: PeriodsWrite): void {
    const stored = ContractSchema.parse(contract);
    const guard = { version: (periods.expectedVersion ?? 0) + 1, periods: periods.periods.map((p) => ContractPeriodSchema.parse(p)) };
    this.contracts.set(stored.id, stored);
    this.guards.set(stored.clientId, guard);
  }
}

const encodeAfter = (id: string) => Buffer.from(JSON.stringify({ after: id }), 'utf8').toString('base64url');

function decodeAfter(token: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const after = (value as { after?: unknown } | null)?.after;
    if (typeof after === 'string' && after.length > 0) return after;
  } catch {
    // falls through to the validation error
  }
  throw invalidToken();
}

export class InMemoryAgentRepository implements AgentRepository {
  private readonly agents = new Map<string, AgentRecord>();
  /** Key hash → agent id, one entry per key ever issued. */
  private readonly keyOwners = new Map<string, string>();
  /** `clientId host` → the active agent's id. */
  private readonly hosts = new Map<string, string>();

  async create(agent: AgentRecord): Promise<void> {
    const stored = AgentRecordSchema.parse(agent);
    const holder = this.hosts.get(`${agent.clientId} ${agent.host}`);
    if (holder !== undefined) throw new ConflictError(`host ${agent.host} of client ${agent.clientId} already has an active agent (${holder})`);
    if (this.agents.has(agent.agentId) || this.keyOwners.has(agent.key.hash)) throw new ConflictError(`agent ${agent.agentId} already exists`);
    this.agents.set(agent.agentId, stored);
    this.keyOwners.set(agent.key.hash, agent.agentId);
    this.hosts.set(`${agent.clientId} ${agent.host}`, agent.agentId);
  }

  async get(clientId: string, agentId: string): Promise<AgentRecord | undefined> {
    const agent = this.agents.get(agentId);
    return agent?.clientId === clientId ? structuredClone(agent) : undefined;
  }

  async findByKeyHash(keyHash: string): Promise<AgentRecord | undefined> {
    const agent = this.agents.get(this.keyOwners.get(keyHash) ?? '');
    return agent && (agent.key.hash === keyHash || agent.previousKey?.hash === keyHash) ? structuredClone(agent) : undefined;
  }

  async activeForHost(clientId: string, host: string): Promise<AgentRecord | undefined> {
    const agent = this.agents.get(this.hosts.get(`${clientId} ${host}`) ?? '');
    return agent && agent.revokedAt === undefined ? structuredClone(agent) : undefined;
  }

  async listByClient(clientId: string, page: PageRequest): Promise<Page<AgentRecord>> {
    const after = page.nextToken === undefined ? undefined : decodeAfter(page.nextToken);
    const all = [...this.agents.values()].filter((a) => a.clientId === clientId && (after === undefined || a.agentId > after)).sort(byId((a) => a.agentId));
    const items = all.slice(0, page.limit).map((a) => structuredClone(a));
    return { items, nextToken: all.length > page.limit ? encodeAfter(items.at(-1)!.agentId) : undefined };
  }

  async rotate(agent: AgentRecord, expectedVersion: number): Promise<void> {
    const current = this.agents.get(agent.agentId);
    if (!current || current.version !== expectedVersion || current.revokedAt !== undefined || this.keyOwners.has(agent.key.hash)) {
      throw new ConcurrentUpdateError(`agent ${agent.agentId} changed meanwhile (rotated or revoked); try again`);
    }
    this.agents.set(agent.agentId, AgentRecordSchema.parse(agent));
    this.keyOwners.set(agent.key.hash, agent.agentId);
  }

  async revoke(clientId: string, agentId: string, at: string, by: string): Promise<AgentRecord | undefined> {
    const agent = this.agents.get(agentId);
    if (agent?.clientId !== clientId) return undefined;
    if (agent.revokedAt !== undefined) return structuredClone(agent);
    const revoked = { ...agent, revokedAt: at, revokedBy: by };
    this.agents.set(agentId, revoked);
    if (this.hosts.get(`${clientId} ${agent.host}`) === agentId) this.hosts.delete(`${clientId} ${agent.host}`);
    return structuredClone(revoked);
  }
}

export class InMemoryStaffRepository implements StaffRepository {
  private readonly scopes = new Map<string, StaffScope>();
  private readonly statuses = new Map<string, StaffStatus>();

  async getScope(userId: string): Promise<StaffScope | undefined> {
    const scope = this.scopes.get(userId);
    return scope ? structuredClone(scope) : undefined;
  }

  async putScope(scope: StaffScope): Promise<void> {
    this.scopes.set(scope.userId, StaffScopeSchema.parse(scope));
  }

  async getStatus(userId: string): Promise<StaffStatus | undefined> {
    const status = this.statuses.get(userId);
    return status ? structuredClone(status) : undefined;
  }

  async updateStatus(userId: string, { action, at, by }: StaffStatusChange): Promise<StaffStatus> {
    let next: StaffStatus = { ...this.statuses.get(userId), userId, updatedAt: at, updatedBy: by };
    if (action === 'disable') next = { ...next, disabledAt: at, disabledBy: by, tokensNotBefore: at };
    if (action === 'sign-out') next = { ...next, tokensNotBefore: at };
    if (action === 'enable') {
      const { disabledAt: _at, disabledBy: _by, ...enabled } = next;
      next = enabled;
    }
    this.statuses.set(userId, StaffStatusSchema.parse(next));
    return structuredClone(next);
  }

  async accessOf(userId: string): Promise<StaffAccess> {
    return { scope: await this.getScope(userId), status: await this.getStatus(userId) };
  }
}

/** Keyed like the table (contract, then interruption id): the same id under another contract is another record. */
export class InMemoryInterruptionRepository implements InterruptionRepository {
  private readonly interruptions = new Map<string, InterruptionRecord>();

  private static keyOf(contractId: string, interruptionId: string): string {
    return `${contractId}#${interruptionId}`;
  }

  async create(interruption: InterruptionRecord): Promise<void> {
    const key = InMemoryInterruptionRepository.keyOf(interruption.contractId, interruption.id);
    if (this.interruptions.has(key)) throw new ConflictError(`interruption ${interruption.id} already exists`);
    this.interruptions.set(key, InterruptionRecordSchema.parse(interruption));
  }

  async get(contractId: string, interruptionId: string): Promise<InterruptionRecord | undefined> {
    const interruption = this.interruptions.get(InMemoryInterruptionRepository.keyOf(contractId, interruptionId));
    return interruption ? structuredClone(interruption) : undefined;
  }

  async restore(
    contractId: string,
    interruptionId: string,
    restoration: { restoredAt: string; restoredBy: string; updatedAt: string },
  ): Promise<InterruptionRecord | undefined> {
    const key = InMemoryInterruptionRepository.keyOf(contractId, interruptionId);
    const current = this.interruptions.get(key);
    // Same condition as the adapter: attribute_exists(pk) AND attribute_not_exists(restoredAt); same ADD to version.
    if (current === undefined || current.restoredAt !== undefined) return undefined;
    const written = InterruptionRecordSchema.parse({ ...current, ...restoration, version: current.version + 1 });
    this.interruptions.set(key, written);
    return structuredClone(written);
  }

  async replace(interruption: InterruptionRecord, expectedVersion: number): Promise<void> {
    const key = InMemoryInterruptionRepository.keyOf(interruption.contractId, interruption.id);
    const current = this.interruptions.get(key);
    if (current?.version !== expectedVersion) throw new ConflictError(`interruption ${interruption.id} changed meanwhile; read it again`);
    this.interruptions.set(key, InterruptionRecordSchema.parse(interruption));
  }

  async listByContract(contractId: string): Promise<InterruptionRecord[]> {
    return [...this.interruptions.values()]
      .filter((i) => i.contractId === contractId)
      .sort(byId((i) => i.id))
      .map((i) => structuredClone(i));
  }

  async listPageByContract(contractId: string, page: PageRequest): Promise<Page<InterruptionRecord>> {
    const after = page.nextToken === undefined ? undefined : decodeAfter(page.nextToken);
    const all = await this.listByContract(contractId);
    const remaining = after === undefined ? all : all.filter((i) => i.id > after);
    const items = remaining.slice(0, page.limit);
    const last = items.at(-1);
    return { items, nextToken: remaining.length > page.limit && last ? encodeAfter(last.id) : undefined };
  }
}

/** ULIDs in creation order: `01HZ0000000000000000000001`, `…02`, … (sorting them sorts by creation). */
export function sequentialIds(prefix = '01HZ'): IdGenerator & { issued: string[] } {
  const issued: string[] = [];
  return {
    issued,
    next() {
      const id = `${prefix}${String(issued.length + 1).padStart(26 - prefix.length, '0')}`;
      issued.push(id);
      return id;
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start: string): Clock & { set(at: string): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current.getTime()),
    set(at) {
      current = new Date(at);
    },
  };
}

/** Deterministic agent keys of the production shape; the hash is the real SHA-256 so records stay valid. */
let keysIssued = 0;
export const deterministicKeys: ApiKeyFactory = {
  // A counter in the secret: a rotation gets another key, in a predictable sequence.
  generate: (agentId) => `vigie_${agentId.toLowerCase()}_${String((keysIssued += 1)).padStart(43, 'k')}`,
  hash: (apiKey) => createHash('sha256').update(apiKey, 'utf8').digest('hex'),
};
