import { describe, expect, it } from 'vitest';
import { demoContractInput } from '../../../../infra/local/seed';
import { UnknownCalendarError } from '../../../../shared/domain/calendar';
import { calendarOf, contractGtiDeadline } from '../../../../shared/domain/contracts/contract-calendars';
import { ContractInputSchema, type ContractInput } from '../../../../shared/schemas/contract';

const astreinte = { name: 'astreinte', windows: [{ start: '06:00', end: '23:00' }], weekdays: [1, 2, 3, 4, 5, 6] };

const withService = (serviceCalendar: string, extra: Partial<ContractInput> = {}): ContractInput => ({
  ...demoContractInput,
  ...extra,
  modules: { ...demoContractInput.modules, proControle: { active: true, serviceCalendar, gtiMinutes: 120 } },
});

describe('contract calendars', () => {
  it('computes the GTI on the built-in service window (07:00–22:00 on jours ouvrés)', () => {
    // Friday 21:30 → 30 min that evening, then Monday 07:00 + 1 h 30.
    const deadline = contractGtiDeadline(withService('service'), new Date('2026-03-06T21:30:00+01:00'));
    expect(deadline?.toISOString()).toBe(new Date('2026-03-09T08:30:00+01:00').toISOString());
  });

  it("uses the contract's own calendar when the service window names it (here Saturdays count)", () => {
    const contract = withService('astreinte', { calendars: [astreinte] });
    const deadline = contractGtiDeadline(contract, new Date('2026-03-06T22:30:00+01:00'));
    // Friday 22:30 → 30 min until 23:00, then Saturday 06:00 + 1 h 30.
    expect(deadline?.toISOString()).toBe(new Date('2026-03-07T07:30:00+01:00').toISOString());
  });

  it('follows the holiday region: Good Friday counts nationally, not in Alsace-Moselle', () => {
    const receivedAt = new Date('2026-04-02T21:00:00+02:00'); // Thursday before Good Friday
    const national = contractGtiDeadline(withService('service'), receivedAt);
    const alsace = contractGtiDeadline(withService('service', { calendarRegion: 'alsace-moselle' }), receivedAt);
    expect(national?.toISOString()).toBe(new Date('2026-04-03T08:00:00+02:00').toISOString());
    expect(alsace?.toISOString()).toBe(new Date('2026-04-07T08:00:00+02:00').toISOString()); // Easter Monday too
  });

  it('has no GTI without an active Pro Contrôle module', () => {
    const { proControle: _none, ...modules } = demoContractInput.modules;
    expect(contractGtiDeadline({ ...demoContractInput, modules }, new Date('2026-03-02T10:00:00Z'))).toBeUndefined();
  });

  it('refuses an unknown calendar name', () => {
    expect(() => calendarOf({ calendars: [] }, 'astreinte')).toThrow(UnknownCalendarError);
  });

  it('validates calendar references in the contract schema', () => {
    expect(ContractInputSchema.safeParse(withService('astreinte', { calendars: [astreinte] })).success).toBe(true);
    const unknown = ContractInputSchema.safeParse(withService('astreinte'));
    expect(unknown.success).toBe(false);
    expect(unknown.error?.issues.map((i) => i.path.join('.'))).toContain('modules.proControle.serviceCalendar');
    const shadowing = ContractInputSchema.safeParse({ ...demoContractInput, calendars: [{ ...astreinte, name: 'service' }] });
    expect(shadowing.error?.issues.map((i) => i.path.join('.'))).toContain('calendars.0.name');
    const twice = ContractInputSchema.safeParse({ ...demoContractInput, calendars: [astreinte, astreinte] });
    expect(twice.error?.issues.map((i) => i.path.join('.'))).toContain('calendars.1.name');
  });
});
