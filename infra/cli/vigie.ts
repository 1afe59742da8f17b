import { Command, CommanderError } from 'commander';
import { pathToFileURL } from 'node:url';
import { CalendarDomainError } from '../../shared/domain/calendar';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, oneLine, processIo, type CliIo } from './cli-io';
import { slaCommand } from './sla-command';

/** The operators' CLI. Each command group lives in its own module and is added here. */
export function buildProgram(io: CliIo): Command {
  const program = new Command('vigie')
    .description('Vigie operators\' tools')
    .showHelpAfterError(false)
    .addCommand(slaCommand(io));

  // Every command reports usage errors through `io` as one line and throws instead of exiting,
  // so runVigie decides the exit code (2 for bad input) in one place.
  const configure = (command: Command): void => {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.out(text.replace(/\n$/, '')),
      writeErr: (text) => io.err(oneLine(text)),
      outputError: (text, write) => write(oneLine(text)),
    });
    command.commands.forEach(configure);
  };
  configure(program);
  requireSubcommand(program);
  return program;
}

/**
 * A group invoked without a subcommand would print its whole help on stderr; scripts get
 * one line instead, and `--help` still shows the help on stdout.
 */
function requireSubcommand(command: Command): void {
  if (command.commands.length === 0) return;
  command
    .helpCommand(true)
    .allowExcessArguments(true)
    .action(() => {
      const [unknown] = command.args;
      const problem = unknown === undefined ? 'missing command' : `unknown command '${unknown}'`;
      command.error(`error: ${problem}, see '${commandPath(command)} --help'`);
    });
  command.commands.forEach(requireSubcommand);
}

function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

export async function runVigie(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end the same way (CommanderError) but are not failures.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof CalendarDomainError) {
      io.err(oneLine(`error: ${error.message}`));
      return EXIT_USAGE;
    }
    io.err(oneLine(`error: ${error instanceof Error ? error.message : String(error)}`));
    return EXIT_FAILURE;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runVigie(process.argv.slice(2));
}
