import { Command } from 'commander';

/** The vigie-agent command line: it parses and prints; the work is the engine's (src/engine). */
const program = new Command('vigie-agent')
  .description('Vigie backup agent: encrypted, deduplicated backups of this server to the provider, and restores.')
  .showHelpAfterError();

program.parseAsync().catch((error: unknown) => {
  console.error(`vigie-agent: ${(error as Error).message}`);
  process.exit(1);
});
