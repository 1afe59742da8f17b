import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoContractInput } from '../../infra/local/seed';
import type { ContractInput } from '../../shared/schemas/contract';
import { startTestApi, type TestApi } from '../support/local-api';

let api: TestApi;
let admin: string;
let technician: string;
let manager: string;
let contractId: string;

const hostingContract: ContractInput = {
  ...demoContractInput,
  clientId: 'hebergement-sla',
  contractNumber: 'INF-SLA-1',
  startDate: '2026-01-01',
  modules: { hosting: { active: true, gtrMinutes: 270, imsHours: 30, monthlyFeeCents: 45_000 } },
};

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.token('admin');
  const created = await api.call('POST', '/v1/contracts', { token: admin, body: hostingContract });
  contractId = created.body.id;
  await api.call('PUT', '/v1/staff/sla-technician/scope', { token: admin, body: { clientIds: ['hebergement-sla'] } });
  await api.call('PUT', '/v1/staff/sla-manager/scope', { token: admin, body: { clientIds: ['hebergement-sla'] } });
  technician = await api.token('technician', 'sla-technician');
  manager = await api.token('manager', 'sla-manager');
});
afterAll(async () => api?.stop());

describe('interruptions and the SLA report over HTTP', () => {
  it('records, restores, classifies and reports with GTR penalties and the CSV export', async () => {
    // Monday 2 March 2026, 09:00 → 17:00 Paris: 09:00–12:00 + 14:00–17:00 = 6 h business time, GTR 4 h 30 exceeded by 1 h 30.
    const slow = await api.call('POST', `/v1/contracts/${contractId}/interruptions`, {
      token: technician,
      body: { notifiedAt: '2026-03-02T09:00:00+01:00', description: 'Serveur ISACOMPTA injoignable' },
    });
    expect(slow.status).toBe(201);
    expect(slow.body).toMatchObject({ contractId, clientId: 'hebergement-sla', notifiedAt: '2026-03-02T08:00:00.000Z', planned: false, recordedBy: 'sla-technician', version: 1 });
    const restored = await api.call('POST', `/v1/contracts/${contractId}/interruptions/${slow.body.id}/restore`, {
      token: technician,
      body: { restoredAt: '2026-03-02T17:00:00+01:00' },
    });
    expect(restored.status).toBe(200);
    expect(restored.body.restoredAt).toBe('2026-03-02T16:00:00.000Z');
    expect(restored.body.version).toBe(2);
    const again = await api.call('POST', `/v1/contracts/${contractId}/interruptions/${slow.body.id}/restore`, {
      token: technician,
      body: { restoredAt: '2026-03-02T17:00:00+01:00' },
    });
    expect(again.status).toBe(200);
    expect(again.body.version).toBe(2);
    const different = await api.call('POST', `/v1/contracts/${contractId}/interruptions/${slow.body.id}/restore`, {
      token: technician,
      body: { restoredAt: '2026-03-02T18:00:00+01:00' },
    });
    expect(different.status).toBe(409);

    // Wednesday 4 March, 10:00 → 11:00: within GTR.
    const quick = await api.call('POST', `/v1/contracts/${contractId}/interruptions`, { token: admin, body: { notifiedAt: '2026-03-04T10:00:00+01:00' } });
    await api.call('POST', `/v1/contracts/${contractId}/interruptions/${quick.body.id}/restore`, { token: admin, body: { restoredAt: '2026-03-04T11:00:00+01:00' } });

    // Thursday 5 March, a long outage the client caused: excluded by an admin.
    const excluded = await api.call('POST', `/v1/contracts/${contractId}/interruptions`, { token: admin, body: { notifiedAt: '2026-03-05T08:30:00+01:00' } });
    await api.call('POST', `/v1/contracts/${contractId}/interruptions/${excluded.body.id}/restore`, { token: admin, body: { restoredAt: '2026-03-06T18:00:00+01:00' } });
    const classified = await api.call('PATCH', `/v1/contracts/${contractId}/interruptions/${excluded.body.id}`, {
      token: admin,
      body: { exclusion: 'client-fault', exclusionReason: 'Mise à jour lancée par le client hors procédure' },
    });
    expect(classified.status).toBe(200);
    expect(classified.body).toMatchObject({ exclusion: 'client-fault', version: 3 });

    const list = await api.call('GET', `/v1/contracts/${contractId}/interruptions`, { token: manager });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([slow.body.id, quick.body.id, excluded.body.id]);
    const firstPage = await api.call('GET', `/v1/contracts/${contractId}/interruptions?limit=2`, { token: manager });
    const secondPage = await api.call('GET', `/v1/contracts/${contractId}/interruptions?limit=2&nextToken=${encodeURIComponent(firstPage.body.nextToken)}`, { token: manager });
    expect([...firstPage.body.items, ...secondPage.body.items].map((i: { id: string }) => i.id)).toEqual([slow.body.id, quick.body.id, excluded.body.id]);
    expect(secondPage.body.nextToken).toBeUndefined();
    const foreignToken = Buffer.from(JSON.stringify({ pk: 'CONTRACT#01ARZ3NDEKTSV4RRFFQ69G5FAV', sk: 'INTERRUPTION#x' })).toString('base64url');
    expect((await api.call('GET', `/v1/contracts/${contractId}/interruptions?nextToken=${foreignToken}`, { token: manager })).status).toBe(400);

    const report = await api.call('GET', `/v1/contracts/${contractId}/sla?year=2026`, { token: manager });
    expect(report.status).toBe(200);
    const lines = Object.fromEntries(report.body.interruptions.map((l: { id: string }) => [l.id, l]));
    expect(lines[slow.body.id]).toMatchObject({ gtrBusinessMinutes: 360, outcome: 'breached', bracket: 1, penaltyPercent: 10, penaltyCents: 4_500 });
    expect(lines[quick.body.id]).toMatchObject({ gtrBusinessMinutes: 60, outcome: 'met', penaltyCents: 0 });
    expect(lines[excluded.body.id]).toMatchObject({ outcome: 'excluded', penaltyCents: 0 });
    // IMS counts the two counted interruptions only: 360 + 60 minutes, far under the allowance.
    expect(report.body.ims.usedMinutes).toBe(420);
    expect(report.body.ims.penaltyCents).toBe(0);
    expect(report.body.totals).toMatchObject({ gtrPenaltiesCents: 4_500, dueCents: 4_500 });

    const csv = await fetch(`${api.url}/v1/contracts/${contractId}/sla?year=2026&format=csv`, { headers: { authorization: `Bearer ${manager}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="sla-INF-SLA-1-2026.csv"');
    const rows = (await csv.text()).trim().split(/\r?\n/);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(rows.find((r) => r.includes(slow.body.id))).toContain('45.00');
  });

  it('records a notification slightly ahead of the server clock at the server time, and restores it "now" without a body', async () => {
    const base = `/v1/contracts/${contractId}/interruptions`;
    const before = Date.now();
    const ahead = await api.call('POST', base, { token: admin, body: { notifiedAt: new Date(before + 60_000).toISOString() } });
    expect(ahead.status).toBe(201);
    expect(new Date(ahead.body.notifiedAt).getTime()).toBeLessThanOrEqual(Date.now());
    const restored = await api.call('POST', `${base}/${ahead.body.id}/restore`, { token: admin });
    expect(restored.status).toBe(200);
    expect(new Date(restored.body.restoredAt).getTime()).toBeGreaterThanOrEqual(new Date(ahead.body.notifiedAt).getTime());
  });

  it('answers 400 naming the bad field', async () => {
    const base = `/v1/contracts/${contractId}/interruptions`;
    const badInstant = await api.call('POST', base, { token: admin, body: { notifiedAt: 'lundi 9h' } });
    expect(badInstant.status).toBe(400);
    expect(badInstant.body.details[0].path).toBe('body.notifiedAt');
    const noOffset = await api.call('POST', base, { token: admin, body: { notifiedAt: '2026-03-02T09:00:00' } });
    expect(noOffset.status).toBe(400);
    for (const notifiedAt of ['0001-03-02T16:00:00+01:00', '2005-06-01T10:00:00+02:00', '2026-03-02T24:00:00Z', '2026-03-02T16:00:00+99:99']) {
      const outside = await api.call('POST', base, { token: admin, body: { notifiedAt } });
      expect(outside.status, notifiedAt).toBe(400);
      expect(outside.body.details[0].path).toBe('body.notifiedAt');
    }
    const future = await api.call('POST', base, { token: admin, body: { notifiedAt: '2099-01-01T00:00:00Z' } });
    expect(future.status).toBe(400);
    expect(future.body.details[0].path).toBe('body.notifiedAt');
    const unknownField = await api.call('POST', base, { token: admin, body: { exclusion: 'force-majeure' } });
    expect(unknownField.status).toBe(400);

    const open = await api.call('POST', base, { token: admin, body: { notifiedAt: '2026-04-01T10:00:00+02:00' } });
    const early = await api.call('POST', `${base}/${open.body.id}/restore`, { token: admin, body: { restoredAt: '2026-04-01T09:00:00+02:00' } });
    expect(early.status).toBe(400);
    expect(early.body.details[0].path).toBe('body.restoredAt');
    const badExclusion = await api.call('PATCH', `${base}/${open.body.id}`, { token: admin, body: { exclusion: 'weather' } });
    expect(badExclusion.status).toBe(400);
    const otherWithoutReason = await api.call('PATCH', `${base}/${open.body.id}`, { token: admin, body: { exclusion: 'other' } });
    expect(otherWithoutReason.status).toBe(400);
    const unknown = await api.call('POST', `${base}/01ARZ3NDEKTSV4RRFFQ69G5FAV/restore`, { token: admin });
    expect(unknown.status).toBe(404);

    for (const query of ['', '?year=', '?year=abc', '?year=2026&format=pdf', '?year=1850', '?year=0x7EA', '?year=2.026e3', '?year=%202026', '?year=-2026']) {
      const response = await api.call('GET', `/v1/contracts/${contractId}/sla${query}`, { token: admin });
      expect(response.status, query).toBe(400);
      expect(response.body.details[0].path).toMatch(/^query\./);
    }
  });

  it('changes a fee with a feeChanges entry (400 naming the entry when malformed), leaving months already invoiced alone', async () => {
    const tiered = { ...hostingContract, clientId: 'hebergement-paliers', contractNumber: 'INF-SLA-2' };
    const hostingWith = (feeChanges: unknown) => ({ ...tiered, modules: { hosting: { ...tiered.modules.hosting, feeChanges } } });
    const badMonth = await api.call('POST', '/v1/contracts', { token: admin, body: hostingWith([{ effectiveMonth: '2026-13', monthlyFeeCents: 60_000 }]) });
    expect(badMonth.status).toBe(400);
    expect(badMonth.body.details.map((d: { path: string }) => d.path)).toEqual(['body.modules.hosting.feeChanges.0.effectiveMonth']);

    const created = await api.call('POST', '/v1/contracts', { token: admin, body: tiered });
    expect(created.status).toBe(201);
    expect(created.body.modules.hosting).not.toHaveProperty('feeChanges'); // absent: the fee never changed
    const base = `/v1/contracts/${created.body.id}`;
    // Monday 2 March 2026, 09:00 → 17:00: 360 business minutes, GTR exceeded by 90 min → 10 % of 450 €.
    const march = await api.call('POST', `${base}/interruptions`, { token: admin, body: { notifiedAt: '2026-03-02T09:00:00+01:00' } });
    await api.call('POST', `${base}/interruptions/${march.body.id}/restore`, { token: admin, body: { restoredAt: '2026-03-02T17:00:00+01:00' } });

    const notIncreasing = hostingWith([
      { effectiveMonth: '2026-07', monthlyFeeCents: 60_000 },
      { effectiveMonth: '2026-07', monthlyFeeCents: 65_000 },
    ]);
    const refused = await api.call('PUT', base, { token: admin, body: notIncreasing, headers: { 'if-match': '"1"' } });
    expect(refused.status).toBe(400);
    expect(refused.body.details.map((d: { path: string }) => d.path)).toEqual(['body.modules.hosting.feeChanges.1.effectiveMonth']);

    const fromTheStart = await api.call('PUT', base, {
      token: admin,
      body: hostingWith([{ effectiveMonth: '2026-01', monthlyFeeCents: 60_000 }]), // the contract starts 2026-01-01
      headers: { 'if-match': '"1"' },
    });
    expect(fromTheStart.status).toBe(400);
    expect(fromTheStart.body.details.map((d: { path: string }) => d.path)).toEqual(['body.modules.hosting.feeChanges.0.effectiveMonth']);

    const feeChanges = [{ effectiveMonth: '2026-07', monthlyFeeCents: 60_000 }];
    const updated = await api.call('PUT', base, { token: admin, body: hostingWith(feeChanges), headers: { 'if-match': '"1"' } });
    expect(updated.status).toBe(200);
    expect(updated.body.modules.hosting).toMatchObject({ monthlyFeeCents: 45_000, feeChanges });

    const report = await api.call('GET', `${base}/sla?year=2026`, { token: admin });
    expect(report.status).toBe(200);
    expect(report.body.terms).toMatchObject({ monthlyFeeCents: 45_000, feeChanges });
    expect(report.body.interruptions).toMatchObject([{ id: march.body.id, notifiedMonth: '2026-03', feeCents: 45_000, penaltyCents: 4_500 }]);
    expect(report.body.ims.annualFeeCents).toBe(6 * 45_000 + 6 * 60_000);
    expect(report.body.totals.capCents).toBe(3 * 52_500);
  });

  it('answers 409 for a contract without a hosting module', async () => {
    const backupOnly = await api.call('POST', '/v1/contracts', {
      token: admin,
      body: { ...hostingContract, clientId: 'secours-seul', modules: { proSecours: demoContractInput.modules.proSecours } },
    });
    expect((await api.call('POST', `/v1/contracts/${backupOnly.body.id}/interruptions`, { token: admin, body: {} })).status).toBe(409);
    expect((await api.call('GET', `/v1/contracts/${backupOnly.body.id}/sla?year=2026`, { token: admin })).status).toBe(409);
  });

  it('answers 403 to roles and scopes that may not', async () => {
    const base = `/v1/contracts/${contractId}`;
    expect((await api.call('GET', `${base}/sla?year=2026`, { token: technician })).status).toBe(403);
    expect((await api.call('POST', `${base}/interruptions`, { token: manager, body: {} })).status).toBe(403);
    const open = await api.call('POST', `${base}/interruptions`, { token: technician, body: {} });
    expect(open.status).toBe(201);
    expect((await api.call('PATCH', `${base}/interruptions/${open.body.id}`, { token: technician, body: { planned: true } })).status).toBe(403);

    const outsider = await api.token('manager', 'local-manager'); // scoped to the demo client only
    const outside = await api.call('GET', `${base}/sla?year=2026`, { token: outsider });
    expect(outside.status).toBe(403);
    expect(outside.body.error).toBe('Forbidden');
    // An agent of a client with Pro Secours (the hosting client has none) may read no SLA report.
    const agent = await api.call('POST', `/v1/clients/${api.runtime.demoContract!.clientId}/agents`, { token: admin, body: { host: 'SRV-SLA' } });
    expect(agent.status).toBe(201);
    expect((await api.call('GET', `${base}/sla?year=2026`, { token: agent.body.apiKey })).status).toBe(403);
    expect((await api.call('GET', `${base}/sla?year=2026`)).status).toBe(401);
  });
});
