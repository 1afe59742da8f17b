import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoContractInput } from '../../infra/local/seed';
import { startTestApi, type TestApi } from '../support/local-api';

let api: TestApi;
let admin: string;
let clientId: string;

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('admin');
  clientId = api.runtime.demoContract!.clientId;
});
afterAll(async () => api?.stop());

const register = (host: string, client = clientId) => api.call('POST', `/v1/clients/${client}/agents`, { token: admin, body: { host } });

describe('agent keys', () => {
  it('returns the key once, stores only its hash, binds it to one client and host, and revocation ends it', async () => {
    const created = await register('SRV-COMPTA');
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { apiKey, agentId } = created.body;
    expect(apiKey).toMatch(/^vigie_[0-9a-z]{26}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.host).toBe('srv-compta');

    const manager = await api.token('manager'); // local-manager: the demo client is in its scope
    expect((await api.call('GET', `/v1/clients/${clientId}/agents`, { token: manager })).status).toBe(200);
    expect((await api.call('GET', `/v1/clients/${clientId}/agents`, { token: await api.token('technician') })).status).toBe(403);
    const listed = await api.call('GET', `/v1/clients/${clientId}/agents`, { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((a: { agentId: string }) => a.agentId)).toContain(agentId);
    expect(JSON.stringify(listed.body)).not.toContain(apiKey);
    expect(JSON.stringify(listed.body)).not.toMatch(/[0-9a-f]{64}/);

    // Host names do not tell case apart: the key of SRV-COMPTA checks in as srv-compta, or SRV-Compta.
    for (const host of ['SRV-COMPTA', 'srv-compta', 'Srv-Compta']) {
      const self = await api.call('GET', `/v1/clients/${clientId}/hosts/${host}/agent`, { token: apiKey });
      expect(self.status, host).toBe(200);
      expect(self.body).toMatchObject({ agentId, clientId, host: 'srv-compta' });
    }

    expect((await api.call('GET', `/v1/clients/${clientId}/hosts/SRV-OTHER/agent`, { token: apiKey })).status).toBe(403);
    expect((await api.call('GET', '/v1/clients/another-client/hosts/SRV-COMPTA/agent', { token: apiKey })).status).toBe(403);
    expect((await api.call('GET', `/v1/contracts?clientId=${clientId}`, { token: apiKey })).status).toBe(403);
    expect((await api.call('GET', `/v1/clients/${clientId}/agents`, { token: apiKey })).status).toBe(403);

    const revoked = await api.call('DELETE', `/v1/clients/${clientId}/agents/${agentId}`, { token: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ revokedAt: expect.any(String), revokedBy: 'local-admin' });
    const after = await api.call('GET', `/v1/clients/${clientId}/hosts/SRV-COMPTA/agent`, { token: apiKey });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ message: 'Unauthorized' });

    const again = await api.call('DELETE', `/v1/clients/${clientId}/agents/${agentId}`, { token: admin });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('keeps one active agent per host, whatever the case of its name; a revoked one frees the host', async () => {
    const first = await register('SRV-AG1');
    const second = await register('srv-ag1');
    expect(second.status).toBe(409);
    expect(second.body.message).toContain(first.body.agentId);
    await api.call('DELETE', `/v1/clients/${clientId}/agents/${first.body.agentId}`, { token: admin });
    expect((await register('srv-ag1')).status).toBe(201);
  });

  it('rotates a key: the new one works at once, the old one for the grace period only', async () => {
    const created = await register('SRV-ROTATE');
    const path = `/v1/clients/${clientId}/agents/${created.body.agentId}/rotate`;
    const rotated = await api.call('POST', path, { token: admin, body: { graceMinutes: 60 } });
    expect(rotated.status).toBe(200);
    expect(rotated.headers.get('cache-control')).toBe('no-store');
    expect(rotated.body).toMatchObject({ agentId: created.body.agentId, previousKeyRetiresAt: expect.any(String) });
    expect(rotated.body.apiKey).not.toBe(created.body.apiKey);
    const checkIn = (key: string) => api.call('GET', `/v1/clients/${clientId}/hosts/srv-rotate/agent`, { token: key });
    expect((await checkIn(rotated.body.apiKey)).status).toBe(200);
    expect((await checkIn(created.body.apiKey)).status).toBe(200);
    // A rotation without grace (no body: the default is a day, so say 0) ends the key it replaces at once.
    const immediate = await api.call('POST', path, { token: admin, body: { graceMinutes: 0 } });
    expect((await checkIn(rotated.body.apiKey)).status).toBe(401);
    expect((await checkIn(created.body.apiKey)).status).toBe(401);
    expect((await checkIn(immediate.body.apiKey)).status).toBe(200);
    expect((await api.call('POST', path, { token: await api.token('technician'), body: {} })).status).toBe(403);
    expect((await api.call('POST', path, { token: admin, body: { graceMinutes: 100_000 } })).status).toBe(400);
  });

  it('pages the agents of a client', async () => {
    for (const host of ['srv-page-1', 'srv-page-2', 'srv-page-3']) await register(host);
    const seen: string[] = [];
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await api.call('GET', `/v1/clients/${clientId}/agents?limit=2${nextToken ? `&nextToken=${nextToken}` : ''}`, { token: admin });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((a: { host: string }) => a.host));
      ids.push(...page.body.items.map((a: { agentId: string }) => a.agentId));
      nextToken = page.body.nextToken;
    } while (nextToken);
    expect(seen).toEqual(expect.arrayContaining(['srv-page-1', 'srv-page-2', 'srv-page-3']));
    expect(new Set(ids).size).toBe(ids.length);
    expect((await api.call('GET', `/v1/clients/${clientId}/agents?nextToken=bm9wZQ`, { token: admin })).status).toBe(400);
    expect((await api.call('GET', `/v1/clients/${clientId}/agents?limit=0`, { token: admin })).status).toBe(400);
  });

  it('refuses a key (409) to a client without an active Pro Secours module or whose contract has ended', async () => {
    const { proSecours: _backup, ...otherModules } = demoContractInput.modules;
    const noBackup = await api.call('POST', '/v1/contracts', { token: admin, body: { ...demoContractInput, clientId: 'cabinet-sans-secours', modules: otherModules } });
    expect(noBackup.status).toBe(201);
    const refused = await register('SRV-01', 'cabinet-sans-secours');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toMatch(/Pro Secours/);
    const ended = await api.call('POST', '/v1/contracts', { token: admin, body: { ...demoContractInput, clientId: 'cabinet-termine', startDate: '2024-01-01', endDate: '2025-12-31' } });
    expect(ended.status).toBe(201);
    expect((await register('SRV-01', 'cabinet-termine')).status).toBe(409);
  });

  it('refuses a key that was never issued, and a key of the right shape but wrong secret', async () => {
    const created = await register('SRV-GED');
    const forged = `${created.body.apiKey.slice(0, -4)}AAAA`;
    expect((await api.call('GET', `/v1/clients/${clientId}/hosts/SRV-GED/agent`, { token: forged })).status).toBe(401);
    expect((await api.call('GET', `/v1/clients/${clientId}/hosts/SRV-GED/agent`, { token: created.body.apiKey })).status).toBe(200);
  });

  it('validates input: 400 for a bad host, 404 for a client without contract or an unknown agent, 403 for a technician', async () => {
    const badHost = await register('bad host/name');
    expect(badHost.status).toBe(400);
    expect(badHost.body.details[0].path).toBe('body.host');
    const extra = await api.call('POST', `/v1/clients/${clientId}/agents`, { token: admin, body: { host: 'SRV', clientId: 'x' } });
    expect(extra.status).toBe(400);
    expect((await register('SRV', 'nobody-here')).status).toBe(404);
    expect((await api.call('DELETE', `/v1/clients/${clientId}/agents/01ARZ3NDEKTSV4RRFFQ69G5FAV`, { token: admin })).status).toBe(404);
    expect((await api.call('POST', `/v1/clients/${clientId}/agents/01ARZ3NDEKTSV4RRFFQ69G5FAV/rotate`, { token: admin })).status).toBe(404);
    const technician = await api.token('technician');
    expect((await api.call('POST', `/v1/clients/${clientId}/agents`, { token: technician, body: { host: 'SRV' } })).status).toBe(403);
  });
});
