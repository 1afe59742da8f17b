import type { Clock } from '../clock';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { actorOf } from '../access/authorize';
import { getContract } from '../contracts/contract-service';
import { buildSlaReport, contractPeriod, type SlaReport } from '../sla';
import type { Contract } from '../../schemas/contract';
import {
  MAX_CLASSIFICATIONS,
  type ClassificationEntry,
  type InterruptionClassification,
  type InterruptionCreate,
  type InterruptionRecord,
  type InterruptionRestore,
} from '../../schemas/interruption';
import type { Principal } from '../../schemas/principal';
import type { ContractRepository, IdGenerator, InterruptionRepository, Page, PageRequest } from '../../ports/repositories';

export interface InterruptionDeps {
  contracts: ContractRepository;
  interruptions: InterruptionRepository;
  clock: Clock;
  ids: IdGenerator;
}

/** Clocks of the caller and ours may differ a little; beyond this an instant "in the future" is a mistake. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

function hostingOf(contract: Contract) {
  const hosting = contract.modules.hosting;
  if (!hosting?.active) throw new ConflictError(`contract ${contract.id} has no active hosting module: GTR and IMS do not apply`);
  return hosting;
}

/**
 * The instant a caller states (now when absent), never later than now. Beyond the skew tolerance a future instant is a
 * mistake; within it, it happened now: GTR and IMS never start or end in the future (a future notification would also
 * make a restoration "now" precede it, and fail on a field the caller never sent).
 */
function statedInstant(text: string | undefined, now: Date, path: string): Date {
  if (text === undefined) return now;
  const at = new Date(text);
  if (at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw new ValidationError(`${path} is in the future`, [{ path, message: 'must not be in the future' }]);
  return at.getTime() <= now.getTime() ? at : now;
}

/** GTR and IMS are promised only while the contract runs (Paris days, both dates included). */
function assertUnderContract(contract: Contract, notifiedAt: Date): void {
  const period = contractPeriod(contract.startDate, contract.endDate);
  const at = notifiedAt.getTime();
  if (at < period.fromMs || at >= period.untilMs) {
    throw new ValidationError('the notification falls outside the contract period', [
      { path: 'body.notifiedAt', message: `must lie within the contract (${contract.startDate} → ${contract.endDate ?? 'open'})` },
    ]);
  }
}

export async function recordInterruption(deps: InterruptionDeps, principal: Principal, contractId: string, input: InterruptionCreate): Promise<InterruptionRecord> {
  const contract = await getContract(deps, principal, contractId);
  hostingOf(contract);
  const now = deps.clock.now();
  const notifiedAt = statedInstant(input.notifiedAt, now, 'body.notifiedAt');
  assertUnderContract(contract, notifiedAt);
  const record: InterruptionRecord = {
    id: deps.ids.next(),
    contractId,
    clientId: contract.clientId,
    notifiedAt: notifiedAt.toISOString(),
    planned: input.planned,
    ...(input.description ? { description: input.description } : {}),
    recordedBy: actorOf(principal),
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.interruptions.create(record);
  return record;
}

async function loadInterruption(deps: InterruptionDeps, principal: Principal, contractId: string, interruptionId: string) {
  await getContract(deps, principal, contractId);
  const interruption = await deps.interruptions.get(contractId, interruptionId);
  if (!interruption) throw new NotFoundError(`interruption ${interruptionId} does not exist on contract ${contractId}`);
  return interruption;
}

/** Records the restoration notice. Sending the same notice again is harmless; a different one is a conflict. */
export async function restoreInterruption(
  deps: InterruptionDeps,
  principal: Principal,
  contractId: string,
  interruptionId: string,
  input: InterruptionRestore,
): Promise<InterruptionRecord> {
  const interruption = await loadInterruption(deps, principal, contractId, interruptionId);
  const now = deps.clock.now();
  const restoredAt = statedInstant(input.restoredAt, now, 'body.restoredAt');
  if (restoredAt.getTime() < new Date(interruption.notifiedAt).getTime()) {
    throw new ValidationError('the restoration cannot precede the notification', [
      { path: 'body.restoredAt', message: `must not be before notifiedAt ${interruption.notifiedAt}` },
    ]);
  }
  const restoration = { restoredAt: restoredAt.toISOString(), restoredBy: actorOf(principal), updatedAt: now.toISOString() };
  const written = await deps.interruptions.restore(contractId, interruptionId, restoration);
  if (written) return written;

  const current = (await deps.interruptions.get(contractId, interruptionId))!;
  if (input.restoredAt === undefined || current.restoredAt === restoration.restoredAt) return current;
  throw new ConflictError(`interruption ${interruptionId} was already restored at ${current.restoredAt}`);
}

/**
 * Sets how an interruption counts. Each classification is appended to the record with its author and time, since
 * planned and excluded interruptions cancel penalties. A reason alone re-words the current exclusion's.
 */
export async function classifyInterruption(
  deps: InterruptionDeps,
  principal: Principal,
  contractId: string,
  interruptionId: string,
  input: InterruptionClassification,
): Promise<InterruptionRecord> {
  const current = await loadInterruption(deps, principal, contractId, interruptionId);
  const exclusionChanges = input.exclusion !== undefined;
  if (!exclusionChanges && input.exclusionReason !== undefined && current.exclusion === undefined) {
    throw new ConflictError(`interruption ${interruptionId} has no exclusion whose reason could be re-worded: send exclusion with the reason`);
  }
  const history = current.classifications ?? [];
  if (history.length >= MAX_CLASSIFICATIONS) {
    throw new ConflictError(`interruption ${interruptionId} was classified ${history.length} times already: no more changes are kept`);
  }
  const exclusion = exclusionChanges ? (input.exclusion ?? undefined) : current.exclusion;
  // A reason explains one exclusion: a new exclusion never inherits the reason given for the previous one.
  const reason = exclusionChanges ? input.exclusionReason : (input.exclusionReason ?? current.exclusionReason);
  const now = deps.clock.now().toISOString();
  const entry: ClassificationEntry = {
    at: now,
    by: actorOf(principal),
    planned: input.planned ?? current.planned,
    ...(exclusion ? { exclusion } : {}),
    ...(exclusion && reason ? { exclusionReason: reason } : {}),
  };
  const { exclusion: _exclusion, exclusionReason: _reason, ...rest } = current;
  const next: InterruptionRecord = {
    ...rest,
    planned: entry.planned,
    ...(entry.exclusion ? { exclusion: entry.exclusion } : {}),
    ...(entry.exclusionReason ? { exclusionReason: entry.exclusionReason } : {}),
    classifications: [...history, entry],
    version: current.version + 1,
    updatedAt: now,
  };
  await deps.interruptions.replace(next, current.version);
  return next;
}

export async function listInterruptions(deps: InterruptionDeps, principal: Principal, contractId: string, page: PageRequest): Promise<Page<InterruptionRecord>> {
  await getContract(deps, principal, contractId);
  return deps.interruptions.listPageByContract(contractId, page);
}

/** The SLA report of a hosting contract for one calendar year, as of now. */
export async function slaReportOf(deps: InterruptionDeps, principal: Principal, contractId: string, year: number): Promise<{ contract: Contract; report: SlaReport }> {
  const contract = await getContract(deps, principal, contractId);
  const hosting = hostingOf(contract);
  const interruptions = await deps.interruptions.listByContract(contractId);
  const report = buildSlaReport({
    terms: {
      gtrMinutes: hosting.gtrMinutes,
      imsHours: hosting.imsHours,
      monthlyFeeCents: hosting.monthlyFeeCents,
      feeChanges: hosting.feeChanges ?? [],
      startDate: contract.startDate,
      ...(contract.endDate ? { endDate: contract.endDate } : {}),
      region: contract.calendarRegion,
    },
    interruptions: interruptions.map((i) => ({
      id: i.id,
      notifiedAt: new Date(i.notifiedAt),
      ...(i.restoredAt ? { restoredAt: new Date(i.restoredAt) } : {}),
      planned: i.planned,
      ...(i.exclusion ? { exclusion: i.exclusion } : {}),
      ...(i.exclusionReason ? { exclusionReason: i.exclusionReason } : {}),
    })),
    year,
    asOf: deps.clock.now(),
  });
  return { contract, report };
}
