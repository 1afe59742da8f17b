import { pathToFileURL } from 'node:url';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UserIdSchema } from '../../shared/schemas/common';
import type { StaffRole } from '../../shared/schemas/principal';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, oneLine, processIo, type CliIo } from '../cli/cli-io';
import { localIssuer } from './issuer';
import { localPaths } from './paths';
import { LOCAL_USERS } from './seed';

export const DEFAULT_TTL_SECONDS = 12 * 3600;
export const MAX_TTL_SECONDS = 7 * 24 * 3600;

/** Digits only: `1.5`, `1e3`, `-1` and `0x10` are refused rather than read as something else. */
function parseTtl(value: string): number {
  const seconds = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(seconds >= 1 && seconds <= MAX_TTL_SECONDS)) throw new InvalidArgumentError(`a whole number of seconds from 1 to ${MAX_TTL_SECONDS} (7 days)`);
  return seconds;
}

/** The same rule as every user id the API accepts. */
function parseUserId(value: string): string {
  const parsed = UserIdSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'a user id');
  return parsed.data;
}

/** Usage errors are one line through `io` and throw instead of exiting, so runToken picks the exit code. */
function tokenProgram(io: CliIo): Command {
  return new Command('npm run --silent token --')
    .description('Prints a staff JWT signed by the local issuer (trusted by local mode only).')
    .addOption(new Option('--role <role>', 'staff role').choices(['admin', 'technician', 'manager']).makeOptionMandatory())
    .option('--user <userId>', 'subject of the token (default: local-<role>, seeded with the demo client scope)', parseUserId)
    .option('--ttl <seconds>', `lifetime in seconds, at most ${MAX_TTL_SECONDS} (7 days)`, parseTtl, DEFAULT_TTL_SECONDS)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(oneLine(text)),
      outputError: (text, write) => write(oneLine(text)),
    });
}

/** Prints a JWT of the local issuer, which only `npm start` trusts: 0 when printed, 2 for bad usage, 1 otherwise. */
export async function runToken(argv: readonly string[], io: CliIo = processIo, home?: string): Promise<number> {
  let options: { role: StaffRole; user?: string; ttl: number };
  try {
    options = tokenProgram(io).parse([...argv], { from: 'user' }).opts();
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    throw error;
  }
  try {
    const issuer = await localIssuer(localPaths(home).issuerKey);
    io.out(await issuer.sign({ userId: options.user ?? LOCAL_USERS[options.role], role: options.role, ttlSeconds: options.ttl }));
    return EXIT_OK;
  } catch (error) {
    io.err(oneLine(`error: ${error instanceof Error ? error.message : String(error)}`));
    return EXIT_FAILURE;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runToken(process.argv.slice(2));
}
