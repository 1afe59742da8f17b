import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../../shared/domain/errors';
import { changeStaffStatus, getStaffScope, getStaffStatus, setStaffScope } from '../../../../shared/domain/staff/staff-service';
import type { StaffDirectory } from '../../../../shared/ports/repositories';
import type { StaffPrincipal } from '../../../../shared/schemas/principal';
import { InMemoryStaffRepository } from '../../../support/in-memory-repositories';

const admin: StaffPrincipal = { kind: 'staff', userId: 'ada', role: 'admin', clientScope: 'all' };
const clock = { now: () => new Date('2026-03-02T10:00:00.000Z') };

function setup(known = ['tom', 'ada']) {
  const calls: string[] = [];
  const directory: StaffDirectory = {
    disable: async (userId) => {
      if (!known.includes(userId)) throw new NotFoundError(`no user ${userId}`);
      calls.push(`disable ${userId}`);
    },
    enable: async (userId) => void calls.push(`enable ${userId}`),
    signOut: async (userId) => void calls.push(`sign-out ${userId}`),
  };
  const staff = new InMemoryStaffRepository();
  return { deps: { staff, directory, clock }, staff, calls };
}

describe('staff scopes', () => {
  it('records all clients or the listed ones, with who set them and when', async () => {
    const { deps } = setup();
    expect(await setStaffScope(deps, admin, 'tom', { clientIds: ['client-a'] })).toEqual({
      userId: 'tom',
      clientIds: ['client-a'],
      updatedAt: '2026-03-02T10:00:00.000Z',
      updatedBy: 'ada',
    });
    expect(await setStaffScope(deps, admin, 'tom', { allClients: true })).toMatchObject({ allClients: true });
    expect(await getStaffScope(deps, 'tom')).not.toHaveProperty('clientIds');
    await expect(getStaffScope(deps, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('changeStaffStatus', () => {
  it('disables in the directory, then in the table, and shows the status', async () => {
    const { deps, calls } = setup();
    expect(await changeStaffStatus(deps, admin, 'tom', 'disable')).toEqual({
      userId: 'tom',
      disabled: true,
      disabledAt: '2026-03-02T10:00:00.000Z',
      disabledBy: 'ada',
      tokensNotBefore: '2026-03-02T10:00:00.000Z',
      updatedAt: '2026-03-02T10:00:00.000Z',
      updatedBy: 'ada',
    });
    expect(calls).toEqual(['disable tom']);
    expect(await changeStaffStatus(deps, admin, 'tom', 'enable')).toMatchObject({ disabled: false, tokensNotBefore: '2026-03-02T10:00:00.000Z' });
    expect(await getStaffStatus(deps, 'tom')).not.toHaveProperty('disabledAt');
  });

  it('writes nothing when the directory does not know the user', async () => {
    const { deps, staff } = setup();
    await expect(changeStaffStatus(deps, admin, 'ghost', 'disable')).rejects.toBeInstanceOf(NotFoundError);
    expect(await staff.getStatus('ghost')).toBeUndefined();
  });

  it('refuses to disable or sign out oneself', async () => {
    const { deps, calls } = setup();
    await expect(changeStaffStatus(deps, admin, 'ada', 'disable')).rejects.toBeInstanceOf(ConflictError);
    await expect(changeStaffStatus(deps, admin, 'ada', 'sign-out')).rejects.toBeInstanceOf(ConflictError);
    expect(calls).toEqual([]);
  });

  it('shows a member never changed as enabled', async () => {
    const { deps } = setup();
    expect(await getStaffStatus(deps, 'tom')).toEqual({ userId: 'tom', disabled: false });
  });
});
