import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

describe('agent keys', () => {
  it('returns the key once, stores only its hash, binds it to one client and host, and revocation ends it', async () => {
    const created = await api.call('POST', `/v1/clients/${clientId}/agents`, { token: admin, body: { host: 'SRV-COMPTA' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { apiKey, agentId } = created.body;
    expect(apiKey).toMatch(/^vigie_[0-9a-z]{26}_[A-Za-z0-9_-]{43}$/);

    const manager = await api.token('manager'); // local-manager: the demo client is in its scope
    expect((await api.call('GET', `/v1/clients/${clientId}/agents`, { token: manager })).status).toBe(200);
    expect((await api.call('GET', `/v1/clients/${clientId}/agents`, { token: await api.token('technician') })).status).toBe(403);
    const listed = await api.call('GET', `/v1/clients/${clientId}/agents`, { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(apiKey);
    expect(listed.body.items[0]).not.toHaveProperty('keyHash');
    expect(listed.body.items[0]).not.toHaveProperty('apiKey');

    const self = await api.call('GET', `/v1/clients/${clientId}/hosts/SRV-COMPTA/agent`, { token: apiKey });
    expect(self.status).toBe(200);
    expect(self.body.items[0]).toMatchObject({ agentId, clientId, host: 'SRV-COMPTA' });

    expect((await api.call('GET', `/v1/clients/${clientId}/hosts/SRV-OTHER/agent`, { token: apiKey })).status).toBe(403);
    expect((await api.call('GET', '/v1/clients/another-client/hosts/SRV-COMPTA/agent', { token: apiKey })).status).toBe(403);
    expect((await api.call('GET', `/v1/contracts?clientId=${clientId}`, { token: apiKey })).status).toBe(403);
    expect((await api.call('GET', `/v1/clients/${clientId}/agents`, { token: apiKey })).status).toBe(403);

    const revoked = await api.call('DELETE', `/v1/clients/${clientId}/agents/${agentId}`, { token: admin });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    const after = await api.call('GET', `/v1/clients/${clientId}/hosts/SRV-COMPTA/agent`, { token: apiKey });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ message: 'Unauthorized' });

    const again = await api.call('DELETE', `/v1/clients/${clientId}/agents/${agentId}`, { token: admin });
    expect(again.body.revokedAt).toBe(revoked.body.revokedAt);
  });

  it('refuses a key that was never issued, and a key of the right shape but wrong secret', async () => {
    const created = await api.call('POST', `/v1/clients/${clientId}/agents`, { token: admin, body: { host: 'SRV-GED' } });
    const forged = `${created.body.apiKey.slice(0, -4)}AAAA`;
    expect((await api.call('GET', `/v1/clients/${clientId}/hosts/SRV-GED/agent`, { token: forged })).status).toBe(401);
    expect((await api.call('GET', `/v1/clients/${clientId}/hosts/SRV-GED/agent`, { token: created.body.apiKey })).status).toBe(200);
  });

  it('validates input: 400 for a bad host, 404 for a client without contract or an unknown agent, 403 for a technician', async () => {
    const badHost = await api.call('POST', `/v1/clients/${clientId}/agents`, { token: admin, body: { host: 'bad host/name' } });
    expect(badHost.status).toBe(400);
    expect(badHost.body.details[0].path).toBe('body.host');
    const extra = await api.call('POST', `/v1/clients/${clientId}/agents`, { token: admin, body: { host: 'SRV', clientId: 'x' } });
    expect(extra.status).toBe(400);
    const noContract = await api.call('POST', '/v1/clients/nobody-here/agents', { token: admin, body: { host: 'SRV' } });
    expect(noContract.status).toBe(404);
    const unknownAgent = await api.call('DELETE', `/v1/clients/${clientId}/agents/01ARZ3NDEKTSV4RRFFQ69G5FAV`, { token: admin });
    expect(unknownAgent.status).toBe(404);
    const technician = await api.token('technician');
    expect((await api.call('POST', `/v1/clients/${clientId}/agents`, { token: technician, body: { host: 'SRV' } })).status).toBe(403);
  });
});
