import { describe, expect, it } from 'vitest';
import { demoContractInput } from '../../../../infra/local/seed';
import {
  agentBoundToHost,
  agentView,
  authenticateAgent,
  keyOpens,
  listAgents,
  registerAgent,
  revokeAgent,
  rotateAgentKey,
  type AgentDeps,
} from '../../../../shared/domain/agents/agent-service';
import { createContract } from '../../../../shared/domain/contracts/contract-service';
import { ConflictError, NotFoundError } from '../../../../shared/domain/errors';
import type { AgentRecord } from '../../../../shared/schemas/agent';
import type { ContractInput } from '../../../../shared/schemas/contract';
import { expectRejection } from '../../../support/expect-rejection';
import {
  InMemoryAgentRepository,
  InMemoryContractRepository,
  deterministicKeys,
  manualClock,
  sequentialIds,
} from '../../../support/in-memory-repositories';

const REGISTERED_AT = '2026-03-01T08:00:00.000Z';
const REVOKED_AT = '2026-03-02T08:00:00.000Z';
const CLIENT = demoContractInput.clientId;

async function setup(contract: ContractInput | undefined = demoContractInput) {
  const deps: AgentDeps & { agents: InMemoryAgentRepository; clock: ReturnType<typeof manualClock> } = {
    agents: new InMemoryAgentRepository(),
    contracts: new InMemoryContractRepository(),
    keys: deterministicKeys,
    clock: manualClock(REGISTERED_AT),
    ids: sequentialIds(),
  };
  if (contract) await createContract(deps, contract, 'ada'); // takes id …01
  return deps;
}

describe('registerAgent', () => {
  it('returns the key once, keeps only its hash, and stores the host in lower case', async () => {
    const deps = await setup();
    const { agent, apiKey } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    const agentId = '01HZ0000000000000000000002';
    expect(apiKey).toMatch(new RegExp(`^vigie_${agentId.toLowerCase()}_`));
    expect(agent).toEqual({ agentId, clientId: CLIENT, host: 'srv-01', createdAt: REGISTERED_AT, createdBy: 'ada', keyIssuedAt: REGISTERED_AT, keyIssuedBy: 'ada' });

    const stored = await deps.agents.get(CLIENT, agentId);
    expect(stored?.key.hash).toBe(deterministicKeys.hash(apiKey));
    expect(JSON.stringify(stored)).not.toContain(apiKey);
  });

  it('refuses a client without a contract (404)', async () => {
    const deps = await setup();
    await expect(registerAgent(deps, 'client-without-contract', 'srv-01', 'ada')).rejects.toThrow(new NotFoundError('client client-without-contract has no contract'));
  });

  it('refuses (409) a client whose contract has no active Pro Secours module, or has ended', async () => {
    const noBackup = await setup({ ...demoContractInput, modules: { hosting: demoContractInput.modules.hosting! } });
    const refused = await expectRejection(registerAgent(noBackup, CLIENT, 'srv-01', 'ada'), ConflictError);
    expect(refused.message).toMatch(/no running contract with an active Pro Secours module/);
    const inactive = await setup({ ...demoContractInput, modules: { proSecours: { ...demoContractInput.modules.proSecours!, active: false } } });
    await expectRejection(registerAgent(inactive, CLIENT, 'srv-01', 'ada'), ConflictError);
    const ended = await setup({ ...demoContractInput, endDate: '2026-02-28' });
    await expectRejection(registerAgent(ended, CLIENT, 'srv-01', 'ada'), ConflictError);
    expect((await ended.agents.listByClient(CLIENT, { limit: 10 })).items).toEqual([]);
  });

  it('accepts a contract that ends today (Paris) or starts later', async () => {
    const endsToday = await setup({ ...demoContractInput, endDate: '2026-03-01' });
    await expect(registerAgent(endsToday, CLIENT, 'srv-01', 'ada')).resolves.toBeDefined();
    const startsLater = await setup({ ...demoContractInput, startDate: '2026-06-01' });
    await expect(registerAgent(startsLater, CLIENT, 'srv-01', 'ada')).resolves.toBeDefined();
  });

  it('allows one active agent per host (409 naming it), and a new one once it is revoked', async () => {
    const deps = await setup();
    const first = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    const taken = await expectRejection(registerAgent(deps, CLIENT, 'srv-01', 'ada'), ConflictError);
    expect(taken.message).toContain(first.agent.agentId);
    expect(taken.message).toContain('/rotate');
    await revokeAgent(deps, CLIENT, first.agent.agentId, 'ada');
    await expect(registerAgent(deps, CLIENT, 'srv-01', 'ada')).resolves.toBeDefined();
  });
});

describe('authenticateAgent', () => {
  it('turns a registered key into an agent principal bound to its client and host', async () => {
    const deps = await setup();
    const { agent, apiKey } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    expect(await authenticateAgent(deps, apiKey)).toEqual({ kind: 'agent', agentId: agent.agentId, clientId: CLIENT, host: 'srv-01' });
  });

  it('does not know an unknown key', async () => {
    const deps = await setup();
    await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    expect(await authenticateAgent(deps, `vigie_${'0'.repeat(26)}_${'x'.repeat(43)}`)).toBeUndefined();
  });

  it('stops accepting a key as soon as its agent is revoked', async () => {
    const deps = await setup();
    const { agent, apiKey } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    await revokeAgent(deps, CLIENT, agent.agentId, 'ada');
    expect(await authenticateAgent(deps, apiKey)).toBeUndefined();
  });
});

describe('rotateAgentKey', () => {
  it('issues a new key; the old one works until the grace period ends, then never again', async () => {
    const deps = await setup();
    const { agent, apiKey: oldKey } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    deps.clock.set('2026-03-05T10:00:00.000Z');
    const rotated = await rotateAgentKey(deps, CLIENT, agent.agentId, { graceMinutes: 60 }, 'bob');
    expect(rotated.apiKey).not.toBe(oldKey);
    expect(rotated.agent).toMatchObject({ agentId: agent.agentId, keyIssuedAt: '2026-03-05T10:00:00.000Z', keyIssuedBy: 'bob', previousKeyRetiresAt: '2026-03-05T11:00:00.000Z' });
    expect(await authenticateAgent(deps, rotated.apiKey)).toMatchObject({ agentId: agent.agentId });
    expect(await authenticateAgent(deps, oldKey)).toMatchObject({ agentId: agent.agentId });
    deps.clock.set('2026-03-05T11:00:00.000Z');
    expect(await authenticateAgent(deps, oldKey)).toBeUndefined();
    expect(await authenticateAgent(deps, rotated.apiKey)).toBeDefined();
  });

  it('ends the old key at once with no grace, and a key replaced two rotations ago in any case', async () => {
    const deps = await setup();
    const { agent, apiKey: first } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    const second = await rotateAgentKey(deps, CLIENT, agent.agentId, { graceMinutes: 600 }, 'ada');
    const third = await rotateAgentKey(deps, CLIENT, agent.agentId, { graceMinutes: 600 }, 'ada');
    expect(await authenticateAgent(deps, first)).toBeUndefined();
    expect(await authenticateAgent(deps, second.apiKey)).toBeDefined();
    await rotateAgentKey(deps, CLIENT, agent.agentId, { graceMinutes: 0 }, 'ada');
    expect(await authenticateAgent(deps, third.apiKey)).toBeUndefined();
  });

  it('refuses an unknown agent (404) and a revoked one (409)', async () => {
    const deps = await setup();
    const { agent } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    await expectRejection(rotateAgentKey(deps, CLIENT, '01HZ9999999999999999999999', { graceMinutes: 0 }, 'ada'), NotFoundError);
    await expectRejection(rotateAgentKey(deps, 'another-client', agent.agentId, { graceMinutes: 0 }, 'ada'), NotFoundError);
    await revokeAgent(deps, CLIENT, agent.agentId, 'ada');
    await expectRejection(rotateAgentKey(deps, CLIENT, agent.agentId, { graceMinutes: 0 }, 'ada'), ConflictError);
  });
});

describe('keyOpens', () => {
  const agent: AgentRecord = {
    agentId: '01HZ0000000000000000000002',
    clientId: 'client-a',
    host: 'srv-01',
    key: { hash: 'a'.repeat(64), issuedAt: REGISTERED_AT, issuedBy: 'ada' },
    previousKey: { hash: 'b'.repeat(64), retiresAt: REVOKED_AT },
    createdAt: REGISTERED_AT,
    createdBy: 'ada',
    version: 2,
  };
  it('opens with the current key, with the previous one strictly before it retires, and never once revoked', () => {
    expect(keyOpens(agent, 'a'.repeat(64), new Date(REVOKED_AT))).toBe(true);
    expect(keyOpens(agent, 'b'.repeat(64), new Date(Date.parse(REVOKED_AT) - 1))).toBe(true);
    expect(keyOpens(agent, 'b'.repeat(64), new Date(REVOKED_AT))).toBe(false);
    expect(keyOpens(agent, 'c'.repeat(64), new Date(REGISTERED_AT))).toBe(false);
    expect(keyOpens({ ...agent, revokedAt: REVOKED_AT }, 'a'.repeat(64), new Date(REGISTERED_AT))).toBe(false);
  });
});

describe('revokeAgent', () => {
  it('stamps who revoked it and when, and returns the view without a hash', async () => {
    const deps = await setup();
    const { agent } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    deps.clock.set(REVOKED_AT);
    expect(await revokeAgent(deps, CLIENT, agent.agentId, 'bob')).toEqual({ ...agent, revokedAt: REVOKED_AT, revokedBy: 'bob' });
  });

  it('is idempotent: a second revocation keeps the first', async () => {
    const deps = await setup();
    const { agent } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    deps.clock.set(REVOKED_AT);
    await revokeAgent(deps, CLIENT, agent.agentId, 'bob');
    deps.clock.set('2026-04-01T00:00:00.000Z');
    expect(await revokeAgent(deps, CLIENT, agent.agentId, 'eve')).toMatchObject({ revokedAt: REVOKED_AT, revokedBy: 'bob' });
  });

  it('is NotFound for an unknown agent, or an agent of another client', async () => {
    const deps = await setup();
    const { agent } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    await expect(revokeAgent(deps, CLIENT, '01HZ9999999999999999999999', 'ada')).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeAgent(deps, 'another-client', agent.agentId, 'ada')).rejects.toThrow(`agent ${agent.agentId} does not exist for client another-client`);
    expect((await deps.agents.get(CLIENT, agent.agentId))?.revokedAt).toBeUndefined();
  });
});

describe('listAgents and agentView', () => {
  it("lists a client's agents page by page, revoked ones included, never with a hash", async () => {
    const deps = await setup();
    const first = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    const second = await registerAgent(deps, CLIENT, 'srv-02', 'ada');
    const third = await registerAgent(deps, CLIENT, 'srv-03', 'ada');
    deps.clock.set(REVOKED_AT);
    await revokeAgent(deps, CLIENT, first.agent.agentId, 'ada');

    const page1 = await listAgents(deps, CLIENT, { limit: 2 });
    expect(page1.items).toEqual([{ ...first.agent, revokedAt: REVOKED_AT, revokedBy: 'ada' }, second.agent]);
    const page2 = await listAgents(deps, CLIENT, { limit: 2, nextToken: page1.nextToken });
    expect(page2).toEqual({ items: [third.agent], nextToken: undefined });
    for (const view of [...page1.items, ...page2.items]) expect(JSON.stringify(view)).not.toMatch(/[0-9a-f]{64}/);
    expect((await listAgents(deps, 'another-client', { limit: 10 })).items).toEqual([]);
  });

  it('agentView shows when keys were issued and retire, and drops the hashes and the version', () => {
    const record: AgentRecord = {
      agentId: '01HZ0000000000000000000002',
      clientId: 'client-a',
      host: 'srv-01',
      key: { hash: 'a'.repeat(64), issuedAt: REVOKED_AT, issuedBy: 'bob' },
      previousKey: { hash: 'b'.repeat(64), retiresAt: '2026-03-03T08:00:00.000Z' },
      createdAt: REGISTERED_AT,
      createdBy: 'ada',
      version: 2,
    };
    expect(agentView(record)).toEqual({
      agentId: record.agentId,
      clientId: 'client-a',
      host: 'srv-01',
      createdAt: REGISTERED_AT,
      createdBy: 'ada',
      keyIssuedAt: REVOKED_AT,
      keyIssuedBy: 'bob',
      previousKeyRetiresAt: '2026-03-03T08:00:00.000Z',
    });
  });
});

describe('agentBoundToHost', () => {
  const admin = { kind: 'staff', userId: 'ada', role: 'admin', clientScope: 'all' } as const;

  it("shows an agent only itself, and an admin the host's active agent", async () => {
    const deps = await setup();
    const first = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    const other = await registerAgent(deps, CLIENT, 'srv-02', 'ada');
    const asFirst = (await authenticateAgent(deps, first.apiKey))!;
    expect(await agentBoundToHost(deps, asFirst, CLIENT, 'srv-01')).toEqual(first.agent);
    await expectRejection(agentBoundToHost(deps, asFirst, CLIENT, 'srv-02'), NotFoundError);
    expect(await agentBoundToHost(deps, admin, CLIENT, 'srv-02')).toEqual(other.agent);
  });

  it('answers NotFound when no active agent is bound to the host', async () => {
    const deps = await setup();
    const { agent } = await registerAgent(deps, CLIENT, 'srv-01', 'ada');
    await revokeAgent(deps, CLIENT, agent.agentId, 'ada');
    await expectRejection(agentBoundToHost(deps, admin, CLIENT, 'srv-01'), NotFoundError);
    await expectRejection(agentBoundToHost(deps, admin, CLIENT, 'srv-09'), NotFoundError);
  });
});
