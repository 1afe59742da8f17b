import { Command, Option } from 'commander';
import { localIssuer } from './issuer';
import { localPaths } from './paths';
import { LOCAL_USERS } from './seed';
import type { StaffRole } from '../../shared/schemas/principal';

/** Prints a JWT of the local issuer, which only `npm start` trusts. */
const program = new Command('npm run --silent token --')
  .description('Prints a staff JWT signed by the local issuer (trusted by local mode only).')
  .addOption(new Option('--role <role>', 'staff role').choices(['admin', 'technician', 'manager']).makeOptionMandatory())
  .option('--user <userId>', 'subject of the token (default: local-<role>, seeded with the demo client scope)')
  .option('--ttl <seconds>', 'lifetime in seconds', (v) => Number.parseInt(v, 10), 12 * 3600)
  .showHelpAfterError();

async function main() {
  const options = program.parse().opts<{ role: StaffRole; user?: string; ttl: number }>();
  if (!Number.isInteger(options.ttl) || options.ttl <= 0) program.error('--ttl must be a positive number of seconds', { exitCode: 2 });
  const issuer = await localIssuer(localPaths().issuerKey);
  process.stdout.write(`${await issuer.sign({ userId: options.user ?? LOCAL_USERS[options.role], role: options.role, ttlSeconds: options.ttl })}\n`);
}

main().catch((error: unknown) => {
  console.error(`token: ${(error as Error).message}`);
  process.exit(1);
});
