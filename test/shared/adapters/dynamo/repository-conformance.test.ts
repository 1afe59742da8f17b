import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { demoContractInput } from '../../../../infra/local/seed';
import { ensureTable } from '../../../../infra/local/table';
import { DynamoAgentRepository } from '../../../../shared/adapters/dynamo/agent-repository';
import { createDocumentClient } from '../../../../shared/adapters/dynamo/client';
import { DynamoContractRepository } from '../../../../shared/adapters/dynamo/contract-repository';
import { DynamoInterruptionRepository } from '../../../../shared/adapters/dynamo/interruption-repository';
import { DynamoStaffRepository } from '../../../../shared/adapters/dynamo/staff-repository';
import { ConcurrentUpdateError, ConflictError, ValidationError } from '../../../../shared/domain/errors';
import type {
  AgentRepository,
  ContractPeriod,
  ContractRepository,
  InterruptionRepository,
  StaffRepository,
} from '../../../../shared/ports/repositories';
import type { AgentRecord } from '../../../../shared/schemas/agent';
import type { Contract } from '../../../../shared/schemas/contract';
import type { InterruptionRecord } from '../../../../shared/schemas/interruption';
import {
  InMemoryAgentRepository,
  InMemoryContractRepository,
  InMemoryInterruptionRepository,
  InMemoryStaffRepository,
} from '../../../support/in-memory-repositories';

/**
 * One suite, two implementations of each port: the fakes the domain tests use and the DynamoDB adapters
 * against DynamoDB Local. If the fakes drift from the real behaviour, this is where it shows.
 */
interface Repositories {
  contracts: ContractRepository;
  agents: AgentRepository;
  staff: StaffRepository;
}

let db: DynamoDBDocumentClient | undefined;
afterAll(() => db?.destroy());

const implementations: Array<[string, () => Promise<Repositories>]> = [
  [
    'in memory',
    async () => ({ contracts: new InMemoryContractRepository(), agents: new InMemoryAgentRepository(), staff: new InMemoryStaffRepository() }),
  ],
  [
    'DynamoDB Local',
    async () => {
      const endpoint = inject('dynamoEndpoint');
      const table = `vigie-conformance-${randomUUID()}`;
      await ensureTable(endpoint, table);
      db ??= createDocumentClient({ region: 'eu-west-1', endpoint });
      return { contracts: new DynamoContractRepository(db, table), agents: new DynamoAgentRepository(db, table), staff: new DynamoStaffRepository(db, table) };
    },
  ],
];

let sequence = 0;
/** Distinct, increasing ULIDs, so each test works on its own records even in a shared table. */
const nextId = () => `01J${String((sequence += 1)).padStart(23, '0')}`;
const HASH = (n: number) => n.toString(16).padStart(64, '0');

const contractOf = (clientId: string, id = nextId()): Contract => ({
  ...demoContractInput,
  clientId,
  id,
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'ada',
  updatedAt: '2026-01-01T00:00:00.000Z',
  updatedBy: 'ada',
});

const periodOf = (contract: Contract): ContractPeriod => ({
  contractId: contract.id,
  startDate: contract.startDate,
  ...(contract.endDate === undefined ? {} : { endDate: contract.endDate }),
});

/** Creates a contract the way the domain does: over the guard version just read, with its period added. */
async function store(contracts: ContractRepository, contract: Contract): Promise<void> {
  const guard = await contracts.periodsOf(contract.clientId);
  await contracts.create(contract, { expectedVersion: guard?.version, periods: [...(guard?.periods ?? []), periodOf(contract)] });
}

/** Replaces a contract over the guard version just read, with its period in place of the old one. */
async function replaceStored(contracts: ContractRepository, contract: Contract, expectedVersion: number): Promise<void> {
  const guard = await contracts.periodsOf(contract.clientId);
  const others = (guard?.periods ?? []).filter((p) => p.contractId !== contract.id);
  await contracts.replace(contract, expectedVersion, { expectedVersion: guard?.version, periods: [...others, periodOf(contract)] });
}

const agentOf = (clientId: string, keyHash: string, host = 'srv-01', agentId = nextId()): AgentRecord => ({
  agentId,
  clientId,
  host,
  key: { hash: keyHash, issuedAt: '2026-03-01T08:00:00.000Z', issuedBy: 'ada' },
  createdAt: '2026-03-01T08:00:00.000Z',
  createdBy: 'ada',
  version: 1,
});

describe.each(implementations)('repositories (%s)', (_name, make) => {
  let repos: Repositories;
  beforeAll(async () => {
    repos = await make();
  });

  describe('contracts', () => {
    it('reads back what it created, and refuses the same id twice', async () => {
      const contract = contractOf('conf-create');
      await store(repos.contracts, contract);
      expect(await repos.contracts.get(contract.id)).toEqual(contract);
      const duplicate = await store(repos.contracts, { ...contract, clientName: 'other' }).catch((e: unknown) => e);
      expect(duplicate).toBeInstanceOf(ConflictError);
      expect(duplicate).not.toBeInstanceOf(ConcurrentUpdateError);
      expect((await repos.contracts.get(contract.id))?.clientName).toBe(contract.clientName);
      expect(await repos.contracts.get(nextId())).toBeUndefined();
    });

    it('replaces only from the expected version', async () => {
      const contract = contractOf('conf-replace');
      await store(repos.contracts, contract);
      const v2 = { ...contract, version: 2, clientName: 'v2' };
      await replaceStored(repos.contracts, v2, 1);
      expect(await repos.contracts.get(contract.id)).toEqual(v2);
      const stale = await replaceStored(repos.contracts, { ...contract, version: 2, clientName: 'stale' }, 1).catch((e: unknown) => e);
      expect(stale).toBeInstanceOf(ConflictError);
      expect(stale).not.toBeInstanceOf(ConcurrentUpdateError);
      expect((await repos.contracts.get(contract.id))?.clientName).toBe('v2');
    });

    it('does not replace a contract that does not exist', async () => {
      const ghost = contractOf('conf-ghost');
      const error = await replaceStored(repos.contracts, { ...ghost, version: 2 }, 1).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).not.toBeInstanceOf(ConcurrentUpdateError);
      expect(await repos.contracts.get(ghost.id)).toBeUndefined();
      expect(await repos.contracts.periodsOf('conf-ghost')).toBeUndefined();
    });

    it("lists a client's contracts oldest first, page by page, and nothing of other clients or agents", async () => {
      const mine = [contractOf('conf-list'), contractOf('conf-list'), contractOf('conf-list'), contractOf('conf-list'), contractOf('conf-list')];
      for (const contract of [...mine].reverse()) await store(repos.contracts, contract);
      await store(repos.contracts, contractOf('conf-list-other'));
      await repos.agents.create(agentOf('conf-list', HASH(900)));

      const seen: Contract[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await repos.contracts.listByClient('conf-list', { limit: 2, nextToken });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items);
        nextToken = page.nextToken;
        pages += 1;
      } while (nextToken !== undefined && pages < 10);
      expect(seen).toEqual(mine);
      expect(pages).toBeGreaterThanOrEqual(3);
    });

    it('refuses a tampered page token as a ValidationError', async () => {
      await store(repos.contracts, contractOf('conf-token'));
      await expect(repos.contracts.listByClient('conf-token', { limit: 1, nextToken: 'bm90LWEtdG9rZW4' })).rejects.toBeInstanceOf(ValidationError);
    });

    it("refuses another client's page token as a ValidationError, not a storage failure", async () => {
      for (const client of ['conf-token-a', 'conf-token-b']) {
        await store(repos.contracts, contractOf(client));
        await store(repos.contracts, contractOf(client));
      }
      const foreign = (await repos.contracts.listByClient('conf-token-b', { limit: 1 })).nextToken;
      expect(foreign).toBeDefined();
      const attempt = repos.contracts.listByClient('conf-token-a', { limit: 1, nextToken: foreign }).then(
        (page) => page,
        (error: unknown) => error,
      );
      const outcome = await attempt;
      // Either the token is refused as a client error, or it is harmless: never another client's data, never a 500.
      if (outcome instanceof Error) expect(outcome, `${outcome.name}: ${outcome.message}`).toBeInstanceOf(ValidationError);
      else expect((outcome as { items: Contract[] }).items.every((c) => c.clientId === 'conf-token-a')).toBe(true);
    });
  });

  describe('contract periods guard', () => {
    const GUARD_CHANGED = (clientId: string) => `the contracts of client ${clientId} changed meanwhile; try again`;

    it('has no guard for a client until a contract is written, then reads back each version written', async () => {
      expect(await repos.contracts.periodsOf('conf-guard')).toBeUndefined();
      const first = { ...contractOf('conf-guard'), startDate: '2024-01-01', endDate: '2024-12-31' };
      await repos.contracts.create(first, { expectedVersion: undefined, periods: [periodOf(first)] });
      expect(await repos.contracts.periodsOf('conf-guard')).toEqual({ version: 1, periods: [periodOf(first)] });
      const second = { ...contractOf('conf-guard'), startDate: '2025-01-01' };
      await repos.contracts.create(second, { expectedVersion: 1, periods: [periodOf(first), periodOf(second)] });
      expect(await repos.contracts.periodsOf('conf-guard')).toEqual({ version: 2, periods: [periodOf(first), { contractId: second.id, startDate: '2025-01-01' }] });
      const moved = { ...second, version: 2, startDate: '2025-02-01' };
      await repos.contracts.replace(moved, 1, { expectedVersion: 2, periods: [periodOf(first), periodOf(moved)] });
      expect(await repos.contracts.periodsOf('conf-guard')).toEqual({ version: 3, periods: [periodOf(first), periodOf(moved)] });
      expect(await repos.contracts.periodsOf('conf-guard-other')).toBeUndefined();
    });

    it('refuses a create over a stale guard version, or over none when one exists, as a concurrent update, and writes neither item', async () => {
      const first = contractOf('conf-guard-stale');
      await store(repos.contracts, first);
      const guard = await repos.contracts.periodsOf('conf-guard-stale');
      const late = contractOf('conf-guard-stale');
      for (const expectedVersion of [undefined, 0, 2]) {
        const error = await repos.contracts.create(late, { expectedVersion, periods: [periodOf(first), periodOf(late)] }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrentUpdateError);
        expect((error as ConflictError).message).toBe(GUARD_CHANGED('conf-guard-stale'));
      }
      expect(await repos.contracts.get(late.id)).toBeUndefined();
      expect(await repos.contracts.periodsOf('conf-guard-stale')).toEqual(guard);
    });

    it('refuses a create over the right guard version when the id exists, and leaves the guard alone', async () => {
      const contract = contractOf('conf-guard-dup');
      await store(repos.contracts, contract);
      const guard = await repos.contracts.periodsOf('conf-guard-dup');
      const again = { ...contract, clientName: 'other', startDate: '2030-01-01' };
      const error = await repos.contracts.create(again, { expectedVersion: guard?.version, periods: [periodOf(again)] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).not.toBeInstanceOf(ConcurrentUpdateError);
      expect(await repos.contracts.get(contract.id)).toEqual(contract);
      expect(await repos.contracts.periodsOf('conf-guard-dup')).toEqual(guard);
    });

    it('refuses a replace over a stale guard version as a concurrent update, and writes neither item', async () => {
      const contract = contractOf('conf-guard-replace');
      await store(repos.contracts, contract);
      await store(repos.contracts, contractOf('conf-guard-replace'));
      const guard = await repos.contracts.periodsOf('conf-guard-replace');
      expect(guard?.version).toBe(2);
      const moved = { ...contract, version: 2, startDate: '2031-01-01' };
      const error = await repos.contracts.replace(moved, 1, { expectedVersion: 1, periods: [periodOf(moved)] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrentUpdateError);
      expect((error as ConflictError).message).toBe(GUARD_CHANGED('conf-guard-replace'));
      expect(await repos.contracts.get(contract.id)).toEqual(contract);
      expect(await repos.contracts.periodsOf('conf-guard-replace')).toEqual(guard);
    });

    it('refuses a replace from a stale contract version over the right guard version, and leaves the guard alone', async () => {
      const contract = contractOf('conf-guard-replace-stale');
      await store(repos.contracts, contract);
      await replaceStored(repos.contracts, { ...contract, version: 2, clientName: 'v2' }, 1);
      const guard = await repos.contracts.periodsOf('conf-guard-replace-stale');
      const stale = { ...contract, version: 2, clientName: 'stale', startDate: '2031-01-01' };
      const error = await repos.contracts.replace(stale, 1, { expectedVersion: guard?.version, periods: [periodOf(stale)] }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).not.toBeInstanceOf(ConcurrentUpdateError);
      expect((await repos.contracts.get(contract.id))?.clientName).toBe('v2');
      expect(await repos.contracts.periodsOf('conf-guard-replace-stale')).toEqual(guard);
    });

    it('lets exactly one of concurrent creates over the same guard version through; the others are concurrent updates', async () => {
      const racers = Array.from({ length: 5 }, () => contractOf('conf-guard-race'));
      const outcomes = await Promise.allSettled(racers.map((c) => repos.contracts.create(c, { expectedVersion: undefined, periods: [periodOf(c)] })));
      const winners = racers.filter((_, i) => outcomes[i]?.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConcurrentUpdateError);
      expect(await repos.contracts.periodsOf('conf-guard-race')).toEqual({ version: 1, periods: [periodOf(winners[0]!)] });
      for (const racer of racers) expect(await repos.contracts.get(racer.id)).toEqual(racer === winners[0] ? racer : undefined);
    });
  });

  describe('agents', () => {
    const REVOKED = '2026-03-02T00:00:00.000Z';

    it('reads an agent back for its own client only', async () => {
      const agent = agentOf('conf-agent', HASH(1));
      await repos.agents.create(agent);
      expect(await repos.agents.get('conf-agent', agent.agentId)).toEqual(agent);
      expect(await repos.agents.get('conf-agent-other', agent.agentId)).toBeUndefined();
      await expect(repos.agents.create({ ...agent, host: 'srv-other', key: { ...agent.key, hash: HASH(99) } })).rejects.toBeInstanceOf(ConflictError);
    });

    it('finds an agent by the hash of its key, and nothing for another hash', async () => {
      const agent = agentOf('conf-hash', HASH(2));
      await repos.agents.create(agent);
      expect(await repos.agents.findByKeyHash(HASH(2))).toEqual(agent);
      expect(await repos.agents.findByKeyHash(HASH(3))).toBeUndefined();
    });

    it('holds one active agent per host: a second is a conflict until the first is revoked', async () => {
      const first = agentOf('conf-host', HASH(10), 'srv-shared');
      await repos.agents.create(first);
      expect(await repos.agents.activeForHost('conf-host', 'srv-shared')).toEqual(first);
      const second = agentOf('conf-host', HASH(11), 'srv-shared');
      await expect(repos.agents.create(second)).rejects.toThrow(new RegExp(`already has an active agent.*${first.agentId}`));
      expect(await repos.agents.get('conf-host', second.agentId)).toBeUndefined();
      expect(await repos.agents.findByKeyHash(HASH(11))).toBeUndefined();
      await repos.agents.revoke('conf-host', first.agentId, REVOKED, 'ada');
      expect(await repos.agents.activeForHost('conf-host', 'srv-shared')).toBeUndefined();
      await repos.agents.create(second);
      expect(await repos.agents.activeForHost('conf-host', 'srv-shared')).toEqual(second);
      expect(await repos.agents.activeForHost('conf-host-other', 'srv-shared')).toBeUndefined();
    });

    it('lets exactly one of concurrent registrations of a host through', async () => {
      const racers = Array.from({ length: 4 }, (_, n) => agentOf('conf-host-race', HASH(20 + n), 'srv-race'));
      const outcomes = await Promise.allSettled(racers.map((agent) => repos.agents.create(agent)));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes) if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConflictError);
    });

    it('rotates over the version read: the new key finds the agent, the old one too (the agent says until when)', async () => {
      const agent = agentOf('conf-rotate', HASH(30));
      await repos.agents.create(agent);
      const rotated: AgentRecord = {
        ...agent,
        key: { hash: HASH(31), issuedAt: REVOKED, issuedBy: 'bob' },
        previousKey: { hash: HASH(30), retiresAt: '2026-03-03T00:00:00.000Z' },
        version: 2,
      };
      await repos.agents.rotate(rotated, 1);
      expect(await repos.agents.findByKeyHash(HASH(31))).toEqual(rotated);
      expect(await repos.agents.findByKeyHash(HASH(30))).toEqual(rotated);
      await expect(repos.agents.rotate({ ...rotated, key: { ...rotated.key, hash: HASH(32) }, version: 2 }, 1)).rejects.toBeInstanceOf(ConcurrentUpdateError);
      const again: AgentRecord = { ...rotated, key: { ...rotated.key, hash: HASH(33) }, previousKey: { hash: HASH(31), retiresAt: REVOKED }, version: 3 };
      await repos.agents.rotate(again, 2);
      // The first key is no longer the agent's current or previous one: its lookup leads nowhere.
      expect(await repos.agents.findByKeyHash(HASH(30))).toBeUndefined();
      await repos.agents.revoke('conf-rotate', agent.agentId, REVOKED, 'ada');
      await expect(repos.agents.rotate({ ...again, key: { ...again.key, hash: HASH(34) }, version: 4 }, 3)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    });

    it('revokes once: the first revocation is kept, and is seen at once by key', async () => {
      const agent = agentOf('conf-revoke', HASH(4));
      await repos.agents.create(agent);
      expect(await repos.agents.revoke('conf-revoke', agent.agentId, REVOKED, 'bob')).toEqual({ ...agent, revokedAt: REVOKED, revokedBy: 'bob' });
      expect(await repos.agents.revoke('conf-revoke', agent.agentId, '2026-04-01T00:00:00.000Z', 'eve')).toMatchObject({ revokedAt: REVOKED, revokedBy: 'bob' });
      expect((await repos.agents.findByKeyHash(HASH(4)))?.revokedAt).toBe(REVOKED);
    });

    it("does not revoke another client's agent, nor an unknown one", async () => {
      const agent = agentOf('conf-revoke-mine', HASH(5));
      await repos.agents.create(agent);
      expect(await repos.agents.revoke('conf-revoke-theirs', agent.agentId, REVOKED, 'ada')).toBeUndefined();
      expect(await repos.agents.revoke('conf-revoke-mine', nextId(), REVOKED, 'ada')).toBeUndefined();
      expect((await repos.agents.get('conf-revoke-mine', agent.agentId))?.revokedAt).toBeUndefined();
    });

    it("lists a client's agents page by page, not its contracts nor other clients' agents", async () => {
      const first = agentOf('conf-agents', HASH(6), 'srv-a');
      const second = agentOf('conf-agents', HASH(7), 'srv-b');
      const third = agentOf('conf-agents', HASH(8), 'srv-c');
      await repos.agents.create(second);
      await repos.agents.create(first);
      await repos.agents.create(third);
      await repos.agents.create(agentOf('conf-agents-other', HASH(9)));
      await store(repos.contracts, contractOf('conf-agents'));
      const page1 = await repos.agents.listByClient('conf-agents', { limit: 2 });
      expect(page1.items).toEqual([first, second]);
      const page2 = await repos.agents.listByClient('conf-agents', { limit: 2, nextToken: page1.nextToken });
      expect(page2.items).toEqual([third]);
    });
  });

  describe('staff', () => {
    const at = (hour: number) => `2026-03-02T${String(hour).padStart(2, '0')}:00:00.000Z`;

    it('puts, reads and overwrites a scope', async () => {
      expect(await repos.staff.getScope('conf-tom')).toBeUndefined();
      const listed = { userId: 'conf-tom', clientIds: ['client-a'], updatedAt: at(8), updatedBy: 'ada' };
      await repos.staff.putScope(listed);
      expect(await repos.staff.getScope('conf-tom')).toEqual(listed);
      const all = { userId: 'conf-tom', allClients: true as const, updatedAt: at(9), updatedBy: 'ada' };
      await repos.staff.putScope(all);
      expect(await repos.staff.getScope('conf-tom')).toEqual(all);
    });

    it('disables, enables and signs out, keeping the cut-off of tokens across enabling', async () => {
      expect(await repos.staff.getStatus('conf-meg')).toBeUndefined();
      expect(await repos.staff.updateStatus('conf-meg', { action: 'disable', at: at(10), by: 'ada' })).toEqual({
        userId: 'conf-meg',
        disabledAt: at(10),
        disabledBy: 'ada',
        tokensNotBefore: at(10),
        updatedAt: at(10),
        updatedBy: 'ada',
      });
      const enabled = { userId: 'conf-meg', tokensNotBefore: at(10), updatedAt: at(11), updatedBy: 'bob' };
      expect(await repos.staff.updateStatus('conf-meg', { action: 'enable', at: at(11), by: 'bob' })).toEqual(enabled);
      expect(await repos.staff.getStatus('conf-meg')).toEqual(enabled);
      expect(await repos.staff.updateStatus('conf-meg', { action: 'sign-out', at: at(12), by: 'ada' })).toEqual({
        ...enabled,
        tokensNotBefore: at(12),
        updatedAt: at(12),
        updatedBy: 'ada',
      });
    });

    it("reads a member's scope and status together, and nothing of another member", async () => {
      const scope = { userId: 'conf-ann', clientIds: ['client-b'], updatedAt: at(8), updatedBy: 'ada' };
      await repos.staff.putScope(scope);
      expect(await repos.staff.accessOf('conf-ann')).toEqual({ scope, status: undefined });
      const status = await repos.staff.updateStatus('conf-ann', { action: 'sign-out', at: at(9), by: 'ada' });
      expect(await repos.staff.accessOf('conf-ann')).toEqual({ scope, status });
      await repos.staff.putScope({ ...scope, userId: 'conf-ann2' });
      expect(await repos.staff.accessOf('conf-an')).toEqual({ scope: undefined, status: undefined });
    });
  });
});

/** Interruptions live in their contract's partition, next to the contract item itself. */
interface InterruptionRepositories {
  contracts: ContractRepository;
  interruptions: InterruptionRepository;
}

const interruptionImplementations: Array<[string, () => Promise<InterruptionRepositories>]> = [
  ['in memory', async () => ({ contracts: new InMemoryContractRepository(), interruptions: new InMemoryInterruptionRepository() })],
  [
    'DynamoDB Local',
    async () => {
      const endpoint = inject('dynamoEndpoint');
      const table = `vigie-conformance-interruptions-${randomUUID()}`;
      await ensureTable(endpoint, table);
      db ??= createDocumentClient({ region: 'eu-west-1', endpoint });
      return { contracts: new DynamoContractRepository(db, table), interruptions: new DynamoInterruptionRepository(db, table) };
    },
  ],
];

const interruptionOf = (contractId: string, id = nextId()): InterruptionRecord => ({
  id,
  contractId,
  clientId: 'conf-interruptions',
  notifiedAt: '2026-03-02T08:00:00.000Z',
  planned: false,
  description: 'ERP unreachable',
  recordedBy: 'tom',
  version: 1,
  createdAt: '2026-03-02T08:01:00.000Z',
  updatedAt: '2026-03-02T08:01:00.000Z',
});
const RESTORATION = { restoredAt: '2026-03-02T16:00:00.000Z', restoredBy: 'ada', updatedAt: '2026-03-02T16:05:00.000Z' };

describe.each(interruptionImplementations)('interruption repository (%s)', (_name, make) => {
  let repos: InterruptionRepositories;
  beforeAll(async () => {
    repos = await make();
  });

  it('reads back what it created, and refuses the same id twice on the same contract', async () => {
    const interruption = interruptionOf(nextId());
    await repos.interruptions.create(interruption);
    expect(await repos.interruptions.get(interruption.contractId, interruption.id)).toEqual(interruption);
    await expect(repos.interruptions.create({ ...interruption, description: 'other' })).rejects.toBeInstanceOf(ConflictError);
    expect((await repos.interruptions.get(interruption.contractId, interruption.id))?.description).toBe('ERP unreachable');
  });

  it('finds an interruption under its own contract only', async () => {
    const interruption = interruptionOf(nextId());
    await repos.interruptions.create(interruption);
    expect(await repos.interruptions.get(nextId(), interruption.id)).toBeUndefined();
    expect(await repos.interruptions.get(interruption.contractId, nextId())).toBeUndefined();
  });

  it('restores once, bumping the version: the first restoration is kept and returned, a second one is refused', async () => {
    const interruption = interruptionOf(nextId());
    await repos.interruptions.create(interruption);
    expect(await repos.interruptions.restore(interruption.contractId, interruption.id, RESTORATION)).toEqual({ ...interruption, ...RESTORATION, version: 2 });
    expect(await repos.interruptions.get(interruption.contractId, interruption.id)).toEqual({ ...interruption, ...RESTORATION, version: 2 });
    const later = { restoredAt: '2026-03-02T17:00:00.000Z', restoredBy: 'tom', updatedAt: '2026-03-02T17:05:00.000Z' };
    expect(await repos.interruptions.restore(interruption.contractId, interruption.id, later)).toBeUndefined();
    expect(await repos.interruptions.get(interruption.contractId, interruption.id)).toEqual({ ...interruption, ...RESTORATION, version: 2 });
  });

  it('bumps the version a restoration finds, whatever it is', async () => {
    const interruption = interruptionOf(nextId());
    await repos.interruptions.create(interruption);
    await repos.interruptions.replace({ ...interruption, planned: true, version: 2 }, 1);
    const restored = await repos.interruptions.restore(interruption.contractId, interruption.id, RESTORATION);
    expect(restored).toEqual({ ...interruption, planned: true, ...RESTORATION, version: 3 });
    expect(await repos.interruptions.get(interruption.contractId, interruption.id)).toEqual(restored);
  });

  it('does not restore (nor create) an interruption that does not exist', async () => {
    const contractId = nextId();
    const id = nextId();
    expect(await repos.interruptions.restore(contractId, id, RESTORATION)).toBeUndefined();
    expect(await repos.interruptions.get(contractId, id)).toBeUndefined();
  });

  it('replaces only from the expected version, and drops the attributes the new record no longer has', async () => {
    const interruption = { ...interruptionOf(nextId()), exclusion: 'third-party' as const, exclusionReason: 'carrier outage' };
    await repos.interruptions.create(interruption);
    const { exclusion: _exclusion, exclusionReason: _reason, ...cleared } = interruption;
    const next = { ...cleared, planned: true, version: 2, updatedAt: '2026-03-03T09:00:00.000Z' };
    await repos.interruptions.replace(next, interruption.version);
    const stored = await repos.interruptions.get(interruption.contractId, interruption.id);
    expect(stored).toEqual(next);
    expect(stored).not.toHaveProperty('exclusion');

    await expect(repos.interruptions.replace({ ...next, planned: false, updatedAt: '2026-03-04T09:00:00.000Z' }, interruption.version)).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await repos.interruptions.get(interruption.contractId, interruption.id)).toEqual(next);
  });

  it('refuses a stale replace even when both writes carry the same updatedAt (same millisecond)', async () => {
    const interruption = interruptionOf(nextId());
    await repos.interruptions.create(interruption);
    const first = { ...interruption, planned: true, version: 2 };
    await repos.interruptions.replace(first, interruption.version);
    await expect(repos.interruptions.replace({ ...interruption, description: 'stale', version: 2 }, interruption.version)).rejects.toBeInstanceOf(ConflictError);
    expect(await repos.interruptions.get(interruption.contractId, interruption.id)).toEqual(first);
  });

  it('sees a restoration as a change a stale replace must not overwrite, and lets a replace from the new version through', async () => {
    const interruption = interruptionOf(nextId());
    await repos.interruptions.create(interruption);
    await repos.interruptions.restore(interruption.contractId, interruption.id, RESTORATION);
    await expect(
      repos.interruptions.replace({ ...interruption, planned: true, version: 2, updatedAt: '2026-03-03T09:00:00.000Z' }, interruption.version),
    ).rejects.toBeInstanceOf(ConflictError);
    const restored = { ...interruption, ...RESTORATION, version: 2 };
    expect(await repos.interruptions.get(interruption.contractId, interruption.id)).toEqual(restored);

    const classified = { ...restored, planned: true, version: 3, updatedAt: '2026-03-03T09:00:00.000Z' };
    await repos.interruptions.replace(classified, restored.version);
    expect(await repos.interruptions.get(interruption.contractId, interruption.id)).toEqual(classified);
  });

  it('does not replace an interruption that does not exist', async () => {
    const ghost = interruptionOf(nextId());
    await expect(repos.interruptions.replace(ghost, ghost.version)).rejects.toBeInstanceOf(ConflictError);
    expect(await repos.interruptions.get(ghost.contractId, ghost.id)).toBeUndefined();
  });

  it("lists a contract's interruptions in id order, without the contract item beside them nor other contracts' interruptions", async () => {
    const contract = contractOf('conf-interruptions');
    await store(repos.contracts, contract);
    const mine = [interruptionOf(contract.id), interruptionOf(contract.id), interruptionOf(contract.id)];
    for (const interruption of [...mine].reverse()) await repos.interruptions.create(interruption);
    await repos.interruptions.create(interruptionOf(nextId()));

    expect(await repos.interruptions.listByContract(contract.id)).toEqual(mine);
    expect(await repos.interruptions.listByContract(nextId())).toEqual([]);
    // …and the contract item and the client's contract list are untouched by the interruptions in the partition.
    expect(await repos.contracts.get(contract.id)).toEqual(contract);
    expect((await repos.contracts.listByClient('conf-interruptions', { limit: 10 })).items).toEqual([contract]);
  });
});
