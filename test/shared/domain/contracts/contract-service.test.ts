import { describe, expect, it } from 'vitest';
import { demoContractInput } from '../../../../infra/local/seed';
import {
  MAX_WRITE_ATTEMPTS,
  createContract,
  etagOf,
  getContract,
  listContracts,
  periodsOverlap,
  replaceContract,
  versionFromIfMatch,
  type ContractDeps,
} from '../../../../shared/domain/contracts/contract-service';
import { ConcurrentUpdateError, ConflictError, ForbiddenError, NotFoundError, PreconditionRequiredError, ValidationError } from '../../../../shared/domain/errors';
import { mapError } from '../../../../shared/http/errors';
import type { ContractPeriods, ContractRepository, Page, PageRequest, PeriodsWrite } from '../../../../shared/ports/repositories';
import type { Contract, ContractInput } from '../../../../shared/schemas/contract';
import type { Principal } from '../../../../shared/schemas/principal';
import { InMemoryContractRepository, manualClock, sequentialIds } from '../../../support/in-memory-repositories';
import { expectRejection } from '../../../support/expect-rejection';

const CREATED_AT = '2026-02-03T09:00:00.000Z';
const UPDATED_AT = '2026-02-04T10:30:00.000Z';

const admin: Principal = { kind: 'staff', userId: 'ada', role: 'admin', clientScope: [] };
const technicianOf = (...clientIds: string[]): Principal => ({ kind: 'staff', userId: 'tom', role: 'technician', clientScope: clientIds });

function setup() {
  const contracts = new InMemoryContractRepository();
  const clock = manualClock(CREATED_AT);
  const ids = sequentialIds();
  const deps: ContractDeps = { contracts, clock, ids };
  return { deps, contracts, clock, ids };
}

const period = (startDate: string, endDate?: string, clientId = 'client-a'): ContractInput => {
  const { endDate: _demoEnd, ...rest } = demoContractInput;
  return { ...rest, clientId, contractNumber: `INF-${clientId}-${startDate}`, startDate, ...(endDate ? { endDate } : {}) };
};

describe('periodsOverlap', () => {
  const p = (startDate: string, endDate?: string) => ({ startDate, endDate });

  it.each([
    ['adjacent closed periods', p('2024-01-01', '2024-12-31'), p('2025-01-01', '2025-12-31'), false],
    ['a closed period then an open one starting the next day', p('2024-01-01', '2024-12-31'), p('2025-01-01'), false],
    ['disjoint periods with a gap', p('2024-01-01', '2024-06-01'), p('2024-09-01', '2025-01-01'), false],
    ['one day in common (end dates are inclusive)', p('2024-01-01', '2025-01-01'), p('2025-01-01', '2026-01-01'), true],
    ['the same period', p('2024-01-01', '2025-01-01'), p('2024-01-01', '2025-01-01'), true],
    ['one period inside another', p('2024-01-01', '2026-01-01'), p('2024-06-01', '2024-07-01'), true],
    ['an open period and a later closed one', p('2024-01-01'), p('2030-01-01', '2031-01-01'), true],
    ['an open period and an earlier closed one ending the day before', p('2024-01-01'), p('2023-01-01', '2023-12-31'), false],
    ['an open period and an earlier closed one ending on its start day', p('2024-01-01'), p('2023-01-01', '2024-01-01'), true],
    ['two open periods', p('2024-01-01'), p('2099-01-01'), true],
  ])('%s → %s', (_name, a, b, expected) => {
    expect(periodsOverlap(a, b)).toBe(expected);
    expect(periodsOverlap(b, a)).toBe(expected);
  });
});

describe('createContract', () => {
  it('stores version 1 with the clock time and a new id, and returns what it stored', async () => {
    const { deps, contracts } = setup();
    const created = await createContract(deps, demoContractInput, 'ada');
    expect(created).toEqual({
      ...demoContractInput,
      id: '01HZ0000000000000000000001',
      version: 1,
      createdAt: CREATED_AT,
      createdBy: 'ada',
      updatedAt: CREATED_AT,
      updatedBy: 'ada',
    });
    expect(await contracts.get(created.id)).toEqual(created);
  });

  it('allows adjacent periods [2024-01-01, 2024-12-31] then [2025-01-01, open)', async () => {
    const { deps, contracts } = setup();
    await createContract(deps, period('2024-01-01', '2024-12-31'), 'ada');
    const next = await createContract(deps, period('2025-01-01'), 'ada');
    expect(next.startDate).toBe('2025-01-01');
    expect((await contracts.listByClient('client-a', { limit: 10 })).items).toHaveLength(2);
  });

  it('allows a closed period that ends the day before an open one starts', async () => {
    const { deps } = setup();
    await createContract(deps, period('2025-01-01'), 'ada');
    await expect(createContract(deps, period('2024-01-01', '2024-12-31'), 'ada')).resolves.toMatchObject({ version: 1 });
  });

  it('refuses a period overlapping an existing one, naming the contract it clashes with', async () => {
    const { deps, contracts } = setup();
    const first = await createContract(deps, period('2024-01-01', '2025-01-01'), 'ada');
    const error = await expectRejection(createContract(deps, period('2024-12-31', '2026-01-01'), 'ada'), ConflictError);
    expect(error.message).toBe(`client client-a already has contract ${first.id} over this period`);
    expect(error.details).toEqual([{ path: 'startDate', message: `overlaps contract ${first.id} (2024-01-01 → 2025-01-01)` }]);
    expect((await contracts.listByClient('client-a', { limit: 10 })).items).toEqual([first]);
  });

  it('refuses any period after an open-ended contract', async () => {
    const { deps } = setup();
    const open = await createContract(deps, period('2024-01-01'), 'ada');
    const error = await expectRejection(createContract(deps, period('2040-01-01', '2041-01-01'), 'ada'), ConflictError);
    expect(error.details[0]?.message).toBe(`overlaps contract ${open.id} (2024-01-01 → open)`);
  });

  it('refuses an open-ended period starting before an existing closed one ends', async () => {
    const { deps } = setup();
    await createContract(deps, period('2024-01-01', '2025-01-01'), 'ada');
    await expectRejection(createContract(deps, period('2024-06-01'), 'ada'), ConflictError);
  });

  it('refuses a second open-ended contract even when it starts much later', async () => {
    const { deps } = setup();
    await createContract(deps, period('2024-01-01'), 'ada');
    await expectRejection(createContract(deps, period('2099-01-01'), 'ada'), ConflictError);
  });

  it('ignores the contracts of other clients', async () => {
    const { deps } = setup();
    await createContract(deps, period('2024-01-01', undefined, 'client-a'), 'ada');
    await expect(createContract(deps, period('2024-01-01', undefined, 'client-b'), 'ada')).resolves.toMatchObject({ clientId: 'client-b' });
  });

  it('looks past the first page of the client contracts for a clash', async () => {
    const { deps, contracts } = setup();
    // 120 one-day contracts; the clash is with the last one, on the second page of 100.
    const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n)).toISOString().slice(0, 10);
    for (let n = 0; n < 120; n += 1) await createContract(deps, period(day(n), day(n)), 'ada');
    const last = (await contracts.listByClient('client-a', { limit: 200 })).items.at(-1);
    const error = await expectRejection(createContract(deps, period(day(119)), 'ada'), ConflictError);
    expect(error.message).toContain(last!.id);
  });
});

describe('createContract and the periods guard', () => {
  it('records each contract period in the client guard, bumping its version, in id order', async () => {
    const { deps, contracts } = setup();
    expect(await contracts.periodsOf('client-a')).toBeUndefined();
    const first = await createContract(deps, period('2024-01-01', '2024-12-31'), 'ada');
    expect(await contracts.periodsOf('client-a')).toEqual({ version: 1, periods: [{ contractId: first.id, startDate: '2024-01-01', endDate: '2024-12-31' }] });
    const second = await createContract(deps, period('2025-01-01'), 'ada');
    expect(await contracts.periodsOf('client-a')).toEqual({
      version: 2,
      periods: [
        { contractId: first.id, startDate: '2024-01-01', endDate: '2024-12-31' },
        { contractId: second.id, startDate: '2025-01-01' },
      ],
    });
    expect(await contracts.periodsOf('client-b')).toBeUndefined();
  });

  it('lets exactly one of concurrent overlapping creates for a client through; the others are overlap Conflicts, after a retry', async () => {
    const { deps, contracts } = setup();
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, n) => createContract(deps, period(`2024-0${n + 1}-01`), 'ada')));
    const winners = outcomes.filter((o): o is PromiseFulfilledResult<Contract> => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') continue;
      // Each loser lost the race on the guard, read it again and found the winner's period: a final Conflict.
      expect(outcome.reason).toBeInstanceOf(ConflictError);
      expect(outcome.reason).not.toBeInstanceOf(ConcurrentUpdateError);
      expect((outcome.reason as ConflictError).message).toBe(`client client-a already has contract ${winners[0]!.value.id} over this period`);
    }
    expect((await contracts.listByClient('client-a', { limit: 10 })).items).toHaveLength(1);
    expect((await contracts.periodsOf('client-a'))?.periods).toHaveLength(1);
  });

  it('retries a create whose guard changed between its read and its write, from a fresh read', async () => {
    const { deps, contracts } = setup();
    const counted = new CountingContracts(contracts);
    const [first, second] = await Promise.all([
      createContract({ ...deps, contracts: counted }, period('2024-01-01', '2024-12-31'), 'ada'),
      createContract({ ...deps, contracts: counted }, period('2025-01-01'), 'ada'),
    ]);
    expect(counted.calls.create).toBe(3); // the loser of the first race wrote again over version 1
    expect(counted.calls.periodsOf).toBe(3);
    expect(await contracts.periodsOf('client-a')).toEqual({
      version: 2,
      periods: [
        { contractId: first.id, startDate: '2024-01-01', endDate: '2024-12-31' },
        { contractId: second.id, startDate: '2025-01-01' },
      ],
    });
  });
});

/** Counts the calls a use case makes, and lets a test fail or slip a write in at chosen points. No mock library. */
class CountingContracts implements ContractRepository {
  readonly calls = { create: 0, replace: 0, get: 0, periodsOf: 0 };

  constructor(
    private readonly inner: ContractRepository,
    private readonly hooks: {
      create?: (n: number) => Promise<void>;
      replace?: (n: number) => Promise<void>;
      afterPeriodsOf?: (n: number) => Promise<void>;
    } = {},
  ) {}

  async create(contract: Contract, periods: PeriodsWrite): Promise<void> {
    this.calls.create += 1;
    await this.hooks.create?.(this.calls.create);
    return this.inner.create(contract, periods);
  }

  async get(id: string): Promise<Contract | undefined> {
    this.calls.get += 1;
    return this.inner.get(id);
  }

  async replace(contract: Contract, expectedVersion: number, periods: PeriodsWrite): Promise<void> {
    this.calls.replace += 1;
    await this.hooks.replace?.(this.calls.replace);
    return this.inner.replace(contract, expectedVersion, periods);
  }

  listByClient(clientId: string, page: PageRequest): Promise<Page<Contract>> {
    return this.inner.listByClient(clientId, page);
  }

  async periodsOf(clientId: string): Promise<ContractPeriods | undefined> {
    this.calls.periodsOf += 1;
    const guard = await this.inner.periodsOf(clientId);
    await this.hooks.afterPeriodsOf?.(this.calls.periodsOf);
    return guard;
  }
}

const lostRace = async () => {
  throw new ConcurrentUpdateError('the contracts of client client-a changed meanwhile; try again');
};

/** Gives the nth retry in the run a pause of n macrotasks: a deterministic stand-in for the random jitter. */
function staggeredPauses(): () => Promise<void> {
  let reported = 0;
  return async () => {
    reported += 1;
    for (let tick = 0; tick < reported; tick += 1) await new Promise<void>((resolve) => setImmediate(resolve));
  };
}

describe('retrying writes that lost a race on the guard', () => {
  const years = ['2030', '2031', '2032', '2033', '2034', '2035', '2036', '2037'];

  it('creates all of 8 concurrent contracts with disjoint periods, even when the losers of each race retry in the same instant', async () => {
    const { deps, contracts } = setup();
    const counted = new CountingContracts(contracts);
    const outcomes = await Promise.allSettled(years.map((year) => createContract({ ...deps, contracts: counted }, period(`${year}-01-01`, `${year}-12-31`), 'ada')));
    expect(outcomes.map((o) => o.status)).toEqual(years.map(() => 'fulfilled'));
    expect(counted.calls.create).toBe(8 + 7 + 6 + 5 + 4 + 3 + 2 + 1); // one winner per round
    const stored = (await contracts.listByClient('client-a', { limit: 10 })).items;
    expect(stored.map((c) => c.startDate).sort()).toEqual(years.map((year) => `${year}-01-01`));
    expect(await contracts.periodsOf('client-a')).toEqual({
      version: 8,
      periods: stored.map((c) => ({ contractId: c.id, startDate: c.startDate, endDate: c.endDate })),
    });
  });

  it('needs fewer attempts when the losers of a race back off for different times (as the jittered backoff does)', async () => {
    const inner = new InMemoryContractRepository();
    const contracts = new CountingContracts(inner);
    const deps: ContractDeps = { contracts, clock: manualClock(CREATED_AT), ids: sequentialIds(), backoff: staggeredPauses() };
    const outcomes = await Promise.allSettled(years.map((year) => createContract(deps, period(`${year}-01-01`, `${year}-12-31`), 'ada')));
    expect(outcomes.map((o) => o.status)).toEqual(years.map(() => 'fulfilled'));
    expect(contracts.calls.create).toBe(8 + 7); // the 7 losers of the first race each went through on their second attempt
    expect((await inner.periodsOf('client-a'))?.version).toBe(8);
  });

  it(`gives up after ${MAX_WRITE_ATTEMPTS} attempts: of 10 writers retrying in the same instant, 8 go through and 2 get a 409`, async () => {
    const { deps, contracts } = setup();
    const starts = [...years, '2038', '2039'];
    const outcomes = await Promise.allSettled(starts.map((year) => createContract(deps, period(`${year}-01-01`, `${year}-12-31`), 'ada')));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(MAX_WRITE_ATTEMPTS);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
    expect(refused).toHaveLength(2);
    for (const error of refused) {
      expect(error).toBeInstanceOf(ConcurrentUpdateError);
      expect(mapError(error).statusCode).toBe(409);
    }
    expect((await contracts.periodsOf('client-a'))?.version).toBe(MAX_WRITE_ATTEMPTS);
  });

  it('backs off before each retry, never before the first attempt nor after the last', async () => {
    const { deps } = setup();
    const waited: number[] = [];
    const backoff = async (attempt: number) => {
      waited.push(attempt);
    };
    const contracts = new CountingContracts(new InMemoryContractRepository(), { create: lostRace });
    await expectRejection(createContract({ ...deps, contracts, backoff }, period('2024-01-01'), 'ada'), ConcurrentUpdateError);
    expect(waited).toEqual([1, 2, 3, 4, 5, 6, 7]);

    waited.length = 0;
    await createContract({ ...deps, backoff }, period('2030-01-01'), 'ada'); // no race: no wait
    const clash = await expectRejection(createContract({ ...deps, backoff }, period('2030-06-01'), 'ada'), ConflictError); // overlap: final
    expect(clash).not.toBeInstanceOf(ConcurrentUpdateError);
    expect(waited).toEqual([]);
  });

  it(`retries a create ${MAX_WRITE_ATTEMPTS} times in all, each from a fresh read, then lets the conflict surface as a 409`, async () => {
    const { deps } = setup();
    const contracts = new CountingContracts(new InMemoryContractRepository(), { create: lostRace });
    const error = await expectRejection(createContract({ ...deps, contracts }, period('2024-01-01'), 'ada'), ConcurrentUpdateError);
    expect(MAX_WRITE_ATTEMPTS).toBe(8);
    expect(contracts.calls).toMatchObject({ create: 8, periodsOf: 8 });
    expect(mapError(error)).toMatchObject({ statusCode: 409, body: { error: 'Conflict', message: 'the contracts of client client-a changed meanwhile; try again' } });
    expect(await contracts.periodsOf('client-a')).toBeUndefined();
  });

  it(`retries a replace ${MAX_WRITE_ATTEMPTS} times in all, re-reading the contract each time, then a 409`, async () => {
    const { deps, contracts } = setup();
    const created = await createContract(deps, period('2024-01-01'), 'ada');
    const counted = new CountingContracts(contracts, { replace: lostRace });
    const error = await expectRejection(replaceContract({ ...deps, contracts: counted }, admin, created.id, period('2024-02-01'), 1), ConcurrentUpdateError);
    expect(counted.calls).toMatchObject({ replace: 8, get: 8, periodsOf: 8 });
    expect(mapError(error).statusCode).toBe(409);
    expect(await contracts.get(created.id)).toEqual(created);
  });

  it('retries a replace that raced a create of another period, and both go through', async () => {
    const { deps, contracts } = setup();
    const created = await createContract(deps, period('2024-01-01', '2024-12-31'), 'ada');
    let slipped: Contract | undefined;
    // Right after the replace reads the guard, a create of another period writes it.
    const counted = new CountingContracts(contracts, {
      afterPeriodsOf: async (n) => {
        if (n === 1) slipped = await createContract(deps, period('2026-01-01'), 'ada');
      },
    });
    const replaced = await replaceContract({ ...deps, contracts: counted }, admin, created.id, period('2024-01-01', '2025-06-30'), 1);
    expect(counted.calls).toMatchObject({ replace: 2, get: 2, periodsOf: 2 });
    expect(replaced.version).toBe(2);
    expect(await contracts.get(created.id)).toEqual(replaced);
    expect(await contracts.periodsOf('client-a')).toEqual({
      version: 3,
      periods: [
        { contractId: created.id, startDate: '2024-01-01', endDate: '2025-06-30' },
        { contractId: slipped!.id, startDate: '2026-01-01' },
      ],
    });
  });

  it('refuses a replace whose new period overlaps a create that won the race, once its retry reads it (no further retry)', async () => {
    const { deps, contracts } = setup();
    const created = await createContract(deps, period('2024-01-01', '2024-12-31'), 'ada');
    let slipped: Contract | undefined;
    const counted = new CountingContracts(contracts, {
      afterPeriodsOf: async (n) => {
        if (n === 1) slipped = await createContract(deps, period('2025-06-01'), 'ada');
      },
    });
    const error = await expectRejection(replaceContract({ ...deps, contracts: counted }, admin, created.id, period('2024-01-01', '2025-12-31'), 1), ConflictError);
    expect(error).not.toBeInstanceOf(ConcurrentUpdateError);
    expect(error.message).toBe(`client client-a already has contract ${slipped!.id} over this period`);
    expect(counted.calls).toMatchObject({ replace: 1, periodsOf: 2 });
    expect(await contracts.get(created.id)).toEqual(created);
  });

  it('does not retry a stale If-Match, whether the read or the conditional write finds it', async () => {
    const { deps, contracts } = setup();
    const created = await createContract(deps, period('2024-01-01'), 'ada');
    await replaceContract(deps, admin, created.id, { ...period('2024-01-01'), clientName: 'v2' }, 1);

    const counted = new CountingContracts(contracts);
    const stale = await expectRejection(replaceContract({ ...deps, contracts: counted }, admin, created.id, period('2024-01-01'), 1), ConflictError);
    expect(stale).not.toBeInstanceOf(ConcurrentUpdateError);
    expect(counted.calls).toMatchObject({ get: 1, replace: 0 });

    // The contract moves to version 3 between the read and the write: the repository's own condition refuses it.
    const racing = new CountingContracts(contracts, {
      replace: async () => {
        await replaceContract(deps, admin, created.id, { ...period('2024-01-01'), clientName: 'v3' }, 2);
      },
    });
    const lost = await expectRejection(replaceContract({ ...deps, contracts: racing }, admin, created.id, period('2024-01-01'), 2), ConflictError);
    expect(lost).not.toBeInstanceOf(ConcurrentUpdateError);
    expect(racing.calls).toMatchObject({ get: 1, replace: 1 });
    expect((await contracts.get(created.id))?.clientName).toBe('v3');
  });
});

describe('contracts written before the periods guard', () => {
  const legacy = (n: number, startDate: string, endDate?: string): Contract => ({
    ...period(startDate, endDate),
    id: `01HX${String(n).padStart(22, '0')}`,
    version: 1,
    createdAt: '2025-01-01T00:00:00.000Z',
    createdBy: 'ada',
    updatedAt: '2025-01-01T00:00:00.000Z',
    updatedBy: 'ada',
  });

  it('builds the guard from all the client contracts, page after page, on the first write', async () => {
    const { deps, contracts } = setup();
    // 120 one-day contracts: more than one page of 100.
    const day = (n: number) => new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);
    const old = Array.from({ length: 120 }, (_, n) => legacy(n + 1, day(n), day(n)));
    contracts.seed(...old);
    expect(await contracts.periodsOf('client-a')).toBeUndefined();

    const created = await createContract(deps, period('2024-01-01'), 'ada');
    const guard = await contracts.periodsOf('client-a');
    expect(guard?.version).toBe(1);
    expect(guard?.periods).toEqual([
      ...old.map((c) => ({ contractId: c.id, startDate: c.startDate, endDate: c.endDate })),
      { contractId: created.id, startDate: '2024-01-01' },
    ]);
  });

  it('checks a new period against them, the last page included, and writes nothing on a clash', async () => {
    const { deps, contracts } = setup();
    const day = (n: number) => new Date(Date.UTC(2020, 0, 1 + n)).toISOString().slice(0, 10);
    const old = Array.from({ length: 120 }, (_, n) => legacy(n + 1, day(n), day(n)));
    contracts.seed(...old);
    const error = await expectRejection(createContract(deps, period(day(119)), 'ada'), ConflictError);
    expect(error.message).toBe(`client client-a already has contract ${old[119]!.id} over this period`);
    expect(error.details).toEqual([{ path: 'startDate', message: `overlaps contract ${old[119]!.id} (${day(119)} → ${day(119)})` }]);
    expect(await contracts.periodsOf('client-a')).toBeUndefined();
    expect((await contracts.listByClient('client-a', { limit: 200 })).items).toHaveLength(120);
  });

  it('builds the guard on a replace too, with the replaced contract new period', async () => {
    const { deps, contracts } = setup();
    const [older, current] = [legacy(1, '2022-01-01', '2022-12-31'), legacy(2, '2023-01-01', '2023-12-31')];
    contracts.seed(older, current);
    await expectRejection(replaceContract(deps, admin, current.id, period('2022-12-31', '2023-12-31'), 1), ConflictError);
    const replaced = await replaceContract(deps, admin, current.id, period('2023-01-01'), 1);
    expect(replaced.version).toBe(2);
    expect(await contracts.periodsOf('client-a')).toEqual({
      version: 1,
      periods: [
        { contractId: older.id, startDate: '2022-01-01', endDate: '2022-12-31' },
        { contractId: current.id, startDate: '2023-01-01' },
      ],
    });
  });

  it('lets one of two concurrent first writers create the guard; the other retries over it', async () => {
    const { deps, contracts } = setup();
    const old = legacy(1, '2022-01-01', '2022-12-31');
    contracts.seed(old);
    const counted = new CountingContracts(contracts);
    const [first, second] = await Promise.all([
      createContract({ ...deps, contracts: counted }, period('2023-01-01', '2023-12-31'), 'ada'),
      createContract({ ...deps, contracts: counted }, period('2024-01-01'), 'ada'),
    ]);
    expect(counted.calls.create).toBe(3);
    expect(await contracts.periodsOf('client-a')).toEqual({
      version: 2,
      periods: [
        { contractId: old.id, startDate: '2022-01-01', endDate: '2022-12-31' },
        { contractId: first.id, startDate: '2023-01-01', endDate: '2023-12-31' },
        { contractId: second.id, startDate: '2024-01-01' },
      ],
    });
    expect((await contracts.listByClient('client-a', { limit: 10 })).items).toHaveLength(3);
  });
});

describe('getContract', () => {
  it('returns a contract the principal may see', async () => {
    const { deps } = setup();
    const created = await createContract(deps, period('2024-01-01', undefined, 'client-a'), 'ada');
    await expect(getContract(deps, technicianOf('client-a'), created.id)).resolves.toEqual(created);
  });

  it('is NotFound for an unknown id', async () => {
    const { deps } = setup();
    const error = await expectRejection(getContract(deps, admin, '01HZ9999999999999999999999'), NotFoundError);
    expect(error.message).toBe('contract 01HZ9999999999999999999999 does not exist');
  });

  it('is Forbidden for a contract of a client outside the scope', async () => {
    const { deps } = setup();
    const created = await createContract(deps, period('2024-01-01', undefined, 'client-a'), 'ada');
    await expectRejection(getContract(deps, technicianOf('client-b'), created.id), ForbiddenError);
  });
});

describe('etagOf and versionFromIfMatch', () => {
  it('quotes the version as a strong ETag', () => {
    expect(etagOf({ version: 3 })).toBe('"3"');
  });

  it('reads back what etagOf produced', () => {
    expect(versionFromIfMatch(etagOf({ version: 42 }))).toBe(42);
  });

  it.each([
    ['"3"', 3],
    ['  "17"  ', 17],
    ['"123456789012345"', 123456789012345],
  ])('reads %j as version %d', (header, version) => {
    expect(versionFromIfMatch(header)).toBe(version);
  });

  it.each([undefined, '', '   '])('requires the header (%j → PreconditionRequired)', (header) => {
    let error: unknown;
    try {
      versionFromIfMatch(header);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PreconditionRequiredError);
    expect((error as PreconditionRequiredError).details).toEqual([{ path: 'headers.if-match', message: 'required' }]);
  });

  it.each(['*', '3', 'yesterday', '"3", "4"', '"abc"', '"-1"', '"3.5"', 'w/"3"', 'W/"3"', '"1234567890123456"', '""'])(
    'rejects %j as not an ETag of this API (ValidationError)',
    (header) => {
      expect(() => versionFromIfMatch(header)).toThrow(ValidationError);
      try {
        versionFromIfMatch(header);
      } catch (error) {
        expect((error as ValidationError).details).toEqual([{ path: 'headers.if-match', message: 'not an ETag of this API' }]);
      }
    },
  );
});

describe('replaceContract', () => {
  async function withContract() {
    const context = setup();
    const created = await createContract(context.deps, period('2024-01-01', '2025-01-01', 'client-a'), 'ada');
    context.clock.set(UPDATED_AT);
    return { ...context, created };
  }

  it('bumps the version, keeps id and createdAt/By, stamps updatedAt/By, and stores the new contract', async () => {
    const { deps, contracts, created } = await withContract();
    const input = { ...period('2024-01-01', '2025-06-01', 'client-a'), clientName: 'Cabinet A SARL' };
    const replaced = await replaceContract(deps, { ...admin, userId: 'bob' } as typeof admin, created.id, input, 1);
    expect(replaced).toEqual({ ...input, id: created.id, version: 2, createdAt: CREATED_AT, createdBy: 'ada', updatedAt: UPDATED_AT, updatedBy: 'bob' });
    expect(await contracts.get(created.id)).toEqual(replaced);
  });

  it('is a Conflict when the expected version is stale, and leaves the contract unchanged', async () => {
    const { deps, contracts, created } = await withContract();
    await replaceContract(deps, admin, created.id, { ...period('2024-01-01', '2025-01-01'), clientName: 'v2' }, 1);
    const error = await expectRejection(
      replaceContract(deps, admin, created.id, { ...period('2024-01-01', '2025-01-01'), clientName: 'stale' }, 1),
      ConflictError,
    );
    expect(error.message).toBe(`contract ${created.id} changed since you read it (your version 1, current 2); read it again`);
    expect((await contracts.get(created.id))?.clientName).toBe('v2');
  });

  it('is a Conflict when the expected version is ahead of the stored one', async () => {
    const { deps, created } = await withContract();
    await expectRejection(replaceContract(deps, admin, created.id, period('2024-01-01', '2025-01-01'), 7), ConflictError);
  });

  it('refuses to move a contract to another client', async () => {
    const { deps, contracts, created } = await withContract();
    const error = await expectRejection(replaceContract(deps, admin, created.id, period('2024-01-01', '2025-01-01', 'client-b'), 1), ValidationError);
    expect(error.details).toEqual([{ path: 'body.clientId', message: 'must stay client-a' }]);
    expect(await contracts.get(created.id)).toEqual(created);
  });

  it('is NotFound for an unknown contract', async () => {
    const { deps } = setup();
    await expectRejection(replaceContract(deps, admin, '01HZ9999999999999999999999', demoContractInput, 1), NotFoundError);
  });

  it('is Forbidden outside the caller scope, before it says anything about versions or clients', async () => {
    const { deps, contracts, created } = await withContract();
    await expectRejection(replaceContract(deps, technicianOf('client-b'), created.id, period('2024-01-01', '2025-01-01', 'client-b'), 99), ForbiddenError);
    expect(await contracts.get(created.id)).toEqual(created);
  });

  it('may change its own period without clashing with itself', async () => {
    const { deps, created } = await withContract();
    const replaced = await replaceContract(deps, admin, created.id, period('2024-01-01'), 1);
    expect(replaced.endDate).toBeUndefined();
  });

  it('moves its period in the client guard, and leaves the guard as it was when refused', async () => {
    const { deps, contracts, created } = await withContract();
    await replaceContract(deps, admin, created.id, period('2024-01-01', '2025-06-01'), 1);
    expect(await contracts.periodsOf('client-a')).toEqual({ version: 2, periods: [{ contractId: created.id, startDate: '2024-01-01', endDate: '2025-06-01' }] });
    await expectRejection(replaceContract(deps, admin, created.id, period('2024-01-01'), 1), ConflictError);
    expect((await contracts.periodsOf('client-a'))?.version).toBe(2);
  });

  it('lets only one of a replace and a create racing for the same days through', async () => {
    const { deps, contracts, created } = await withContract();
    const outcomes = await Promise.allSettled([
      replaceContract(deps, admin, created.id, period('2024-01-01', '2025-12-31'), 1),
      createContract(deps, period('2025-06-01', '2025-12-31'), 'ada'),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const stored = (await contracts.listByClient('client-a', { limit: 10 })).items;
    const guard = await contracts.periodsOf('client-a');
    expect(guard?.periods).toEqual(stored.map((c) => ({ contractId: c.id, startDate: c.startDate, endDate: c.endDate })));
    for (const [i, a] of stored.entries()) for (const b of stored.slice(i + 1)) expect(periodsOverlap(a, b)).toBe(false);
  });

  it('refuses a new period that overlaps another contract of the client', async () => {
    const { deps, created } = await withContract();
    const later = await createContract(deps, period('2025-01-02', '2026-01-01'), 'ada');
    const error = await expectRejection(replaceContract(deps, admin, created.id, period('2024-01-01', '2025-02-01'), 1), ConflictError);
    expect(error.message).toContain(later.id);
  });
});

describe('listContracts', () => {
  it("lists a client's contracts oldest first, page by page", async () => {
    const { deps } = setup();
    const a1 = await createContract(deps, period('2022-01-01', '2022-12-31'), 'ada');
    const a2 = await createContract(deps, period('2023-01-01', '2023-12-31'), 'ada');
    const a3 = await createContract(deps, period('2024-01-01'), 'ada');
    await createContract(deps, period('2024-01-01', undefined, 'client-b'), 'ada');

    const first = await listContracts(deps, technicianOf('client-a'), 'client-a', { limit: 2 });
    expect(first.items).toEqual([a1, a2]);
    expect(first.nextToken).toBeDefined();
    const second = await listContracts(deps, technicianOf('client-a'), 'client-a', { limit: 2, nextToken: first.nextToken });
    expect(second).toEqual({ items: [a3], nextToken: undefined });
  });

  it('is Forbidden for a client outside the scope, even one without contracts', async () => {
    const { deps } = setup();
    await createContract(deps, period('2024-01-01', undefined, 'client-a'), 'ada');
    const error = await expectRejection(listContracts(deps, technicianOf('client-b'), 'client-a', { limit: 10 }), ForbiddenError);
    expect(error.message).toBe('client client-a is outside your scope');
    await expectRejection(listContracts(deps, technicianOf(), 'client-z', { limit: 10 }), ForbiddenError);
  });

  it('gives an admin and an "all" scope every client', async () => {
    const { deps } = setup();
    const created = await createContract(deps, period('2024-01-01', undefined, 'client-a'), 'ada');
    const everyone: Principal = { kind: 'staff', userId: 'meg', role: 'manager', clientScope: 'all' };
    expect((await listContracts(deps, admin, 'client-a', { limit: 10 })).items).toEqual([created]);
    expect((await listContracts(deps, everyone, 'client-a', { limit: 10 })).items).toEqual([created]);
  });

  it('lets an agent list only its own client', async () => {
    const { deps } = setup();
    const agent: Principal = { kind: 'agent', agentId: '01HZ0000000000000000000099', clientId: 'client-a', host: 'SRV' };
    await expect(listContracts(deps, agent, 'client-a', { limit: 10 })).resolves.toEqual({ items: [], nextToken: undefined });
    await expectRejection(listContracts(deps, agent, 'client-b', { limit: 10 }), ForbiddenError);
  });
});
