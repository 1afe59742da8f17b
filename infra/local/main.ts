import { rm } from 'node:fs/promises';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, oneLine } from '../cli/cli-io';
import { clockOptionsFrom, RuntimeClock, type RuntimeClockOptions } from './clock';
import { acquireInstanceLock, InstanceLockedError } from './instance-lock';
import { watchLaunchers } from './launcher-watch';
import { LOCAL_USERS } from './seed';
import { localPaths } from './paths';
import { assertPortFree, PortInUseError } from './ports';
import type { LocalRuntime } from './runtime';

interface Options {
  port: number;
  fresh: boolean;
  verbose: boolean;
  clock: Pick<RuntimeClockOptions, 'offsetMs' | 'startAt' | 'scale'>;
}

const parsePort = (value: string): number => {
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) throw new InvalidArgumentError('a port number (0-65535)');
  return Number(value);
};

/** Bad usage prints one line on stderr and exits 2, like the other commands; --help exits 0. */
function parseOptions(argv: string[]): Options {
  const program = new Command('npm start --')
    .description('Runs the Vigie backend locally on 127.0.0.1: DynamoDB Local, the versioning S3 server and the HTTP API.')
    .option('--port <port>', 'HTTP API port (or VIGIE_PORT; default 3000)', parsePort)
    .option('--fresh', 'wipe the local data (.vigie-local/data) before starting', false)
    .option('--verbose', "show the handlers' structured logs", false)
    .option('--clock-offset <offset>', 'run the clock ahead or behind: +3d, -2h30m, or the instant it starts at (or VIGIE_CLOCK_OFFSET)')
    .option('--clock-scale <factor>', 'runtime seconds per real second: 60 = a minute a second, 0 = frozen (or VIGIE_CLOCK_SCALE)')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`${oneLine(text)}\n`) });
  try {
    const options = program.parse(argv, { from: 'user' }).opts<Partial<Omit<Options, 'clock'>> & { clockOffset?: string; clockScale?: string }>();
    const fromEnv = process.env['VIGIE_PORT'];
    if (options.port === undefined && fromEnv !== undefined) {
      try {
        options.port = parsePort(fromEnv);
      } catch (error) {
        program.error(`error: VIGIE_PORT '${fromEnv}' is invalid. ${(error as Error).message}`);
      }
    }
    let clock: Options['clock'] = {};
    try {
      clock = clockOptionsFrom({
        offset: options.clockOffset ?? process.env['VIGIE_CLOCK_OFFSET'],
        scale: options.clockScale ?? process.env['VIGIE_CLOCK_SCALE'],
      });
    } catch (error) {
      program.error(`error: ${(error as Error).message}`);
    }
    return { port: options.port ?? 3000, fresh: options.fresh ?? false, verbose: options.verbose ?? false, clock };
  } catch (error) {
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? EXIT_OK : EXIT_USAGE);
    throw error;
  }
}

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const paths = localPaths();
  // The shutdown below must survive a closed terminal or pipe (EPIPE), or it would not stop Java.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

  let starting: Promise<LocalRuntime | undefined> = Promise.resolve(undefined);
  let stopping = false;
  // A stop during start-up waits for the start to settle, so no Java or server process is left behind.
  const shutdown = async (reason: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nvigie: ${reason}, stopping…`);
    const started = await starting.catch(() => undefined);
    await started?.stop();
    console.log('vigie: stopped.');
    process.exit(EXIT_OK);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(`${signal} received`));
  // npm passes SIGTERM to its shell only; whichever process of `npm start` ends, the runtime follows.
  watchLaunchers((gone) => void shutdown(`${gone.name}${gone.pid === undefined ? '' : ` (pid ${gone.pid})`}, its launcher, has exited`));

  // Another instance on the same data or port would fail only after starting Java on the same files: check first.
  const lock = await acquireInstanceLock(paths.dataLock);
  if (lock.reclaimedFrom !== undefined) console.log(`vigie: the previous npm start (pid ${lock.reclaimedFrom}) ended without releasing its lock; taking it over`);
  await assertPortFree(options.port);
  if (options.fresh) {
    await rm(paths.data, { recursive: true, force: true });
    console.log(`vigie: wiped ${paths.data}`);
  }
  // Imported only now (the AWS SDK and the handlers take a while), so a refused start is refused fast.
  const { startLocalRuntime, LOCAL_BUCKETS } = await import('./runtime');
  if (stopping) return;
  console.log('vigie: starting DynamoDB Local, the S3 server and the HTTP API…');
  const clock = new RuntimeClock(options.clock);
  if (!clock.isReal) console.log(`vigie: the runtime's clock reads ${clock.describe()}`);
  const start = startLocalRuntime({
    clock,
    apiPort: options.port,
    logLevel: options.verbose ? 'INFO' : 'WARN',
    log: (line) => console.log(`vigie: ${line}`),
  });
  starting = start;

  const runtime: LocalRuntime = await start;
  const api = runtime.apiUrl;
  const contractId = runtime.demoContract?.id ?? '<id>';
  console.log(`
Vigie is running locally (data in ${paths.data}).

  HTTP API       ${api}          (GET ${api}/health)
  DynamoDB Local ${runtime.dynamoEndpoint}   table ${runtime.tableName}
  S3 (versioned) ${runtime.s3Endpoint}   buckets ${Object.values(LOCAL_BUCKETS).join(', ')}

Demo contract ${contractId} for client ${runtime.demoContract?.clientId ?? '-'}.
Local users: ${Object.values(LOCAL_USERS).join(', ')} (the technician and the manager see the demo client).

Try next:
  TOKEN=$(npm run --silent token -- --role admin)
  curl -s -H "Authorization: Bearer $TOKEN" ${api}/v1/contracts/${contractId}
  curl -s -H "Authorization: Bearer $TOKEN" "${api}/v1/contracts?clientId=${runtime.demoContract?.clientId ?? 'demo'}"
  curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
       -d '{"host":"SRV-COMPTA"}' ${api}/v1/clients/${runtime.demoContract?.clientId ?? 'demo'}/agents
  curl -s -X POST -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \\
       -d '{"description":"Serveur injoignable"}' ${api}/v1/contracts/${contractId}/interruptions
  MANAGER=$(npm run --silent token -- --role manager)
  curl -s -H "Authorization: Bearer $MANAGER" "${api}/v1/contracts/${contractId}/sla?year=${new Date().getFullYear()}&format=csv"
  npm run --silent vigie -- sla deadline --calendar heures-ouvrees --start 2026-03-02T16:00:00+01:00 --minutes 270

Ctrl-C stops everything.`);
}

main().catch((error: unknown) => {
  const paths = localPaths();
  if (error instanceof InstanceLockedError) {
    console.error(`vigie: another npm start (pid ${error.pid}) is using ${paths.data}: stop it, or give this one another VIGIE_HOME`);
  } else if (error instanceof PortInUseError) {
    console.error(`vigie: port ${error.port} on ${error.host} is in use: stop what listens there, or choose another with --port or VIGIE_PORT`);
  } else {
    console.error(`vigie: failed to start: ${(error as Error).message}`);
  }
  process.exit(EXIT_FAILURE);
});
