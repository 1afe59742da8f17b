import type { AgentRecord } from '../schemas/agent';
import type { Contract } from '../schemas/contract';
import type { InterruptionRecord } from '../schemas/interruption';
import type { StaffScope, StaffStatus } from '../schemas/principal';

export interface PageRequest {
  limit: number;
  nextToken?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextToken?: string | undefined;
}

/** A contract's period as the per-client guard keeps it: [startDate, endDate], both days included. */
export type ContractPeriod = { contractId: string } & Pick<Contract, 'startDate' | 'endDate'>;

/** The periods of all of a client's contracts, read strongly consistently; `version` counts their changes. */
export interface ContractPeriods {
  version: number;
  periods: ContractPeriod[];
}

/**
 * The guard write that goes with a contract write: the client's full new periods list, written only if the guard is
 * still at `expectedVersion` (undefined: only if the client has no guard yet).
 */
export interface PeriodsWrite {
  expectedVersion: number | undefined;
  periods: ContractPeriod[];
}

/**
 * "One contract at a time" needs the client's periods to be checked and written as one: every contract write also
 * writes the client's periods guard, and both happen or neither does.
 */
export interface ContractRepository {
  /** Writes the contract (only if the id is new) and the guard (only if at `periods.expectedVersion`) atomically; otherwise ConflictError. */
  create(contract: Contract, periods: PeriodsWrite): Promise<void>;
  get(id: string): Promise<Contract | undefined>;
  /** Writes the contract (only if its stored version is `expectedVersion`) and the guard (as in `create`) atomically; otherwise ConflictError. */
  replace(contract: Contract, expectedVersion: number, periods: PeriodsWrite): Promise<void>;
  listByClient(clientId: string, page: PageRequest): Promise<Page<Contract>>;
  /** The client's periods guard, read strongly consistently; undefined while none was written. */
  periodsOf(clientId: string): Promise<ContractPeriods | undefined>;
}

/**
 * Agents, their keys and their hosts. A key is found by its hash in one strongly consistent read (a revocation or a
 * rotation counts at once); a host has at most one active agent, checked in the same transaction as each write.
 */
export interface AgentRepository {
  /** Writes the agent, its key and its claim on the host atomically; ConflictError (naming the holder) when the host has an active agent. */
  create(agent: AgentRecord): Promise<void>;
  get(clientId: string, agentId: string): Promise<AgentRecord | undefined>;
  /** The agent a key hash was issued to (current or previous key), read strongly consistently; validity is the caller's to judge. */
  findByKeyHash(keyHash: string): Promise<AgentRecord | undefined>;
  /** The active agent of a client's host, if any. */
  activeForHost(clientId: string, host: string): Promise<AgentRecord | undefined>;
  /** A page of the client's agents, oldest first. */
  listByClient(clientId: string, page: PageRequest): Promise<Page<AgentRecord>>;
  /**
   * Writes the agent with its new key (and the key's lookup) only if the stored version is `expectedVersion` and the
   * agent is not revoked; ConcurrentUpdateError otherwise.
   */
  rotate(agent: AgentRecord, expectedVersion: number): Promise<void>;
  /** Marks the agent revoked and frees its host (idempotent: the first revocation is kept) and returns it. */
  revoke(clientId: string, agentId: string, at: string, by: string): Promise<AgentRecord | undefined>;
}

/** What the authorizer needs of a staff member on every call: the client scope and the status. */
export interface StaffAccess {
  scope?: StaffScope | undefined;
  status?: StaffStatus | undefined;
}

/** A change of a staff member's status, by whom and when. */
export type StaffStatusChange = { action: 'disable' | 'enable' | 'sign-out'; at: string; by: string };

export interface StaffRepository {
  getScope(userId: string): Promise<StaffScope | undefined>;
  putScope(scope: StaffScope): Promise<void>;
  getStatus(userId: string): Promise<StaffStatus | undefined>;
  /**
   * Applies the change atomically and returns the status as written: `disable` sets disabledAt/By and moves
   * tokensNotBefore to `at`; `enable` clears disabledAt/By and keeps tokensNotBefore (tokens of before stay dead);
   * `sign-out` moves tokensNotBefore to `at`.
   */
  updateStatus(userId: string, change: StaffStatusChange): Promise<StaffStatus>;
  /** Scope and status in one strongly consistent read. */
  accessOf(userId: string): Promise<StaffAccess>;
}

/**
 * The identity provider's side of a staff member (the Cognito user pool in AWS): disabling stops new sign-ins,
 * signing out revokes refresh tokens. Access tokens already issued live on until they expire: the authorizer's
 * status check is what ends them at once.
 */
export interface StaffDirectory {
  /** NotFoundError when the identity provider has no such user. */
  disable(userId: string): Promise<void>;
  enable(userId: string): Promise<void>;
  signOut(userId: string): Promise<void>;
}

/** Waits before retry `attempt` (1 for the first retry) of an operation that lost a race. */
export type Backoff = (attempt: number) => Promise<void>;

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
  /** Every interruption of the contract, oldest first (the SLA report needs them all). */
  listByContract(contractId: string): Promise<InterruptionRecord[]>;
  /** One page of them, oldest first, for the API. */
  listPageByContract(contractId: string, page: PageRequest): Promise<Page<InterruptionRecord>>;
}
