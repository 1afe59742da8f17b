import type { Container } from '../../shared/adapters/container';
import { createContract } from '../../shared/domain/contracts/contract-service';
import type { Contract, ContractInput } from '../../shared/schemas/contract';

export const DEMO_CLIENT_ID = 'demo-cabinet-durand';
export const LOCAL_USERS = { admin: 'local-admin', technician: 'local-technician', manager: 'local-manager' } as const;

export const demoContractInput: ContractInput = {
  clientId: DEMO_CLIENT_ID,
  clientName: 'Cabinet Durand Expertise Comptable',
  clientNumber: 'C-004217',
  contractNumber: 'INF-2026-0042',
  startDate: '2026-01-01',
  firmTermMonths: 36,
  calendarRegion: 'national',
  calendars: [],
  modules: {
    proSecours: {
      active: true,
      folders: ['C:/isa_sauvegarde_dossier', 'D:/isagiwf/backup', 'D:/Bureautique'],
      subscribedGb: 200,
      retention: { dailyVersions: 7, weeklyVersions: 2 },
    },
    proControle: { active: true, serviceCalendar: 'service', gtiMinutes: 120 },
    hosting: { active: true, gtrMinutes: 270, imsHours: 30, monthlyFeeCents: 45_000 },
  },
  contacts: {
    iah: { email: 'iah@infogerance.example.fr' },
    noc: { email: 'noc@infogerance.example.fr', phone: '03 44 06 41 14' },
    responsableInfogerance: { name: 'Claire Martin', email: 'claire.martin@infogerance.example.fr', mobile: '+33 6 12 34 56 78' },
    directeurDesServices: { name: 'Paul Lefèvre', email: 'paul.lefevre@infogerance.example.fr' },
    clientMain: { civility: 'Mme', name: 'Sophie Durand', email: 'sophie.durand@cabinet-durand.example.fr', mobile: '+33 6 98 76 54 32' },
  },
  alerting: {
    inboundAddress: 'demo-cabinet-durand@alertes.vigie.local',
    knownSenders: ['supervision@cabinet-durand.example.fr'],
  },
};

/** Seeds the demo contract and the local technician's and manager's scopes; safe to run at every start. */
export async function seedDemo(deps: Container): Promise<Contract> {
  const existing = await deps.contracts.listByClient(DEMO_CLIENT_ID, { limit: 1 });
  const contract = existing.items[0] ?? (await createContract(deps, demoContractInput, 'local-seed'));
  for (const userId of [LOCAL_USERS.technician, LOCAL_USERS.manager]) {
    if (!(await deps.staff.getScope(userId))) {
      await deps.staff.putScope({ userId, clientIds: [DEMO_CLIENT_ID], updatedAt: deps.clock.now().toISOString(), updatedBy: 'local-seed' });
    }
  }
  return contract;
}
