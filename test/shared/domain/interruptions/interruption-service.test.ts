import { describe, expect, it } from 'vitest';
import { demoContractInput } from '../../../../infra/local/seed';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, type DomainError } from '../../../../shared/domain/errors';
import {
  classifyInterruption,
  listInterruptions,
  recordInterruption,
  restoreInterruption,
  slaReportOf,
  type InterruptionDeps,
} from '../../../../shared/domain/interruptions/interruption-service';
import type { IdGenerator } from '../../../../shared/ports/repositories';
import type { Contract } from '../../../../shared/schemas/contract';
import { MAX_CLASSIFICATIONS, type InterruptionRecord } from '../../../../shared/schemas/interruption';
import type { Principal } from '../../../../shared/schemas/principal';
import {
  InMemoryContractRepository,
  InMemoryInterruptionRepository,
  manualClock,
  sequentialIds,
} from '../../../support/in-memory-repositories';
import { expectRejection } from '../../../support/expect-rejection';

const CONTRACT_ID = '01HY0000000000000000000001';
const OTHER_CONTRACT_ID = '01HY0000000000000000000002';
const FIRST_ID = '01HZ0000000000000000000001';
const SECOND_ID = '01HZ0000000000000000000002';
/** Monday 2 March 2026, 09:00 in Paris (CET, UTC+1). */
const MONDAY_0900 = '2026-03-02T08:00:00.000Z';

const admin: Principal = { kind: 'staff', userId: 'ada', role: 'admin', clientScope: [] };
const technicianOf = (...clientIds: string[]): Principal => ({ kind: 'staff', userId: 'tom', role: 'technician', clientScope: clientIds });
const agentOf = (clientId: string): Principal => ({ kind: 'agent', agentId: '01HX0000000000000000000001', clientId, host: 'SRV-01' });

const hosting = { active: true, gtrMinutes: 270, imsHours: 30, monthlyFeeCents: 45_000 };

function contractOf(overrides: Partial<Contract> = {}): Contract {
  const { endDate: _endDate, ...input } = demoContractInput;
  return {
    ...input,
    clientId: 'client-a',
    startDate: '2026-01-01',
    calendarRegion: 'national',
    modules: { ...demoContractInput.modules, hosting },
    id: CONTRACT_ID,
    version: 1,
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'ada',
    updatedAt: '2026-01-01T00:00:00.000Z',
    updatedBy: 'ada',
    ...overrides,
  };
}

/** A repository that lets a test slip a concurrent write in between a service's read and its conditional write. */
class InterleavingInterruptionRepository extends InMemoryInterruptionRepository {
  beforeNextReplace: (() => Promise<unknown>) | undefined;

  override async replace(interruption: InterruptionRecord, expectedVersion: number): Promise<void> {
    const concurrent = this.beforeNextReplace;
    this.beforeNextReplace = undefined;
    if (concurrent) await concurrent();
    return super.replace(interruption, expectedVersion);
  }
}

function setup({ contracts: seeded = [contractOf()], ids = sequentialIds() }: { contracts?: Contract[]; ids?: IdGenerator } = {}) {
  const contracts = new InMemoryContractRepository().seed(...seeded);
  const interruptions = new InterleavingInterruptionRepository();
  const clock = manualClock(MONDAY_0900);
  const deps: InterruptionDeps = { contracts, interruptions, clock, ids };
  return { deps, interruptions, clock };
}

const pathsOf = (error: DomainError) => error.details.map((issue) => issue.path);

describe('recordInterruption', () => {
  it('records a notification at the clock time by default, on behalf of the caller, and stores what it returns', async () => {
    const { deps, interruptions } = setup();
    const recorded = await recordInterruption(deps, technicianOf('client-a'), CONTRACT_ID, { planned: false });
    expect(recorded).toEqual({
      id: FIRST_ID,
      contractId: CONTRACT_ID,
      clientId: 'client-a',
      notifiedAt: MONDAY_0900,
      planned: false,
      recordedBy: 'tom',
      version: 1,
      createdAt: MONDAY_0900,
      updatedAt: MONDAY_0900,
    });
    expect(recorded).not.toHaveProperty('description');
    expect(recorded).not.toHaveProperty('restoredAt');
    expect(await interruptions.get(CONTRACT_ID, FIRST_ID)).toEqual(recorded);
  });

  it('keeps a stated notification instant, in UTC, with the description and the planned flag', async () => {
    const { deps } = setup();
    const recorded = await recordInterruption(deps, admin, CONTRACT_ID, {
      notifiedAt: '2026-03-02T08:45:00+01:00',
      description: 'ERP unreachable',
      planned: true,
    });
    expect(recorded).toMatchObject({ notifiedAt: '2026-03-02T07:45:00.000Z', description: 'ERP unreachable', planned: true, recordedBy: 'ada' });
    expect(recorded.createdAt).toBe(MONDAY_0900);
  });

  it('refuses a notification outside the contract period (Paris days, both dates included), storing nothing', async () => {
    const { deps, interruptions } = setup({ contracts: [contractOf({ startDate: '2026-02-01', endDate: '2026-02-28' })] });
    for (const notifiedAt of ['2026-01-31T22:59:59.999Z', '2026-02-28T23:00:00.000Z', '0001-03-02T16:00:00+01:00']) {
      const error = await expectRejection(recordInterruption(deps, admin, CONTRACT_ID, { notifiedAt, planned: false }), ValidationError);
      expect(pathsOf(error)).toEqual(['body.notifiedAt']);
    }
    expect(await interruptions.listByContract(CONTRACT_ID)).toEqual([]);
    // The first and the last instants of the period are inside it.
    await recordInterruption(deps, admin, CONTRACT_ID, { notifiedAt: '2026-02-01T00:00:00+01:00', planned: false });
    await recordInterruption(deps, admin, CONTRACT_ID, { notifiedAt: '2026-02-28T23:59:59+01:00', planned: false });
    expect(await interruptions.listByContract(CONTRACT_ID)).toHaveLength(2);
  });

  it('names an agent as agent:<id>', async () => {
    const { deps } = setup();
    const recorded = await recordInterruption(deps, agentOf('client-a'), CONTRACT_ID, { planned: false });
    expect(recorded.recordedBy).toBe('agent:01HX0000000000000000000001');
  });

  it('tolerates a notification up to 5 minutes ahead of the clock (skew), and records it at the clock time: GTR never starts in the future', async () => {
    const { deps, interruptions } = setup();
    const recorded = await recordInterruption(deps, admin, CONTRACT_ID, { notifiedAt: '2026-03-02T08:05:00.000Z', planned: false });
    expect(recorded.notifiedAt).toBe(MONDAY_0900);
    expect((await interruptions.get(CONTRACT_ID, recorded.id))?.notifiedAt).toBe(MONDAY_0900);
  });

  it('refuses a notification more than 5 minutes in the future as a ValidationError on body.notifiedAt, and stores nothing', async () => {
    const { deps, interruptions } = setup();
    const error = await expectRejection(
      recordInterruption(deps, admin, CONTRACT_ID, { notifiedAt: '2026-03-02T08:05:00.001Z', planned: false }),
      ValidationError,
    );
    expect(pathsOf(error)).toEqual(['body.notifiedAt']);
    expect(await interruptions.listByContract(CONTRACT_ID)).toEqual([]);
  });

  it.each([
    ['an inactive hosting module', { ...demoContractInput.modules, hosting: { ...hosting, active: false } }],
    ['no hosting module', { proSecours: demoContractInput.modules.proSecours }],
  ])('refuses a contract with %s: GTR and IMS do not apply (ConflictError)', async (_name, modules) => {
    const { deps, interruptions } = setup({ contracts: [contractOf({ modules })] });
    await expectRejection(recordInterruption(deps, admin, CONTRACT_ID, { planned: false }), ConflictError);
    expect(await interruptions.listByContract(CONTRACT_ID)).toEqual([]);
  });

  it('refuses an unknown contract (NotFoundError)', async () => {
    const { deps } = setup();
    await expectRejection(recordInterruption(deps, admin, OTHER_CONTRACT_ID, { planned: false }), NotFoundError);
  });

  it.each([
    ['a technician of another client', technicianOf('client-b')],
    ['an agent of another client', agentOf('client-b')],
  ])('refuses %s (ForbiddenError) and stores nothing', async (_name, principal) => {
    const { deps, interruptions } = setup();
    await expectRejection(recordInterruption(deps, principal, CONTRACT_ID, { planned: false }), ForbiddenError);
    expect(await interruptions.listByContract(CONTRACT_ID)).toEqual([]);
  });
});

describe('restoreInterruption', () => {
  async function recorded(notifiedAt = MONDAY_0900) {
    const context = setup();
    const interruption = await recordInterruption(context.deps, technicianOf('client-a'), CONTRACT_ID, { notifiedAt, planned: false });
    return { ...context, interruption };
  }

  it('restores at the clock time by default, on behalf of the caller, and stores what it returns', async () => {
    const { deps, clock, interruptions, interruption } = await recorded();
    clock.set('2026-03-02T10:30:00.000Z');
    const restored = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, {});
    expect(restored).toEqual({ ...interruption, restoredAt: '2026-03-02T10:30:00.000Z', restoredBy: 'ada', version: 2, updatedAt: '2026-03-02T10:30:00.000Z' });
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(restored);
  });

  it('keeps a stated restoration instant, in UTC', async () => {
    const { deps, clock, interruption } = await recorded();
    clock.set('2026-03-02T16:00:00.000Z');
    const restored = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T15:00:00+01:00' });
    expect(restored.restoredAt).toBe('2026-03-02T14:00:00.000Z');
    expect(restored.updatedAt).toBe('2026-03-02T16:00:00.000Z');
  });

  it('accepts a restoration at the very instant of the notification', async () => {
    const { deps, interruption } = await recorded();
    const restored = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: MONDAY_0900 });
    expect(restored.restoredAt).toBe(MONDAY_0900);
  });

  it('refuses a restoration before the notification as a ValidationError on body.restoredAt, and changes nothing', async () => {
    const { deps, clock, interruptions, interruption } = await recorded();
    clock.set('2026-03-02T12:00:00.000Z');
    const error = await expectRejection(
      restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T07:59:59.999Z' }),
      ValidationError,
    );
    expect(pathsOf(error)).toEqual(['body.restoredAt']);
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(interruption);
  });

  it('refuses a restoration more than 5 minutes in the future (ValidationError on body.restoredAt)', async () => {
    const { deps, clock, interruption } = await recorded();
    clock.set('2026-03-02T12:00:00.000Z');
    const error = await expectRejection(
      restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T12:05:00.001Z' }),
      ValidationError,
    );
    expect(pathsOf(error)).toEqual(['body.restoredAt']);
  });

  it('is idempotent: the same restoration again (even written with another offset) returns the stored record unchanged', async () => {
    const { deps, clock, interruptions, interruption } = await recorded();
    clock.set('2026-03-02T16:00:00.000Z');
    const first = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T17:00:00+01:00' });
    clock.set('2026-03-02T16:30:00.000Z');
    const again = await restoreInterruption(deps, technicianOf('client-a'), CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T16:00:00Z' });
    expect(again).toEqual(first);
    expect(again).toMatchObject({ restoredBy: 'ada', updatedAt: '2026-03-02T16:00:00.000Z' });
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(first);
  });

  it('refuses another restoration instant once restored (ConflictError), keeping the first', async () => {
    const { deps, clock, interruptions, interruption } = await recorded();
    clock.set('2026-03-02T16:00:00.000Z');
    const first = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T15:00:00.000Z' });
    await expectRejection(restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T15:30:00.000Z' }), ConflictError);
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(first);
  });

  it('answers a second restoration without a body with the current record, unchanged', async () => {
    const { deps, clock, interruptions, interruption } = await recorded();
    clock.set('2026-03-02T10:00:00.000Z');
    const first = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, {});
    clock.set('2026-03-02T11:00:00.000Z');
    expect(await restoreInterruption(deps, technicianOf('client-a'), CONTRACT_ID, interruption.id, {})).toEqual(first);
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(first);
  });

  // The service tolerates a notification up to 5 min ahead (clock skew); restoring it "now" right after must not
  // then be refused with an error on a body.restoredAt the caller never sent.
  it('restores "now" an interruption whose notification was accepted slightly ahead of the clock', async () => {
    const { deps, interruption } = await recorded('2026-03-02T08:02:00.000Z');
    const restored = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, {});
    expect(new Date(restored.restoredAt ?? '').getTime()).toBeGreaterThanOrEqual(new Date(interruption.notifiedAt).getTime());
    expect(restored).toMatchObject({ notifiedAt: MONDAY_0900, restoredAt: MONDAY_0900 });
  });

  it('records a restoration stated slightly ahead of the clock (skew) at the clock time', async () => {
    const { deps, clock, interruption } = await recorded();
    clock.set('2026-03-02T10:00:00.000Z');
    const restored = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T10:04:00.000Z' });
    expect(restored.restoredAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('still refuses a stated restoration before the clock-time notification of an interruption notified ahead of the clock', async () => {
    const { deps, clock, interruption } = await recorded('2026-03-02T08:02:00.000Z');
    clock.set('2026-03-02T08:10:00.000Z');
    const error = await expectRejection(
      restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T07:59:59.999Z' }),
      ValidationError,
    );
    expect(pathsOf(error)).toEqual(['body.restoredAt']);
  });

  it('bumps the version once per restoration; an idempotent repeat leaves it as is', async () => {
    const { deps, clock, interruptions, interruption } = await recorded();
    expect(interruption.version).toBe(1);
    clock.set('2026-03-02T10:00:00.000Z');
    const first = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, {});
    expect(first.version).toBe(2);
    expect(await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T10:00:00.000Z' })).toMatchObject({ version: 2 });
    expect((await interruptions.get(CONTRACT_ID, interruption.id))?.version).toBe(2);
  });

  it('refuses an unknown interruption, one of another contract, and an unknown contract (NotFoundError)', async () => {
    const { deps, interruption } = await recorded();
    await deps.contracts.create(contractOf({ id: OTHER_CONTRACT_ID, startDate: '2030-01-01' }), {
      expectedVersion: undefined,
      periods: [{ contractId: OTHER_CONTRACT_ID, startDate: '2030-01-01' }],
    });
    await expectRejection(restoreInterruption(deps, admin, CONTRACT_ID, SECOND_ID, {}), NotFoundError);
    await expectRejection(restoreInterruption(deps, admin, OTHER_CONTRACT_ID, interruption.id, {}), NotFoundError);
    await expectRejection(restoreInterruption(deps, admin, '01HY0000000000000000000009', interruption.id, {}), NotFoundError);
  });

  it('refuses a caller outside the client scope (ForbiddenError) and changes nothing', async () => {
    const { deps, interruptions, interruption } = await recorded();
    await expectRejection(restoreInterruption(deps, technicianOf('client-b'), CONTRACT_ID, interruption.id, {}), ForbiddenError);
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(interruption);
  });
});

describe('classifyInterruption', () => {
  async function recorded() {
    const context = setup();
    const interruption = await recordInterruption(context.deps, technicianOf('client-a'), CONTRACT_ID, { description: 'site down', planned: false });
    context.clock.set('2026-03-03T09:00:00.000Z');
    return { ...context, interruption };
  }

  it('sets planned, the exclusion and its reason, stamps updatedAt, and stores what it returns', async () => {
    const { deps, interruptions, interruption } = await recorded();
    const classified = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, {
      planned: true,
      exclusion: 'other',
      exclusionReason: 'strike at the carrier',
    });
    expect(classified).toEqual({
      ...interruption,
      planned: true,
      exclusion: 'other',
      exclusionReason: 'strike at the carrier',
      classifications: [{ at: '2026-03-03T09:00:00.000Z', by: 'ada', planned: true, exclusion: 'other', exclusionReason: 'strike at the carrier' }],
      version: 2,
      updatedAt: '2026-03-03T09:00:00.000Z',
    });
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(classified);
  });

  it('keeps the exclusion and its reason when only planned is given', async () => {
    const { deps, clock, interruption } = await recorded();
    await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: 'third-party', exclusionReason: 'DNS provider outage' });
    clock.set('2026-03-04T09:00:00.000Z');
    const classified = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: true });
    expect(classified).toMatchObject({ planned: true, exclusion: 'third-party', exclusionReason: 'DNS provider outage', updatedAt: '2026-03-04T09:00:00.000Z' });
  });

  it('clears the exclusion and its reason with exclusion: null, keeping planned', async () => {
    const { deps, clock, interruptions, interruption } = await recorded();
    await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: true, exclusion: 'force-majeure', exclusionReason: 'flood' });
    clock.set('2026-03-04T09:00:00.000Z');
    const cleared = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: null });
    expect(cleared).toEqual({
      ...interruption,
      planned: true,
      classifications: [
        { at: '2026-03-03T09:00:00.000Z', by: 'ada', planned: true, exclusion: 'force-majeure', exclusionReason: 'flood' },
        { at: '2026-03-04T09:00:00.000Z', by: 'ada', planned: true },
      ],
      version: 3,
      updatedAt: '2026-03-04T09:00:00.000Z',
    });
    expect(cleared).not.toHaveProperty('exclusion');
    expect(cleared).not.toHaveProperty('exclusionReason');
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(cleared);
  });

  it('does not keep a reason without an exclusion', async () => {
    const { deps, interruption } = await recorded();
    const classified = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: null, exclusionReason: 'why not' });
    expect(classified).not.toHaveProperty('exclusionReason');
  });

  it('refuses (409) a reason given alone when there is no exclusion to re-word, and writes nothing', async () => {
    const { deps, interruptions, interruption } = await recorded();
    await expectRejection(classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: true, exclusionReason: 'why not' }), ConflictError);
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(interruption);
  });

  it("re-words the current exclusion's reason when the reason comes alone, recording who and when", async () => {
    const { deps, clock, interruption } = await recorded();
    await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: 'third-party', exclusionReason: 'DNS outage' });
    clock.set('2026-03-04T09:00:00.000Z');
    const reworded = await classifyInterruption(deps, { ...admin, userId: 'bob' } as typeof admin, CONTRACT_ID, interruption.id, {
      exclusionReason: 'DNS provider outage (ticket 4411)',
    });
    expect(reworded).toMatchObject({ exclusion: 'third-party', exclusionReason: 'DNS provider outage (ticket 4411)', planned: false });
    expect(reworded.classifications?.at(-1)).toEqual({
      at: '2026-03-04T09:00:00.000Z',
      by: 'bob',
      planned: false,
      exclusion: 'third-party',
      exclusionReason: 'DNS provider outage (ticket 4411)',
    });
  });

  it('keeps every classification up to its bound, then refuses more (409) rather than forget one', async () => {
    const { deps, interruption } = await recorded();
    for (let n = 0; n < MAX_CLASSIFICATIONS; n += 1) await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: n % 2 === 0 });
    await expectRejection(classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: true }), ConflictError);
  });

  it.each([
    ['another exclusion', 'client-fault'],
    ['the same exclusion again', 'third-party'],
  ] as const)('drops the previous reason when %s is given without one', async (_name, exclusion) => {
    const { deps, clock, interruptions, interruption } = await recorded();
    await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: 'third-party', exclusionReason: 'DNS provider outage' });
    clock.set('2026-03-04T09:00:00.000Z');
    const classified = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion });
    expect(classified).toMatchObject({ exclusion });
    expect(classified).not.toHaveProperty('exclusionReason');
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(classified);
  });

  it('takes the reason given with a new exclusion', async () => {
    const { deps, clock, interruption } = await recorded();
    await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: 'third-party', exclusionReason: 'DNS provider outage' });
    clock.set('2026-03-04T09:00:00.000Z');
    const classified = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: 'other', exclusionReason: 'strike at the carrier' });
    expect(classified).toMatchObject({ exclusion: 'other', exclusionReason: 'strike at the carrier' });
  });

  it('replaces the reason of the current exclusion when only a reason is given, keeping the exclusion', async () => {
    const { deps, clock, interruption } = await recorded();
    await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: true, exclusion: 'other', exclusionReason: 'strike' });
    clock.set('2026-03-04T09:00:00.000Z');
    const classified = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: false, exclusionReason: 'strike at the carrier' });
    expect(classified).toMatchObject({ planned: false, exclusion: 'other', exclusionReason: 'strike at the carrier' });
  });

  it('keeps a restoration recorded before it', async () => {
    const { deps, interruption } = await recorded();
    const restored = await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T10:00:00.000Z' });
    const classified = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: 'client-fault' });
    expect(classified).toMatchObject({ restoredAt: restored.restoredAt, restoredBy: 'ada', exclusion: 'client-fault' });
  });

  it('refuses to overwrite a change made between its read and its write (ConflictError), keeping the other change', async () => {
    const { deps, clock, interruptions, interruption } = await recorded();
    interruptions.beforeNextReplace = async () => {
      clock.set('2026-03-03T09:00:01.000Z');
      await restoreInterruption(deps, technicianOf('client-a'), CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T10:00:00.000Z' });
    };
    await expectRejection(classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: true }), ConflictError);
    const stored = await interruptions.get(CONTRACT_ID, interruption.id);
    expect(stored).toMatchObject({ planned: false, restoredAt: '2026-03-02T10:00:00.000Z', version: 2, updatedAt: '2026-03-03T09:00:01.000Z' });
  });

  it('detects a concurrent change even within the same millisecond (the version moves, updatedAt may not)', async () => {
    const { deps, interruptions, interruption } = await recorded();
    await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: true });
    // The clock stays put: the concurrent classification stamps the very updatedAt the stale one read.
    interruptions.beforeNextReplace = () => classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: 'client-fault' });
    await expectRejection(classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: false }), ConflictError);
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toMatchObject({ planned: true, exclusion: 'client-fault', version: 3, updatedAt: '2026-03-03T09:00:00.000Z' });
  });

  it('bumps the version by one per classification, after a restoration too', async () => {
    const { deps, interruptions, interruption } = await recorded();
    await restoreInterruption(deps, admin, CONTRACT_ID, interruption.id, { restoredAt: '2026-03-02T10:00:00.000Z' });
    const first = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: true });
    const second = await classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: false });
    expect([first.version, second.version]).toEqual([3, 4]);
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(second);
  });

  it('lets only one of two concurrent classifications win; the other gets a ConflictError', async () => {
    const { deps, interruptions, interruption } = await recorded();
    const outcomes = await Promise.allSettled([
      classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { planned: true }),
      classifyInterruption(deps, admin, CONTRACT_ID, interruption.id, { exclusion: 'client-fault' }),
    ]);
    const winners = outcomes.filter((o): o is PromiseFulfilledResult<InterruptionRecord> => o.status === 'fulfilled');
    const losers = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]?.reason).toBeInstanceOf(ConflictError);
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(winners[0]?.value);
  });

  it('refuses an unknown interruption (NotFoundError) and a caller outside the scope (ForbiddenError)', async () => {
    const { deps, interruptions, interruption } = await recorded();
    await expectRejection(classifyInterruption(deps, admin, CONTRACT_ID, SECOND_ID, { planned: true }), NotFoundError);
    await expectRejection(classifyInterruption(deps, technicianOf('client-b'), CONTRACT_ID, interruption.id, { planned: true }), ForbiddenError);
    expect(await interruptions.get(CONTRACT_ID, interruption.id)).toEqual(interruption);
  });
});

describe('listInterruptions', () => {
  const ALL = { limit: 100 };
  /** Hands out the given ULIDs in the given order, so creation order and id order differ. */
  const idsInOrder = (...ids: string[]): IdGenerator => ({ next: () => ids.shift() ?? '' });

  it("returns the contract's interruptions in id (ULID) order, not in creation or notification order", async () => {
    const third = '01HZ0000000000000000000003';
    const { deps } = setup({ ids: idsInOrder(SECOND_ID, third, FIRST_ID) });
    const b = await recordInterruption(deps, admin, CONTRACT_ID, { notifiedAt: '2026-03-02T07:00:00.000Z', planned: false });
    const c = await recordInterruption(deps, admin, CONTRACT_ID, { notifiedAt: '2026-03-02T06:00:00.000Z', planned: false });
    const a = await recordInterruption(deps, admin, CONTRACT_ID, { notifiedAt: '2026-03-02T07:30:00.000Z', planned: false });
    expect((await listInterruptions(deps, technicianOf('client-a'), CONTRACT_ID, ALL)).items.map((i) => i.id)).toEqual([FIRST_ID, SECOND_ID, third]);
    expect(await listInterruptions(deps, admin, CONTRACT_ID, ALL)).toEqual({ items: [a, b, c], nextToken: undefined });
  });

  it('pages through them, oldest first', async () => {
    const { deps } = setup();
    const recorded = [];
    for (let n = 0; n < 5; n += 1) recorded.push(await recordInterruption(deps, admin, CONTRACT_ID, { planned: false }));
    const first = await listInterruptions(deps, admin, CONTRACT_ID, { limit: 2 });
    const second = await listInterruptions(deps, admin, CONTRACT_ID, { limit: 2, nextToken: first.nextToken });
    const third = await listInterruptions(deps, admin, CONTRACT_ID, { limit: 2, nextToken: second.nextToken });
    expect([...first.items, ...second.items, ...third.items]).toEqual(recorded);
    expect(third.nextToken).toBeUndefined();
  });

  it("lists nothing of another contract's interruptions", async () => {
    const other = contractOf({ id: OTHER_CONTRACT_ID, clientId: 'client-b' });
    const { deps } = setup({ contracts: [contractOf(), other] });
    await recordInterruption(deps, admin, OTHER_CONTRACT_ID, { planned: false });
    expect((await listInterruptions(deps, admin, CONTRACT_ID, ALL)).items).toEqual([]);
    expect((await listInterruptions(deps, admin, OTHER_CONTRACT_ID, ALL)).items).toHaveLength(1);
  });

  it('refuses an unknown contract (NotFoundError) and a caller outside the scope (ForbiddenError)', async () => {
    const { deps } = setup();
    await expectRejection(listInterruptions(deps, admin, OTHER_CONTRACT_ID, ALL), NotFoundError);
    await expectRejection(listInterruptions(deps, technicianOf('client-b'), CONTRACT_ID, ALL), ForbiddenError);
    await expectRejection(listInterruptions(deps, agentOf('client-b'), CONTRACT_ID, ALL), ForbiddenError);
  });
});

describe('slaReportOf', () => {
  /** Records, restores and optionally classifies an interruption through the service, as the API would. */
  async function interruption(
    deps: InterruptionDeps,
    notifiedAt: string,
    restoredAt: string | undefined,
    classification?: { exclusion: 'third-party'; exclusionReason: string },
  ): Promise<InterruptionRecord> {
    let record = await recordInterruption(deps, admin, CONTRACT_ID, { notifiedAt, planned: false });
    if (restoredAt) record = await restoreInterruption(deps, admin, CONTRACT_ID, record.id, { restoredAt });
    if (classification) record = await classifyInterruption(deps, admin, CONTRACT_ID, record.id, classification);
    return record;
  }

  const AS_OF = '2026-03-10T12:00:00.000Z';

  it('computes the hand-checked example: one breach of 90 min past GTR (10 % of 450 €) and one excluded interruption', async () => {
    // Heures ouvrées: 08:30–12:00 and 14:00–18:00, Monday to Friday. Monday 2 March 2026:
    //  A 09:00 → 17:00: 09:00–12:00 (3 h) + 14:00–17:00 (3 h) = 360 min; GTR 270 min exceeded by 90 min ≤ 4 h
    //    → bracket 1 → 10 % of the 450 € monthly fee = 45 € = 4 500 cents.
    //  B 08:30 → 18:00 (450 min), excluded (third party): reported, never penalised, not counted in IMS
    //    (were it counted, IMS would be the union 08:30–18:00 = 450 min instead of 360).
    // IMS: 360 min used of 30 h = 1 800 min allowed (whole year under contract) → bracket 0.
    const { deps, clock } = setup();
    clock.set(AS_OF);
    const a = await interruption(deps, '2026-03-02T09:00:00+01:00', '2026-03-02T17:00:00+01:00');
    const b = await interruption(deps, '2026-03-02T08:30:00+01:00', '2026-03-02T18:00:00+01:00', { exclusion: 'third-party', exclusionReason: 'carrier outage' });

    const { contract, report } = await slaReportOf(deps, technicianOf('client-a'), CONTRACT_ID, 2026);

    expect(contract.id).toBe(CONTRACT_ID);
    expect(report).toMatchObject({
      year: 2026,
      asOf: new Date(AS_OF),
      calendar: 'heures-ouvrees',
      region: 'national',
      terms: { gtrMinutes: 270, imsHours: 30, monthlyFeeCents: 45_000, startDate: '2026-01-01', endDate: null },
    });
    expect(report.interruptions.map((line) => line.id)).toEqual([b.id, a.id]);
    expect(report.interruptions[0]).toMatchObject({
      exclusion: 'third-party',
      exclusionReason: 'carrier outage',
      gtrBusinessMinutes: 450,
      outcome: 'excluded',
      bracket: null,
      penaltyCents: 0,
    });
    expect(report.interruptions[1]).toMatchObject({
      notifiedAt: new Date('2026-03-02T08:00:00.000Z'),
      restoredAt: new Date('2026-03-02T16:00:00.000Z'),
      notifiedMonth: '2026-03',
      exclusion: null,
      gtrBusinessMinutes: 360,
      gtrDeadline: new Date('2026-03-02T14:30:00.000Z'), // 09:00 + 3 h before lunch + 1 h 30 after = 15:30 Paris
      outcome: 'breached',
      bracket: 1,
      penaltyPercent: 10,
      penaltyCents: 4_500,
    });
    expect(report.ims).toMatchObject({ usedMinutes: 360, allowedMinutes: 1_800, exceededMinutes: 0, bracket: 0, penaltyCents: 0, daysUnderContract: 365, monthsInvoiced: 12 });
    expect(report.totals).toEqual({ gtrPenaltiesCents: 4_500, imsPenaltyCents: 0, beforeCapCents: 4_500, capCents: 135_000, capApplied: false, dueCents: 4_500 });
  });

  it('counts the contract end date as a day under contract (inclusive)', async () => {
    // Contract from 1 January to 2 March 2026 inclusive: 31 + 28 + 2 = 61 days, 3 months invoiced.
    // IMS allowance 1 800 min × 61 / 365 ≈ 300.8 min; A's 360 min on 2 March exceed it by ≈ 59.2 min ≤ 10 h
    // → bracket 1 → 1 % of 3 × 450 € = 13.50 € = 1 350 cents, on top of A's 4 500 cents of GTR penalty.
    const { deps, clock } = setup({ contracts: [contractOf({ endDate: '2026-03-02' })] });
    clock.set(AS_OF);
    await interruption(deps, '2026-03-02T09:00:00+01:00', '2026-03-02T17:00:00+01:00');

    const { report } = await slaReportOf(deps, admin, CONTRACT_ID, 2026);

    expect(report.terms.endDate).toBe('2026-03-02');
    expect(report.ims).toMatchObject({ usedMinutes: 360, daysUnderContract: 61, daysInYear: 365, monthsInvoiced: 3, annualFeeCents: 135_000, bracket: 1, penaltyCents: 1_350 });
    expect(report.ims.allowedMinutes).toBeCloseTo((1_800 * 61) / 365, 9);
    expect(report.totals).toMatchObject({ gtrPenaltiesCents: 4_500, imsPenaltyCents: 1_350, dueCents: 5_850 });
  });

  it("takes GTR, IMS and the fee from the contract's hosting module", async () => {
    // GTR 60 min from Monday 09:00 → deadline 10:00; restored 10:30 = 90 min → exceeded by 30 min → 10 % of 123.45 € = 1 235 cents (rounded half up).
    const custom = { ...hosting, gtrMinutes: 60, imsHours: 10, monthlyFeeCents: 12_345 };
    const { deps, clock } = setup({ contracts: [contractOf({ modules: { ...demoContractInput.modules, hosting: custom } })] });
    clock.set(AS_OF);
    await interruption(deps, '2026-03-02T09:00:00+01:00', '2026-03-02T10:30:00+01:00');

    const { report } = await slaReportOf(deps, admin, CONTRACT_ID, 2026);

    expect(report.terms).toEqual({ gtrMinutes: 60, imsHours: 10, monthlyFeeCents: 12_345, startDate: '2026-01-01', endDate: null });
    expect(report.interruptions[0]).toMatchObject({ gtrDeadline: new Date('2026-03-02T09:00:00.000Z'), gtrBusinessMinutes: 90, bracket: 1, penaltyCents: 1_235 });
    expect(report.ims.allowedMinutes).toBe(600);
    expect(report.totals.capCents).toBe(3 * 12_345);
  });

  it("maps the hosting module's fee changes: a month keeps the fee it was invoiced at", async () => {
    // 450 € until February 2026, 600 € from March. Both interruptions: 360 business min, GTR exceeded by 90 min → 10 %.
    //  February (Monday 23rd): 10 % of 450 € = 4 500 cents; March (Monday 2nd): 10 % of 600 € = 6 000 cents.
    // IMS base: 2 × 450 € + 10 × 600 € = 6 900 €; cap 3 × 6 900 € / 12 = 1 725 €.
    const feeChanges = [{ effectiveMonth: '2026-03', monthlyFeeCents: 60_000 }];
    const { deps, clock } = setup({ contracts: [contractOf({ modules: { ...demoContractInput.modules, hosting: { ...hosting, feeChanges } } })] });
    clock.set(AS_OF);
    await interruption(deps, '2026-02-23T09:00:00+01:00', '2026-02-23T17:00:00+01:00');
    await interruption(deps, '2026-03-02T09:00:00+01:00', '2026-03-02T17:00:00+01:00');

    const { report } = await slaReportOf(deps, admin, CONTRACT_ID, 2026);

    expect(report.terms).toMatchObject({ monthlyFeeCents: 45_000, feeChanges });
    expect(report.interruptions.map((line) => [line.notifiedMonth, line.feeCents, line.penaltyCents])).toEqual([
      ['2026-02', 45_000, 4_500],
      ['2026-03', 60_000, 6_000],
    ]);
    expect(report.ims.annualFeeCents).toBe(2 * 45_000 + 10 * 60_000);
    expect(report.totals).toMatchObject({ gtrPenaltiesCents: 10_500, capCents: 172_500 });
  });

  it.each([
    ['national', 360, 'breached'],
    ['alsace-moselle', 0, 'met'],
  ] as const)("counts business time with the holidays of the contract's calendar region (%s: Good Friday 3 April 2026)", async (region, minutes, outcome) => {
    const { deps, clock } = setup({ contracts: [contractOf({ calendarRegion: region })] });
    clock.set('2026-04-10T12:00:00.000Z');
    await interruption(deps, '2026-04-03T09:00:00+02:00', '2026-04-03T17:00:00+02:00');

    const { report } = await slaReportOf(deps, admin, CONTRACT_ID, 2026);

    expect(report.region).toBe(region);
    expect(report.interruptions[0]).toMatchObject({ gtrBusinessMinutes: minutes, outcome });
  });

  it('reports as of the clock: an open interruption is running and bears no penalty yet', async () => {
    const { deps, clock } = setup();
    await interruption(deps, MONDAY_0900, undefined);
    clock.set('2026-03-02T15:00:00.000Z'); // 16:00 Paris: 3 h + 2 h = 300 min, already past GTR
    const { report } = await slaReportOf(deps, admin, CONTRACT_ID, 2026);
    expect(report.asOf).toEqual(new Date('2026-03-02T15:00:00.000Z'));
    expect(report.interruptions[0]).toMatchObject({ restoredAt: null, gtrBusinessMinutes: 300, outcome: 'running', penaltyCents: 0 });
    expect(report.ims.usedMinutes).toBe(300);
  });

  it('only reports interruptions notified in the requested year', async () => {
    const { deps, clock } = setup();
    clock.set(AS_OF);
    await interruption(deps, MONDAY_0900, '2026-03-02T09:00:00.000Z');
    const { report } = await slaReportOf(deps, admin, CONTRACT_ID, 2025);
    expect(report.interruptions).toEqual([]);
    expect(report.totals.dueCents).toBe(0);
  });

  it('refuses a contract without an active hosting module (ConflictError), an unknown one (NotFoundError) and a caller outside the scope (ForbiddenError)', async () => {
    const inactive = contractOf({ id: OTHER_CONTRACT_ID, clientId: 'client-b', modules: { ...demoContractInput.modules, hosting: { ...hosting, active: false } } });
    const { deps } = setup({ contracts: [contractOf(), inactive] });
    await expectRejection(slaReportOf(deps, admin, OTHER_CONTRACT_ID, 2026), ConflictError);
    await expectRejection(slaReportOf(deps, admin, '01HY0000000000000000000009', 2026), NotFoundError);
    await expectRejection(slaReportOf(deps, technicianOf('client-b'), CONTRACT_ID, 2026), ForbiddenError);
  });
});
