import { describe, expect, it } from 'vitest';
import { resolveStaffPrincipal } from '../../../../shared/domain/staff/staff-principal';
import { InMemoryStaffScopeRepository } from '../../../support/in-memory-repositories';

async function scopesWith(...scopes: Array<{ userId: string; allClients: boolean; clientIds: string[] }>) {
  const repository = new InMemoryStaffScopeRepository();
  for (const scope of scopes) await repository.put(scope);
  return repository;
}

describe('resolveStaffPrincipal', () => {
  it('gives an admin every client, whatever the table says', async () => {
    const scopes = await scopesWith({ userId: 'ada', allClients: false, clientIds: ['client-a'] });
    expect(await resolveStaffPrincipal(scopes, 'ada', ['admin'])).toEqual({ kind: 'staff', userId: 'ada', role: 'admin', clientScope: 'all' });
  });

  it("takes a technician's listed clients from the table", async () => {
    const scopes = await scopesWith({ userId: 'tom', allClients: false, clientIds: ['client-a', 'client-b'] });
    expect(await resolveStaffPrincipal(scopes, 'tom', ['technician'])).toEqual({
      kind: 'staff',
      userId: 'tom',
      role: 'technician',
      clientScope: ['client-a', 'client-b'],
    });
  });

  it('gives "all" to a scope record that covers all clients, ignoring its list', async () => {
    const scopes = await scopesWith({ userId: 'meg', allClients: true, clientIds: ['client-a'] });
    expect(await resolveStaffPrincipal(scopes, 'meg', ['manager'])).toMatchObject({ role: 'manager', clientScope: 'all' });
  });

  it('gives no client to a non-admin without a scope record', async () => {
    const scopes = await scopesWith({ userId: 'someone-else', allClients: true, clientIds: [] });
    expect(await resolveStaffPrincipal(scopes, 'tom', ['technician'])).toEqual({ kind: 'staff', userId: 'tom', role: 'technician', clientScope: [] });
  });

  it('acts with the widest role when several groups are listed', async () => {
    const scopes = await scopesWith({ userId: 'tom', allClients: false, clientIds: ['client-a'] });
    expect(await resolveStaffPrincipal(scopes, 'tom', ['technician', 'manager'])).toMatchObject({ role: 'manager', clientScope: ['client-a'] });
    expect(await resolveStaffPrincipal(scopes, 'tom', ['technician', 'admin'])).toMatchObject({ role: 'admin', clientScope: 'all' });
  });

  it('has no principal for an identity without a Vigie group', async () => {
    const scopes = await scopesWith({ userId: 'eve', allClients: true, clientIds: [] });
    expect(await resolveStaffPrincipal(scopes, 'eve', [])).toBeUndefined();
    expect(await resolveStaffPrincipal(scopes, 'eve', ['accounting'])).toBeUndefined();
  });
});
