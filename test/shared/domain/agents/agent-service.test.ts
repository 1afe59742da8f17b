import { describe, expect, it } from 'vitest';
import { demoContractInput } from '../../../../infra/local/seed';
import { agentsBoundToHost, authenticateAgent, agentView, listAgents, registerAgent, revokeAgent, type AgentDeps } from '../../../../shared/domain/agents/agent-service';
import { createContract } from '../../../../shared/domain/contracts/contract-service';
import { NotFoundError } from '../../../../shared/domain/errors';
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

async function setup() {
  const deps: AgentDeps & { agents: InMemoryAgentRepository; clock: ReturnType<typeof manualClock> } = {
    agents: new InMemoryAgentRepository(),
    contracts: new InMemoryContractRepository(),
    keys: deterministicKeys,
    clock: manualClock(REGISTERED_AT),
    ids: sequentialIds(),
  };
  await createContract(deps, demoContractInput, 'ada'); // takes id …01
  return deps;
}

describe('registerAgent', () => {
  it('returns the key once and keeps only its hash', async () => {
    const deps = await setup();
    const { agent, apiKey } = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    const agentId = '01HZ0000000000000000000002';
    expect(apiKey).toBe(deterministicKeys.generate(agentId));
    expect(agent).toEqual({ agentId, clientId: CLIENT, host: 'SRV-01', createdAt: REGISTERED_AT, createdBy: 'ada' });
    expect(agent).not.toHaveProperty('keyHash');

    const stored = await deps.agents.get(CLIENT, agentId);
    expect(stored?.keyHash).toBe(deterministicKeys.hash(apiKey));
    expect(JSON.stringify(stored)).not.toContain(apiKey);
  });

  it('refuses a client without a contract', async () => {
    const deps = await setup();
    await expect(registerAgent(deps, 'client-without-contract', 'SRV-01', 'ada')).rejects.toThrow(
      new NotFoundError('client client-without-contract has no contract'),
    );
    expect(await deps.agents.listByClient('client-without-contract')).toEqual([]);
  });
});

describe('authenticateAgent', () => {
  it('turns a registered key into an agent principal bound to its client and host', async () => {
    const deps = await setup();
    const { agent, apiKey } = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    expect(await authenticateAgent(deps, apiKey)).toEqual({ kind: 'agent', agentId: agent.agentId, clientId: CLIENT, host: 'SRV-01' });
  });

  it('does not know an unknown key', async () => {
    const deps = await setup();
    await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    expect(await authenticateAgent(deps, `vigie_${'0'.repeat(26)}_${'x'.repeat(43)}`)).toBeUndefined();
  });

  it('stops accepting a key as soon as its agent is revoked', async () => {
    const deps = await setup();
    const { agent, apiKey } = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    await revokeAgent(deps, CLIENT, agent.agentId);
    expect(await authenticateAgent(deps, apiKey)).toBeUndefined();
  });
});

describe('revokeAgent', () => {
  it('stamps the revocation time and returns the view without the hash', async () => {
    const deps = await setup();
    const { agent } = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    deps.clock.set(REVOKED_AT);
    expect(await revokeAgent(deps, CLIENT, agent.agentId)).toEqual({ ...agent, revokedAt: REVOKED_AT });
  });

  it('is idempotent: a second revocation keeps the first time', async () => {
    const deps = await setup();
    const { agent } = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    deps.clock.set(REVOKED_AT);
    await revokeAgent(deps, CLIENT, agent.agentId);
    deps.clock.set('2026-04-01T00:00:00.000Z');
    expect((await revokeAgent(deps, CLIENT, agent.agentId)).revokedAt).toBe(REVOKED_AT);
  });

  it('is NotFound for an unknown agent, or an agent of another client', async () => {
    const deps = await setup();
    const { agent } = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    await expect(revokeAgent(deps, CLIENT, '01HZ9999999999999999999999')).rejects.toBeInstanceOf(NotFoundError);
    await expect(revokeAgent(deps, 'another-client', agent.agentId)).rejects.toThrow(
      `agent ${agent.agentId} does not exist for client another-client`,
    );
    expect((await deps.agents.get(CLIENT, agent.agentId))?.revokedAt).toBeUndefined();
  });
});

describe('listAgents and agentView', () => {
  it("lists a client's agents, revoked ones included, never with their hash", async () => {
    const deps = await setup();
    const first = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    const second = await registerAgent(deps, CLIENT, 'SRV-02', 'ada');
    deps.clock.set(REVOKED_AT);
    await revokeAgent(deps, CLIENT, first.agent.agentId);

    const listed = await listAgents(deps, CLIENT);
    expect(listed).toEqual([{ ...first.agent, revokedAt: REVOKED_AT }, second.agent]);
    for (const view of listed) expect(view).not.toHaveProperty('keyHash');
    expect(await listAgents(deps, 'another-client')).toEqual([]);
  });

  it('agentView drops only the hash', () => {
    const record = {
      agentId: '01HZ0000000000000000000002',
      clientId: 'client-a',
      host: 'SRV-01',
      keyHash: 'a'.repeat(64),
      createdAt: REGISTERED_AT,
      createdBy: 'ada',
      revokedAt: REVOKED_AT,
    };
    const { keyHash: _hash, ...rest } = record;
    expect(agentView(record)).toEqual(rest);
  });
});

describe('agentsBoundToHost', () => {
  const admin = { kind: 'staff', userId: 'ada', role: 'admin', clientScope: 'all' } as const;

  it('shows an agent only itself, and an admin every active agent of the host', async () => {
    const deps = await setup();
    const first = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    const second = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    await registerAgent(deps, CLIENT, 'SRV-02', 'ada');
    const asFirst = (await authenticateAgent(deps, first.apiKey))!;

    expect(await agentsBoundToHost(deps, asFirst, CLIENT, 'SRV-01')).toEqual([first.agent]);
    expect(await agentsBoundToHost(deps, admin, CLIENT, 'SRV-01')).toEqual([first.agent, second.agent]);

    await revokeAgent(deps, CLIENT, second.agent.agentId);
    expect(await agentsBoundToHost(deps, admin, CLIENT, 'SRV-01')).toEqual([first.agent]);
  });

  it('answers NotFound when no active agent is bound to the host', async () => {
    const deps = await setup();
    const { agent } = await registerAgent(deps, CLIENT, 'SRV-01', 'ada');
    await revokeAgent(deps, CLIENT, agent.agentId);
    await expect(agentsBoundToHost(deps, admin, CLIENT, 'SRV-01')).rejects.toBeInstanceOf(NotFoundError);
    await expect(agentsBoundToHost(deps, admin, CLIENT, 'SRV-09')).rejects.toBeInstanceOf(NotFoundError);
  });
});
