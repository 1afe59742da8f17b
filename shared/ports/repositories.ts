import type { AgentRecord } from '../schemas/agent';
import type { Contract } from '../schemas/contract';
import type { InterruptionRecord } from '../schemas/interruption';
import type { StaffScope } from '../schemas/principal';

export interface PageRequest {
  limit: number;
  nextToken?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextToken?: string | undefined;
}

export interface ContractRepository {
  /** Fails with ConflictError when the id exists. */
  create(contract: Contract): Promise<void>;
  get(id: string): Promise<Contract | undefined>;
  /** Writes only if the stored version is `expectedVersion`; otherwise ConflictError. */
  replace(contract: Contract, expectedVersion: number): Promise<void>;
  listByClient(clientId: string, page: PageRequest): Promise<Page<Contract>>;
}

export interface AgentRepository {
  create(agent: AgentRecord): Promise<void>;
  get(clientId: string, agentId: string): Promise<AgentRecord | undefined>;
  /** Strongly consistent: a revoked key must stop working at once. */
  findByKeyHash(keyHash: string): Promise<AgentRecord | undefined>;
  listByClient(clientId: string): Promise<AgentRecord[]>;
  /** Marks the agent revoked (idempotent: the first revocation time is kept) and returns it. */
  revoke(clientId: string, agentId: string, at: string): Promise<AgentRecord | undefined>;
}

export interface StaffScopeRepository {
  get(userId: string): Promise<StaffScope | undefined>;
  put(scope: StaffScope): Promise<void>;
}

export interface IdGenerator {
  /** A new ULID. */
  next(): string;
}

/** Makes and hashes agent API keys (the domain never sees randomness or hashing directly). */
export interface ApiKeyFactory {
  generate(agentId: string): string;
  hash(apiKey: string): string;
}

export interface InterruptionRepository {
  /** Fails with ConflictError when the id exists on the contract. The record comes with `version` 1. */
  create(interruption: InterruptionRecord): Promise<void>;
  get(contractId: string, interruptionId: string): Promise<InterruptionRecord | undefined>;
  /**
   * Sets the restoration and increments `version` in one atomic write, only if no restoration is recorded yet,
   * and returns the record as written; undefined when one already is (or the interruption does not exist).
   */
  restore(
    contractId: string,
    interruptionId: string,
    restoration: { restoredAt: string; restoredBy: string; updatedAt: string },
  ): Promise<InterruptionRecord | undefined>;
  /** Writes the whole record (the caller sets `version` to `expectedVersion + 1`) only if the stored version is `expectedVersion`; otherwise ConflictError. */
  replace(interruption: InterruptionRecord, expectedVersion: number): Promise<void>;
  listByContract(contractId: string): Promise<InterruptionRecord[]>;
}
