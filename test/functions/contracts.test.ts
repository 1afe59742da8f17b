import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoContractInput } from '../../infra/local/seed';
import type { ContractInput } from '../../shared/schemas/contract';
import { startTestApi, type TestApi } from '../support/local-api';

let api: TestApi;
let admin: string;

const contractFor = (clientId: string, startDate: string, endDate?: string): ContractInput => ({
  ...demoContractInput,
  clientId,
  contractNumber: `INF-${clientId}-${startDate}`,
  startDate,
  ...(endDate ? { endDate } : {}),
});

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('admin');
});
afterAll(async () => api?.stop());

describe('contracts API over HTTP', () => {
  it('creates, reads, updates with If-Match and refuses a stale update with 409', async () => {
    const created = await api.call('POST', '/v1/contracts', { token: admin, body: contractFor('cabinet-alpha', '2026-01-01') });
    expect(created.status).toBe(201);
    expect(created.body.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(created.body.version).toBe(1);
    expect(created.headers.get('location')).toBe(`/v1/contracts/${created.body.id}`);

    const read = await api.call('GET', `/v1/contracts/${created.body.id}`, { token: admin });
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    const etag = read.headers.get('etag');
    expect(etag).toBe('"1"');

    const changed = { ...contractFor('cabinet-alpha', '2026-01-01'), clientName: 'Cabinet Alpha SARL' };
    const updated = await api.call('PUT', `/v1/contracts/${created.body.id}`, { token: admin, body: changed, headers: { 'if-match': etag! } });
    expect(updated.status).toBe(200);
    expect(updated.body.clientName).toBe('Cabinet Alpha SARL');
    expect(updated.body.version).toBe(2);
    expect(updated.headers.get('etag')).toBe('"2"');

    const stale = await api.call('PUT', `/v1/contracts/${created.body.id}`, { token: admin, body: changed, headers: { 'if-match': etag! } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('Conflict');

    const again = await api.call('GET', `/v1/contracts/${created.body.id}`, { token: admin });
    expect(again.body.clientName).toBe('Cabinet Alpha SARL');
  });

  it('requires If-Match on replace (428) and rejects a malformed one (400)', async () => {
    const created = await api.call('POST', '/v1/contracts', { token: admin, body: contractFor('cabinet-beta', '2026-01-01') });
    const body = contractFor('cabinet-beta', '2026-01-01');
    const missing = await api.call('PUT', `/v1/contracts/${created.body.id}`, { token: admin, body });
    expect(missing.status).toBe(428);
    expect(missing.body.details).toEqual([{ path: 'headers.if-match', message: 'required' }]);
    const malformed = await api.call('PUT', `/v1/contracts/${created.body.id}`, { token: admin, body, headers: { 'if-match': 'yesterday' } });
    expect(malformed.status).toBe(400);
    const moved = await api.call('PUT', `/v1/contracts/${created.body.id}`, {
      token: admin,
      body: { ...body, clientId: 'someone-else' },
      headers: { 'if-match': '"1"' },
    });
    expect(moved.status).toBe(400);
    expect(moved.body.details[0].path).toBe('body.clientId');
  });

  it('answers 400 naming each bad field, with the {error, message, details} shape', async () => {
    const bad = {
      ...contractFor('cabinet-gamma', '2026-01-01'),
      clientId: 'Not A Slug',
      startDate: '2026-13-45',
      modules: { hosting: { active: true, monthlyFeeCents: -5 } },
      contacts: { ...demoContractInput.contacts, clientMain: { name: 'X', email: 'not-an-email' } },
      unexpected: true,
    };
    const response = await api.call('POST', '/v1/contracts', { token: admin, body: bad });
    expect(response.status).toBe(400);
    for (const [body, path] of [
      [{ ...contractFor('cabinet-gamma', '0000-01-01') }, 'body.startDate'],
      [{ ...contractFor('cabinet-gamma', '2026-01-01'), modules: { hosting: { active: true, monthlyFeeCents: 100, imsHours: 5e-324 } } }, 'body.modules.hosting.imsHours'],
      [{ ...contractFor('cabinet-gamma', '2026-01-01'), alerting: { inboundAddress: `${'a'.repeat(300)}@example.fr`, knownSenders: [] } }, 'body.alerting.inboundAddress'],
    ] as const) {
      const refused = await api.call('POST', '/v1/contracts', { token: admin, body });
      expect(refused.status, path).toBe(400);
      expect(refused.body.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(response.body.error).toBe('ValidationError');
    expect(typeof response.body.message).toBe('string');
    const paths = response.body.details.map((d: { path: string }) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['body.clientId', 'body.startDate', 'body.modules.hosting.monthlyFeeCents', 'body.contacts.clientMain.email', 'body.unexpected']),
    );
    for (const detail of response.body.details) expect(detail.message.length).toBeGreaterThan(0);
  });

  it('answers 400 for a body that is not JSON, and for an end before the start', async () => {
    const notJson = await api.call('POST', '/v1/contracts', { token: admin, rawBody: '{"clientId": ', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.details[0].path).toBe('body');
    const empty = await api.call('POST', '/v1/contracts', { token: admin });
    expect(empty.status).toBe(400);
    const reversed = await api.call('POST', '/v1/contracts', { token: admin, body: contractFor('cabinet-delta', '2026-06-01', '2026-01-01') });
    expect(reversed.status).toBe(400);
    expect(reversed.body.details).toContainEqual({ path: 'body.endDate', message: 'endDate must not be before startDate' });
  });

  it('answers 404 for an unknown contract and 400 for an id that is not a ULID', async () => {
    const unknown = await api.call('GET', '/v1/contracts/01ARZ3NDEKTSV4RRFFQ69G5FAV', { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'NotFound', details: [] });
    const badId = await api.call('GET', '/v1/contracts/not-a-ulid', { token: admin });
    expect(badId.status).toBe(400);
    expect(badId.body.details[0].path).toBe('path.contractId');
  });

  it('keeps one contract at a time per client (409 on overlap) and pages through a client history', async () => {
    const periods = [
      ['2023-01-01', '2023-12-31'],
      ['2024-01-01', '2024-12-31'],
      ['2025-01-01', '2025-12-31'],
    ] as const;
    for (const [start, end] of periods) {
      expect((await api.call('POST', '/v1/contracts', { token: admin, body: contractFor('cabinet-epsilon', start, end) })).status).toBe(201);
    }
    const overlap = await api.call('POST', '/v1/contracts', { token: admin, body: contractFor('cabinet-epsilon', '2025-06-01') });
    expect(overlap.status).toBe(409);

    const first = await api.call('GET', '/v1/contracts?clientId=cabinet-epsilon&limit=2', { token: admin });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextToken).toEqual(expect.any(String));
    const second = await api.call('GET', `/v1/contracts?clientId=cabinet-epsilon&limit=2&nextToken=${encodeURIComponent(first.body.nextToken)}`, { token: admin });
    expect(second.body.items).toHaveLength(1);
    const starts = [...first.body.items, ...second.body.items].map((c: { startDate: string }) => c.startDate).sort();
    expect(starts).toEqual(periods.map(([s]) => s));

    const tampered = await api.call('GET', '/v1/contracts?clientId=cabinet-epsilon&nextToken=bm90LWEtdG9rZW4', { token: admin });
    expect(tampered.status).toBe(400);
    const noClient = await api.call('GET', '/v1/contracts', { token: admin });
    expect(noClient.status).toBe(400);
    expect(noClient.body.details[0].path).toBe('query.clientId');
    for (const limit of ['1000', '0', '1e309', '2.5', '0x10', '', ' 5']) {
      const badLimit = await api.call('GET', `/v1/contracts?clientId=cabinet-epsilon&limit=${encodeURIComponent(limit)}`, { token: admin });
      expect(badLimit.status, limit).toBe(400);
      expect(badLimit.body.details[0].path).toBe('query.limit');
    }
  });

  it('creates exactly one of 8 overlapping contracts posted at once for a client; the others are 409', async () => {
    const starts = ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01', '2026-07-01', '2026-08-01'];
    const responses = await Promise.all(starts.map((start) => api.call('POST', '/v1/contracts', { token: admin, body: contractFor('cabinet-iota', start) })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201), statuses.join(' ')).toHaveLength(1);
    expect(statuses.filter((s) => s === 409), statuses.join(' ')).toHaveLength(7);
    for (const refused of responses.filter((r) => r.status === 409)) expect(refused.body.error).toBe('Conflict');

    const listed = await api.call('GET', '/v1/contracts?clientId=cabinet-iota&limit=100', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(1);
    expect(listed.body.items[0].id).toBe(responses.find((r) => r.status === 201)!.body.id);
  });

  it('creates all of 8 contracts with disjoint periods posted at once for a client (the losers of each race retry)', async () => {
    const years = ['2030', '2031', '2032', '2033', '2034', '2035', '2036', '2037'];
    const responses = await Promise.all(
      years.map((year) => api.call('POST', '/v1/contracts', { token: admin, body: contractFor('cabinet-kappa', `${year}-01-01`, `${year}-12-31`) })),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses, statuses.join(' ')).toEqual(years.map(() => 201));

    const listed = await api.call('GET', '/v1/contracts?clientId=cabinet-kappa&limit=100', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toHaveLength(8);
    expect(listed.body.items.map((c: { startDate: string }) => c.startDate).sort()).toEqual(years.map((year) => `${year}-01-01`));
    expect(new Set(listed.body.items.map((c: { id: string }) => c.id))).toEqual(new Set(responses.map((r) => r.body.id)));
  });
});

describe('authentication and roles', () => {
  it('answers 401 with the gateway body without a token or with a bad one', async () => {
    const none = await api.call('GET', '/v1/contracts?clientId=cabinet-alpha');
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ message: 'Unauthorized' });
    const garbage = await api.call('GET', '/v1/contracts?clientId=cabinet-alpha', { token: 'not.a.jwt' });
    expect(garbage.status).toBe(401);
    const basic = await api.call('GET', '/v1/contracts?clientId=cabinet-alpha', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } });
    expect(basic.status).toBe(401);
    const expired = await api.runtime.issuer.sign({ userId: 'local-admin', role: 'admin', ttlSeconds: -60 });
    expect((await api.call('GET', '/v1/contracts?clientId=cabinet-alpha', { token: expired })).status).toBe(401);
  });

  it('rejects a token signed by another issuer key', async () => {
    const { localIssuer } = await import('../../infra/local/issuer');
    const { mkdtemp } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const other = await localIssuer(join(await mkdtemp(join(tmpdir(), 'vigie-other-')), 'key.json'));
    const forged = await other.sign({ userId: 'local-admin', role: 'admin' });
    expect((await api.call('GET', '/v1/contracts?clientId=cabinet-alpha', { token: forged })).status).toBe(401);
  });

  it('answers 403 to a wrong role, and to a client outside the caller scope', async () => {
    const technician = await api.token('technician');
    const manager = await api.token('manager');
    const demoId = api.runtime.demoContract!.id;
    const demoClient = api.runtime.demoContract!.clientId;

    const create = await api.call('POST', '/v1/contracts', { token: technician, body: contractFor('cabinet-zeta', '2026-01-01') });
    expect(create.status).toBe(403);
    expect(create.body).toEqual({ message: 'Forbidden' });
    const put = await api.call('PUT', `/v1/contracts/${demoId}`, { token: manager, body: demoContractInput, headers: { 'if-match': '"1"' } });
    expect(put.status).toBe(403);

    expect((await api.call('GET', `/v1/contracts/${demoId}`, { token: technician })).status).toBe(200);
    expect((await api.call('GET', `/v1/contracts?clientId=${demoClient}`, { token: manager })).status).toBe(200);

    const other = await api.call('POST', '/v1/contracts', { token: admin, body: contractFor('cabinet-eta', '2026-01-01') });
    const outside = await api.call('GET', `/v1/contracts/${other.body.id}`, { token: technician });
    expect(outside.status).toBe(403);
    expect(outside.body.error).toBe('Forbidden');
    const outsideList = await api.call('GET', '/v1/contracts?clientId=cabinet-eta', { token: manager });
    expect(outsideList.status).toBe(403);
    expect(outsideList.body).toEqual({ message: 'Forbidden' });

    // A technician nobody gave a scope sees no client at all.
    const stranger = await api.token('technician', 'unscoped-technician');
    expect((await api.call('GET', `/v1/contracts/${demoId}`, { token: stranger })).status).toBe(403);
  });

  it('lets an admin grant a scope, after which the technician sees the client', async () => {
    const other = await api.call('POST', '/v1/contracts', { token: admin, body: contractFor('cabinet-theta', '2026-01-01') });
    const newcomer = await api.token('technician', 'new-technician');
    expect((await api.call('GET', `/v1/contracts/${other.body.id}`, { token: newcomer })).status).toBe(403);
    const granted = await api.call('PUT', '/v1/staff/new-technician/scope', { token: admin, body: { clientIds: ['cabinet-theta'] } });
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({ userId: 'new-technician', clientIds: ['cabinet-theta'], updatedAt: expect.any(String), updatedBy: 'local-admin' });
    expect((await api.call('GET', `/v1/contracts/${other.body.id}`, { token: newcomer })).status).toBe(200);
    expect((await api.call('PUT', '/v1/staff/new-technician/scope', { token: admin, body: { clientIds: ['Bad Id'] } })).status).toBe(400);
    expect((await api.call('PUT', '/v1/staff/new-technician/scope', { token: newcomer, body: { allClients: true } })).status).toBe(403);
  });

  it('answers the gateway 404 for an unknown route', async () => {
    const response = await api.call('GET', '/v1/nothing-here', { token: admin });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ message: 'Not Found' });
  });
});
