import { z } from 'zod';

/**
 * Deployment configuration, read from CDK context (`cdk.json` or `-c key=value`) and validated once:
 * a bad value stops the synth with a message naming the context key, never a half-built template.
 */

/** The CDK context key of each setting. */
export const CONTEXT_KEYS = {
  region: 'vigie:region',
  mailDomain: 'vigie:mailDomain',
  senderAddress: 'vigie:senderAddress',
  publicApiDomain: 'vigie:publicApiDomain',
} as const;

/** SES receives mail only in a few regions; eu-west-1 (Ireland) is one and keeps the data in the EU. */
export const DEFAULT_REGION = 'eu-west-1';

const DOMAIN_NAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

const domainName = (what: string) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .toLowerCase()
    .regex(DOMAIN_NAME, { error: `${what} must be a fully qualified domain name such as example.fr (no scheme, no path)` });

export const VigieConfigSchema = z
  .object({
    region: z
      .string()
      .trim()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { error: 'region must be an AWS region code such as eu-west-1' })
      .default(DEFAULT_REGION),
    /** The domain SES receives alert mail for and sends notifications from (a verified SES identity). */
    mailDomain: domainName('mailDomain'),
    /** The From address of notification mails. */
    senderAddress: z.email({ error: 'senderAddress must be a mail address such as vigie@alertes.example.fr' }).trim().toLowerCase(),
    /** The public host name of the API, used to build the signed links in mails. */
    publicApiDomain: domainName('publicApiDomain'),
  })
  .superRefine((config, ctx) => {
    const senderDomain = config.senderAddress.split('@')[1] ?? '';
    const belongs = senderDomain === config.mailDomain || senderDomain.endsWith(`.${config.mailDomain}`);
    if (!belongs) {
      ctx.addIssue({
        code: 'custom',
        path: ['senderAddress'],
        message: `senderAddress must belong to mailDomain ${config.mailDomain}, the identity SES verifies for sending`,
      });
    }
  });

export type VigieConfig = z.infer<typeof VigieConfigSchema>;

export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

/**
 * Parses the configuration from a context reader (`(key) => app.node.tryGetContext(key)`).
 * Throws an {@link InvalidConfigError} listing every bad key and how to set it.
 */
export function loadConfig(readContext: (key: string) => unknown): VigieConfig {
  const raw = Object.fromEntries(
    Object.entries(CONTEXT_KEYS).map(([field, key]) => {
      const value = readContext(key);
      // `-c key=` gives an empty string: treat it as missing so defaults apply and messages say "required".
      return [field, value === '' || value === null ? undefined : value];
    }),
  );
  const parsed = VigieConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = String(issue.path[0] ?? '');
      const key = field in CONTEXT_KEYS ? CONTEXT_KEYS[field as keyof typeof CONTEXT_KEYS] : field;
      return `  - ${key}: ${issue.message}`;
    });
    throw new InvalidConfigError(
      `Invalid CDK context:\n${problems.join('\n')}\n` +
        'Set each key in cdk.json ("context") or on the command line, e.g. `npx cdk deploy --all -c vigie:mailDomain=alertes.example.fr`.',
    );
  }
  return parsed.data;
}
