import { z } from 'zod';
import { BUILT_IN_CALENDAR_NAMES, CalendarDefinitionSchema, CalendarNameSchema } from '../domain/calendar/definitions';
import { HolidayRegionSchema } from '../domain/calendar/regions';
import { DEFAULT_GTR_MINUTES, DEFAULT_IMS_HOURS, feeChangesSchema } from '../domain/sla/schemas';
import { ClientIdSchema, EmailSchema, IsoDateSchema, IsoInstantSchema, UlidSchema } from './common';
import { singleLine } from './text';

/** Public holidays: national, or Alsace-Moselle's (Good Friday, 26 December). */
export const CalendarRegionSchema = HolidayRegionSchema;
export type CalendarRegion = z.infer<typeof CalendarRegionSchema>;

const PhoneSchema = z.string().regex(/^\+?[0-9][0-9 .()-]{5,19}$/, 'a phone number');

/** A person the provider or the client names in the contract's "Interlocuteurs" annex. */
export const PersonContactSchema = z.strictObject({
  civility: z.enum(['M.', 'Mme']).optional(),
  name: singleLine(200),
  email: EmailSchema,
  mobile: PhoneSchema.optional(),
});

/** A team mailbox of the provider (IAH, NOC). */
export const TeamContactSchema = z.strictObject({
  email: EmailSchema,
  phone: PhoneSchema.optional(),
});

export const ContactsSchema = z.strictObject({
  iah: TeamContactSchema,
  noc: TeamContactSchema,
  responsableInfogerance: PersonContactSchema,
  directeurDesServices: PersonContactSchema,
  clientMain: PersonContactSchema,
  clientDeputy: PersonContactSchema.optional(),
});

/** Pro Secours (003): backup externalisation of the folders in Annexe 1, within the subscribed volume. */
export const ProSecoursModuleSchema = z.strictObject({
  active: z.boolean(),
  // Bounded so a contract always fits a DynamoDB item (400 KB) with room to spare.
  folders: z.array(singleLine(1024)).min(1).max(50),
  /** Subscribed volume in GB of 10^9 bytes (Annexe 1 "Volume souscrit"). */
  subscribedGb: z.number().int().positive().max(1_000_000),
  /**
   * IV.2.3: one version a day for the last 7 days and one a week for the 2 weeks before. The backup bucket's
   * lifecycle rules enforce exactly this for every client, so it is the only retention a contract may state until
   * per-contract retention exists.
   */
  retention: z
    .strictObject({
      dailyVersions: z.literal(7, { error: `7: the bucket's lifecycle rules keep 7 daily versions for every client` }),
      weeklyVersions: z.literal(2, { error: `2: the bucket's lifecycle rules keep 2 weekly versions for every client` }),
    })
    .default({ dailyVersions: 7, weeklyVersions: 2 }),
});

/** Pro Contrôle (000): monitoring inside the service window, GTI 2 h. */
export const ProControleModuleSchema = z.strictObject({
  active: z.boolean(),
  /** The calendar of the service window (000 VI.1.a: 07:00–22:00 on working days): built in, or one of `calendars`. */
  serviceCalendar: CalendarNameSchema.default('service'),
  gtiMinutes: z.number().int().positive().max(10_080).default(120),
});

const MAX_MONTHLY_FEE_CENTS = 100_000_000;

/** Hosting (001 modules K and L): GTR, IMS and the monthly fees penalties are taken from. */
export const HostingModuleSchema = z.strictObject({
  active: z.boolean(),
  gtrMinutes: z.number().int().positive().max(100_000).default(DEFAULT_GTR_MINUTES),
  /** Hours a year; a quarter of an hour at least (a tinier allowance is a typo, and DynamoDB cannot store 5e-324). */
  imsHours: z.number().min(0.25).max(8_760).default(DEFAULT_IMS_HOURS),
  /** Monthly hosting fee excluding tax from the contract start, in euro cents (integers keep penalty arithmetic exact). */
  monthlyFeeCents: z.number().int().min(0).max(MAX_MONTHLY_FEE_CENTS),
  /**
   * Later fees, oldest first, each from its month ("YYYY-MM") on; absent, the fee never changed.
   * Change a fee by adding an entry: editing `monthlyFeeCents` would reprice months already
   * invoiced. Not defaulted to [] on parse, so a contract reads back exactly as it was written
   * (contracts stored before fee changes existed included).
   */
  feeChanges: feeChangesSchema(MAX_MONTHLY_FEE_CENTS).optional(),
});

export const ModulesSchema = z
  .strictObject({
    proSecours: ProSecoursModuleSchema.optional(),
    proControle: ProControleModuleSchema.optional(),
    hosting: HostingModuleSchema.optional(),
  })
  .refine((m) => m.proSecours !== undefined || m.proControle !== undefined || m.hosting !== undefined, {
    message: 'a contract has at least one service module',
  });

export const AlertingSchema = z.strictObject({
  /** The client's own inbound address: the envelope recipient maps a mail to the client. */
  inboundAddress: EmailSchema,
  /** Known sender addresses, the fallback when the recipient is not the client's. */
  knownSenders: z.array(EmailSchema).max(100).default([]),
});

const ContractFieldsSchema = z.strictObject({
  clientId: ClientIdSchema,
  clientName: singleLine(200),
  clientNumber: singleLine(50),
  contractNumber: singleLine(50),
  startDate: IsoDateSchema,
  /** Last day under contract, included; absent while the contract runs on. */
  endDate: IsoDateSchema.optional(),
  /** Firm term in months (001: 3 years). */
  firmTermMonths: z.number().int().min(1).max(120).default(36),
  calendarRegion: CalendarRegionSchema.default('national'),
  /** The contract's own calendars, of the same shape as the built-in ones, for windows agreed otherwise. */
  calendars: z.array(CalendarDefinitionSchema).max(10).default([]),
  modules: ModulesSchema,
  contacts: ContactsSchema,
  alerting: AlertingSchema,
});

const endsOnOrAfterStart = (c: { startDate: string; endDate?: string | undefined }) =>
  c.endDate === undefined || c.endDate >= c.startDate;
const endAfterStartIssue = { message: 'endDate must not be before startDate', path: ['endDate'] };

type CalendarFields = Pick<z.infer<typeof ContractFieldsSchema>, 'calendars' | 'modules'>;

/** Own calendars must not shadow built-in ones or each other, and modules may only name calendars that exist. */
function checkCalendars(contract: CalendarFields, context: z.RefinementCtx): void {
  const builtIn = new Set<string>(BUILT_IN_CALENDAR_NAMES);
  const own = new Set<string>();
  contract.calendars.forEach((calendar, index) => {
    if (builtIn.has(calendar.name) || own.has(calendar.name)) {
      context.addIssue({ code: 'custom', path: ['calendars', index, 'name'], message: `calendar name ${calendar.name} is already taken` });
    }
    own.add(calendar.name);
  });
  const service = contract.modules.proControle?.serviceCalendar;
  if (service !== undefined && !builtIn.has(service) && !own.has(service)) {
    context.addIssue({
      code: 'custom',
      path: ['modules', 'proControle', 'serviceCalendar'],
      message: `unknown calendar ${service}: use ${BUILT_IN_CALENDAR_NAMES.join(', ')} or one of calendars`,
    });
  }
}

/** A fee change takes effect after the contract's first month: the first month's fee is `monthlyFeeCents`. */
function checkFeeChanges(contract: Pick<z.infer<typeof ContractFieldsSchema>, 'startDate' | 'modules'>, context: z.RefinementCtx): void {
  const firstMonth = contract.startDate.slice(0, 7);
  contract.modules.hosting?.feeChanges?.forEach((change, index) => {
    if (change.effectiveMonth <= firstMonth) {
      context.addIssue({
        code: 'custom',
        path: ['modules', 'hosting', 'feeChanges', index, 'effectiveMonth'],
        message: `must come after the contract's first month (${firstMonth}); set monthlyFeeCents for the fee from the start`,
      });
    }
  });
}

/** Body of `POST /v1/contracts`. */
export const ContractInputSchema = ContractFieldsSchema.refine(endsOnOrAfterStart, endAfterStartIssue)
  .superRefine(checkCalendars)
  .superRefine(checkFeeChanges);
export type ContractInput = z.infer<typeof ContractInputSchema>;

/** Body of `PUT /v1/contracts/{id}`: the whole contract again; the client cannot change. */
export const ContractReplaceSchema = ContractInputSchema;

/** A contract as stored: who created it and who last changed it (its fees and guarantees move money), and when. */
export const ContractSchema = ContractFieldsSchema.extend({
  id: UlidSchema,
  version: z.number().int().positive(),
  createdAt: IsoInstantSchema,
  createdBy: z.string(),
  updatedAt: IsoInstantSchema,
  updatedBy: z.string(),
});
export type Contract = z.infer<typeof ContractSchema>;

export const ContractPageSchema = z.object({
  items: z.array(ContractSchema),
  nextToken: z.string().optional(),
});
