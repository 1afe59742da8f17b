import type { Clock } from '../clock';
import { ConcurrentUpdateError, ConflictError, ForbiddenError, NotFoundError, PreconditionRequiredError, ValidationError } from '../errors';
import { actorOf, canSeeClient } from '../access/authorize';
import type { Contract, ContractInput } from '../../schemas/contract';
import type { Principal } from '../../schemas/principal';
import type { Backoff, ContractPeriod, ContractRepository, IdGenerator, Page, PageRequest, PeriodsWrite } from '../../ports/repositories';

export interface ContractDeps {
  contracts: ContractRepository;
  clock: Clock;
  ids: IdGenerator;
  /** Awaited before each retry of a write that lost a race; none means retrying at once. */
  backoff?: Backoff | undefined;
}

/** Contract periods are [startDate, endDate] in calendar days, both included, as contracts state them; an open end runs forever. */
export function periodsOverlap(a: Pick<Contract, 'startDate' | 'endDate'>, b: Pick<Contract, 'startDate' | 'endDate'>): boolean {
  const aEndsOnOrAfterBStarts = a.endDate === undefined || a.endDate >= b.startDate;
  const bEndsOnOrAfterAStarts = b.endDate === undefined || b.endDate >= a.startDate;
  return aEndsOnOrAfterBStarts && bEndsOnOrAfterAStarts;
}

const periodOf = (contract: Pick<Contract, 'id' | 'startDate' | 'endDate'>): ContractPeriod => ({
  contractId: contract.id,
  startDate: contract.startDate,
  ...(contract.endDate === undefined ? {} : { endDate: contract.endDate }),
});

/**
 * The client's periods as the guard holds them, with the version the write must find. Contracts written before the
 * guard existed have none: their periods are read from the contracts themselves and the guard is created with them
 * (two such first writers conflict on its creation).
 */
async function readPeriods(deps: Pick<ContractDeps, 'contracts'>, clientId: string): Promise<PeriodsWrite> {
  const guard = await deps.contracts.periodsOf(clientId);
  if (guard) return { expectedVersion: guard.version, periods: guard.periods };
  const periods: ContractPeriod[] = [];
  let nextToken: string | undefined;
  do {
    const page = await deps.contracts.listByClient(clientId, { limit: 100, nextToken });
    periods.push(...page.items.map(periodOf));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return { expectedVersion: undefined, periods };
}

/** A client has one contract at a time: refuse a period that overlaps another contract's. */
function assertNoOverlap(periods: readonly ContractPeriod[], candidate: Pick<Contract, 'clientId' | 'startDate' | 'endDate'>, ignoreId?: string): void {
  const clash = periods.find((p) => p.contractId !== ignoreId && periodsOverlap(p, candidate));
  if (clash) {
    throw new ConflictError(`client ${candidate.clientId} already has contract ${clash.contractId} over this period`, [
      { path: 'startDate', message: `overlaps contract ${clash.contractId} (${clash.startDate} → ${clash.endDate ?? 'open'})` },
    ]);
  }
}

/** The guard's new list: the contract's period in place of its old one, in id (creation) order. */
const withPeriodOf = (read: PeriodsWrite, contract: Contract): PeriodsWrite => ({
  expectedVersion: read.expectedVersion,
  periods: [...read.periods.filter((p) => p.contractId !== contract.id), periodOf(contract)].sort((a, b) =>
    a.contractId < b.contractId ? -1 : a.contractId > b.contractId ? 1 : 0,
  ),
});

/**
 * How many times in all a write is tried while the client's guard keeps moving under it (then it surfaces as a 409).
 * Of the writers that read the same guard version one wins and the others go round again, so N simultaneous writers
 * need up to N attempts: 8 lets 8 contracts posted at once for one client all through, even in lockstep.
 */
export const MAX_WRITE_ATTEMPTS = 8;

/**
 * Runs a whole read-check-write again when its conditional write found the guard (or the item) changed since the
 * read: nothing was written and every check is recomputed from the fresh read, so this is safe. Any other failure —
 * an overlap, a stale version the caller sent — is final.
 */
async function retryingConcurrentUpdates<T>(backoff: Backoff | undefined, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || n >= MAX_WRITE_ATTEMPTS) throw error;
    }
    await backoff?.(n);
  }
}

/** Creates a contract; `createdBy` is who asked (`actorOf`), kept with it since a contract's terms move money. */
export async function createContract(deps: ContractDeps, input: ContractInput, createdBy: string): Promise<Contract> {
  const now = deps.clock.now().toISOString();
  // One id and one timestamp for all attempts: a failed attempt wrote nothing.
  const contract: Contract = { ...input, id: deps.ids.next(), version: 1, createdAt: now, createdBy, updatedAt: now, updatedBy: createdBy };
  return retryingConcurrentUpdates(deps.backoff, async () => {
    const periods = await readPeriods(deps, input.clientId);
    assertNoOverlap(periods.periods, input);
    await deps.contracts.create(contract, withPeriodOf(periods, contract));
    return contract;
  });
}

function assertVisible(principal: Principal, contract: Contract): void {
  if (!canSeeClient(principal, contract.clientId)) {
    throw new ForbiddenError(`contract ${contract.id} belongs to a client outside your scope`);
  }
}

export async function getContract(deps: Pick<ContractDeps, 'contracts'>, principal: Principal, id: string): Promise<Contract> {
  const contract = await deps.contracts.get(id);
  if (!contract) throw new NotFoundError(`contract ${id} does not exist`);
  assertVisible(principal, contract);
  return contract;
}

export const etagOf = (contract: Pick<Contract, 'version'>): string => `"${contract.version}"`;

/**
 * Reads the version an `If-Match` header names. If-Match compares strongly (RFC 9110 §13.1.1), so weak
 * ETags, `*` and lists are refused.
 */
export function versionFromIfMatch(ifMatch: string | undefined): number {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new PreconditionRequiredError('send the ETag of your last read as If-Match to replace a contract', [
      { path: 'headers.if-match', message: 'required' },
    ]);
  }
  const match = /^"(\d{1,15})"$/.exec(ifMatch.trim());
  if (!match?.[1]) {
    throw new ValidationError('If-Match must be an ETag returned by GET, e.g. "3"', [
      { path: 'headers.if-match', message: 'not an ETag of this API' },
    ]);
  }
  return Number(match[1]);
}

export async function replaceContract(deps: ContractDeps, principal: Principal, id: string, input: ContractInput, expectedVersion: number): Promise<Contract> {
  return retryingConcurrentUpdates(deps.backoff, async () => {
    const current = await getContract(deps, principal, id);
    if (input.clientId !== current.clientId) {
      throw new ValidationError('a contract cannot move to another client', [{ path: 'body.clientId', message: `must stay ${current.clientId}` }]);
    }
    if (current.version !== expectedVersion) {
      throw new ConflictError(`contract ${id} changed since you read it (your version ${expectedVersion}, current ${current.version}); read it again`);
    }
    const periods = await readPeriods(deps, current.clientId);
    assertNoOverlap(periods.periods, input, id);
    const next: Contract = {
      ...input,
      id,
      version: current.version + 1,
      createdAt: current.createdAt,
      createdBy: current.createdBy,
      updatedAt: deps.clock.now().toISOString(),
      updatedBy: actorOf(principal),
    };
    await deps.contracts.replace(next, expectedVersion, withPeriodOf(periods, next));
    return next;
  });
}

export async function listContracts(deps: Pick<ContractDeps, 'contracts'>, principal: Principal, clientId: string, page: PageRequest): Promise<Page<Contract>> {
  if (!canSeeClient(principal, clientId)) throw new ForbiddenError(`client ${clientId} is outside your scope`);
  return deps.contracts.listByClient(clientId, page);
}
