import { describe, expect, it } from 'vitest';
import { resolveStaffPrincipal, revocationOf, type StaffIdentity } from '../../../../shared/domain/staff/staff-principal';
import type { StaffScope } from '../../../../shared/schemas/principal';
import { InMemoryStaffRepository } from '../../../support/in-memory-repositories';

const AT = '2026-03-02T08:00:00.000Z';
const scope = (userId: string, shape: { allClients: true } | { clientIds: string[] }): StaffScope => ({ userId, ...shape, updatedAt: AT, updatedBy: 'ada' });

async function staffWith(...scopes: StaffScope[]) {
  const repository = new InMemoryStaffRepository();
  for (const s of scopes) await repository.putScope(s);
  return repository;
}

const identity = (userId: string, groups: string[], issuedAt = '2026-03-02T09:00:00.000Z'): StaffIdentity => ({ userId, groups, issuedAt: new Date(issuedAt) });

describe('resolveStaffPrincipal', () => {
  it('gives an admin every client, whatever the table says', async () => {
    const staff = await staffWith(scope('ada', { clientIds: ['client-a'] }));
    expect(await resolveStaffPrincipal(staff, identity('ada', ['admin']))).toEqual({
      outcome: 'known',
      principal: { kind: 'staff', userId: 'ada', role: 'admin', clientScope: 'all' },
    });
  });

  it("takes a technician's listed clients from the table", async () => {
    const staff = await staffWith(scope('tom', { clientIds: ['client-a', 'client-b'] }));
    expect(await resolveStaffPrincipal(staff, identity('tom', ['technician']))).toEqual({
      outcome: 'known',
      principal: { kind: 'staff', userId: 'tom', role: 'technician', clientScope: ['client-a', 'client-b'] },
    });
  });

  it('gives "all" to a scope record that covers all clients', async () => {
    const staff = await staffWith(scope('meg', { allClients: true }));
    expect(await resolveStaffPrincipal(staff, identity('meg', ['manager']))).toMatchObject({ principal: { role: 'manager', clientScope: 'all' } });
  });

  it('gives no client to a non-admin without a scope record', async () => {
    const staff = await staffWith(scope('someone-else', { allClients: true }));
    expect(await resolveStaffPrincipal(staff, identity('tom', ['technician']))).toMatchObject({ principal: { clientScope: [] } });
  });

  it('acts with the widest role when several groups are listed', async () => {
    const staff = await staffWith(scope('tom', { clientIds: ['client-a'] }));
    expect(await resolveStaffPrincipal(staff, identity('tom', ['technician', 'manager']))).toMatchObject({ principal: { role: 'manager', clientScope: ['client-a'] } });
    expect(await resolveStaffPrincipal(staff, identity('tom', ['technician', 'admin']))).toMatchObject({ principal: { role: 'admin', clientScope: 'all' } });
  });

  it('has no principal for an identity without a Vigie group', async () => {
    const staff = await staffWith(scope('eve', { allClients: true }));
    expect(await resolveStaffPrincipal(staff, identity('eve', []))).toEqual({ outcome: 'no-role' });
    expect(await resolveStaffPrincipal(staff, identity('eve', ['accounting']))).toEqual({ outcome: 'no-role' });
  });

  it('refuses a disabled member, admins included, and any token issued before a sign-out', async () => {
    const staff = await staffWith();
    await staff.updateStatus('ada', { action: 'disable', at: '2026-03-02T10:00:00.000Z', by: 'bob' });
    expect(await resolveStaffPrincipal(staff, identity('ada', ['admin'], '2026-03-02T11:00:00.000Z'))).toMatchObject({ outcome: 'revoked' });
    await staff.updateStatus('ada', { action: 'enable', at: '2026-03-02T12:00:00.000Z', by: 'bob' });
    // Enabled again: a token of before the disabling stays dead, a new one works.
    expect(await resolveStaffPrincipal(staff, identity('ada', ['admin'], '2026-03-02T09:59:59.000Z'))).toMatchObject({ outcome: 'revoked' });
    expect(await resolveStaffPrincipal(staff, identity('ada', ['admin'], '2026-03-02T12:00:01.000Z'))).toMatchObject({ outcome: 'known' });
    await staff.updateStatus('ada', { action: 'sign-out', at: '2026-03-02T13:00:00.000Z', by: 'bob' });
    expect(await resolveStaffPrincipal(staff, identity('ada', ['admin'], '2026-03-02T12:00:01.000Z'))).toMatchObject({ outcome: 'revoked' });
    expect(await resolveStaffPrincipal(staff, identity('ada', ['admin'], '2026-03-02T13:00:00.000Z'))).toMatchObject({ outcome: 'known' });
  });
});

describe('revocationOf', () => {
  const status = { userId: 'ada', updatedAt: AT, updatedBy: 'bob' };
  it('says nothing without a status or a cut-off', () => {
    expect(revocationOf(undefined, new Date(AT))).toBeUndefined();
    expect(revocationOf(status, new Date(AT))).toBeUndefined();
  });

  it('counts a token issued at the cut-off itself as valid, and one a millisecond before as revoked', () => {
    const cut = { ...status, tokensNotBefore: AT };
    expect(revocationOf(cut, new Date(AT))).toBeUndefined();
    expect(revocationOf(cut, new Date(Date.parse(AT) - 1))).toMatch(/issued before/);
  });
});
