import { rm } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';
import { LOCAL_USERS } from './seed';
import { localPaths } from './paths';
import { startLocalRuntime, LOCAL_BUCKETS, type LocalRuntime } from './runtime';

const parsePort = (value: string): number => {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new InvalidArgumentError('a port number (0-65535)');
  return port;
};

const program = new Command('npm start --')
  .description('Runs the Vigie backend locally on 127.0.0.1: DynamoDB Local, the versioning S3 server and the HTTP API.')
  .option('--port <port>', 'HTTP API port (or VIGIE_PORT)', parsePort, parsePort(process.env['VIGIE_PORT'] ?? '3000'))
  .option('--fresh', 'wipe the local data (.vigie-local/data) before starting', false)
  .option('--verbose', "show the handlers' structured logs", false)
  .showHelpAfterError();

async function main() {
  const options = program.parse().opts<{ port: number; fresh: boolean; verbose: boolean }>();
  const paths = localPaths();
  if (options.fresh) {
    await rm(paths.data, { recursive: true, force: true });
    console.log(`vigie: wiped ${paths.data}`);
  }
  console.log('vigie: starting DynamoDB Local, the S3 server and the HTTP API…');
  const starting = startLocalRuntime({
    apiPort: options.port,
    logLevel: options.verbose ? 'INFO' : 'WARN',
    log: (line) => console.log(`vigie: ${line}`),
  });
  let stopping = false;
  // A Ctrl-C during start-up waits for the start to settle, so no Java or server process is left behind.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nvigie: ${signal} received, stopping…`);
    const started = await starting.catch(() => undefined);
    await started?.stop();
    console.log('vigie: stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const runtime: LocalRuntime = await starting;
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
  console.error(`vigie: failed to start: ${(error as Error).message}`);
  process.exit(1);
});
