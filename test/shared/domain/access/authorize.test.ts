import { describe, expect, it } from 'vitest';
import { authorize, canSeeClient, effectiveRole, type RouteAccess, type RouteRequest } from '../../../../shared/domain/access/authorize';
import type { AgentPrincipal, StaffPrincipal } from '../../../../shared/schemas/principal';

const admin: StaffPrincipal = { kind: 'staff', userId: 'ada', role: 'admin', clientScope: [] };
const technician: StaffPrincipal = { kind: 'staff', userId: 'tom', role: 'technician', clientScope: ['client-x'] };
const manager: StaffPrincipal = { kind: 'staff', userId: 'meg', role: 'manager', clientScope: 'all' };
const agent: AgentPrincipal = { kind: 'agent', agentId: '01HZ0000000000000000000001', clientId: 'client-x', host: 'srv-01' };

const request = (path: Record<string, string> = {}, query: Record<string, string> = {}): RouteRequest => ({
  pathParameters: path,
  queryStringParameters: query,
});

const adminOnly: RouteAccess = { staff: ['admin'], agent: false };
const staffByQuery: RouteAccess = { staff: ['admin', 'technician', 'manager'], agent: false, clientIn: 'query' };
const staffByPath: RouteAccess = { staff: ['admin', 'technician', 'manager'], agent: false, clientIn: 'path' };
const agentSelf: RouteAccess = { staff: ['admin'], agent: true, clientIn: 'path' };

describe('canSeeClient', () => {
  it('lets an admin see every client, even with an empty listed scope', () => {
    expect(canSeeClient(admin, 'anyone')).toBe(true);
  });

  it('lets a staff member with scope "all" see every client', () => {
    expect(canSeeClient(manager, 'client-y')).toBe(true);
  });

  it('limits a listed scope to the listed clients', () => {
    expect(canSeeClient(technician, 'client-x')).toBe(true);
    expect(canSeeClient(technician, 'client-y')).toBe(false);
  });

  it('does not match a client id by prefix or case', () => {
    expect(canSeeClient(technician, 'client')).toBe(false);
    expect(canSeeClient(technician, 'client-x2')).toBe(false);
    expect(canSeeClient(technician, 'CLIENT-X')).toBe(false);
  });

  it('lets an agent see only its own client', () => {
    expect(canSeeClient(agent, 'client-x')).toBe(true);
    expect(canSeeClient(agent, 'client-y')).toBe(false);
  });
});

describe('authorize: staff', () => {
  it('refuses a role the route does not list, naming the role', () => {
    expect(authorize(technician, adminOnly, request())).toEqual({ allow: false, reason: 'role technician may not call this route' });
    expect(authorize(manager, adminOnly, request())).toEqual({ allow: false, reason: 'role manager may not call this route' });
  });

  it('allows a listed role on a route that names no client', () => {
    expect(authorize(admin, adminOnly, request())).toEqual({ allow: true });
  });

  it('checks the client id read from the query string', () => {
    expect(authorize(technician, staffByQuery, request({}, { clientId: 'client-x' }))).toEqual({ allow: true });
    expect(authorize(technician, staffByQuery, request({}, { clientId: 'client-y' }))).toEqual({
      allow: false,
      reason: 'client outside the caller scope',
    });
  });

  it('checks the client id read from the path', () => {
    expect(authorize(technician, staffByPath, request({ clientId: 'client-x' }))).toEqual({ allow: true });
    expect(authorize(technician, staffByPath, request({ clientId: 'client-y' }))).toEqual({
      allow: false,
      reason: 'client outside the caller scope',
    });
  });

  it('reads the client id only where the route says: a path id does not satisfy a query route', () => {
    // The query names client-y: a client-x in the path must not make the request look in scope.
    expect(authorize(technician, staffByQuery, request({ clientId: 'client-x' }, { clientId: 'client-y' })).allow).toBe(false);
    expect(authorize(technician, staffByPath, request({ clientId: 'client-y' }, { clientId: 'client-x' })).allow).toBe(false);
  });

  it('leaves a missing client id to the handler (its 400), without a scope decision', () => {
    expect(authorize(technician, staffByQuery, request())).toEqual({ allow: true });
  });

  it('refuses an empty client id for a scoped staff member', () => {
    expect(authorize(technician, staffByQuery, request({}, { clientId: '' })).allow).toBe(false);
  });

  it('lets an admin through to any client', () => {
    expect(authorize(admin, staffByQuery, request({}, { clientId: 'client-z' }))).toEqual({ allow: true });
  });
});

describe('authorize: agents', () => {
  it('refuses an agent on a route agents may not call', () => {
    expect(authorize(agent, { ...staffByPath, agent: false }, request({ clientId: 'client-x' }))).toEqual({
      allow: false,
      reason: 'agents may not call this route',
    });
  });

  it('allows an agent for its own client and host', () => {
    expect(authorize(agent, agentSelf, request({ clientId: 'client-x', host: 'srv-01' }))).toEqual({ allow: true });
  });

  it('matches the host of the path whatever its case (the key keeps it in lower case)', () => {
    for (const host of ['SRV-01', 'Srv-01']) expect(authorize(agent, agentSelf, request({ clientId: 'client-x', host }))).toEqual({ allow: true });
  });

  it('refuses an agent for another client', () => {
    expect(authorize(agent, agentSelf, request({ clientId: 'client-y', host: 'SRV-01' }))).toEqual({
      allow: false,
      reason: 'agent key bound to another client',
    });
  });

  it('refuses an agent for another host of its own client, near names included', () => {
    expect(authorize(agent, agentSelf, request({ clientId: 'client-x', host: 'SRV-02' }))).toEqual({
      allow: false,
      reason: 'agent key bound to another host',
    });
    for (const host of ['srv-01.', 'srv-010', 'srv-0', 'srv_01']) expect(authorize(agent, agentSelf, request({ clientId: 'client-x', host })).allow, host).toBe(false);
  });

  it('refuses an agent on a route that names no client, even one agents may call', () => {
    expect(authorize(agent, { staff: [], agent: true }, request())).toEqual({ allow: false, reason: 'agent key bound to another client' });
  });

  it('reads an agent client from the path only, never from the query', () => {
    expect(authorize(agent, { staff: [], agent: true, clientIn: 'query' }, request({}, { clientId: 'client-x' })).allow).toBe(false);
  });

  it('allows an agent on an agent route without a host parameter when the client matches', () => {
    expect(authorize(agent, { staff: [], agent: true, clientIn: 'path' }, request({ clientId: 'client-x' }))).toEqual({ allow: true });
  });
});

describe('effectiveRole', () => {
  it('takes the widest Vigie group: admin, then manager, then technician', () => {
    expect(effectiveRole(['technician', 'admin'])).toBe('admin');
    expect(effectiveRole(['technician', 'manager'])).toBe('manager');
    expect(effectiveRole(['technician'])).toBe('technician');
  });

  it('ignores groups that are not Vigie roles, and has no role without one', () => {
    expect(effectiveRole(['accounting', 'technician'])).toBe('technician');
    expect(effectiveRole(['accounting'])).toBeUndefined();
    expect(effectiveRole([])).toBeUndefined();
  });

  it('matches group names exactly', () => {
    expect(effectiveRole(['Admin', 'admins', ' admin'])).toBeUndefined();
  });
});
