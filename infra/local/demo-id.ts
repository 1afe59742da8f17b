import { pathToFileURL } from 'node:url';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, oneLine, processIo, type CliIo } from '../cli/cli-io';
import { localIssuer } from './issuer';
import { localPaths } from './paths';
import { DEMO_CLIENT_ID, LOCAL_USERS } from './seed';

const HELP = `Usage: npm run --silent demo-id

Prints the id of the demo contract of the running \`npm start\` (asked of its API on 127.0.0.1:$VIGIE_PORT, 3000 by
default), so the README's commands run as they are: CONTRACT=$(npm run --silent demo-id)`;

/** Asks the running local API for the demo contract's id: 0 when printed, 1 when the API does not answer it, 2 for bad usage. */
export async function runDemoId(argv: readonly string[], io: CliIo = processIo, env: Record<string, string | undefined> = process.env, home?: string): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (argv.length > 0) {
    io.err(oneLine(`error: unexpected argument ${argv[0]} (see --help)`));
    return EXIT_USAGE;
  }
  const port = env['VIGIE_PORT'] ?? '3000';
  if (!/^\d{1,5}$/.test(port)) {
    io.err(`error: VIGIE_PORT must be a port number, not ${JSON.stringify(port)}`);
    return EXIT_USAGE;
  }
  const api = `http://127.0.0.1:${port}`;
  try {
    const token = await (await localIssuer(localPaths(home).issuerKey)).sign({ userId: LOCAL_USERS.admin, role: 'admin', ttlSeconds: 60 });
    const response = await fetch(`${api}/v1/contracts?clientId=${DEMO_CLIENT_ID}&limit=1`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await response.json()) as { items?: Array<{ id: string }> };
    const id = body.items?.[0]?.id;
    if (!response.ok || id === undefined) throw new Error(`the API at ${api} has no demo contract (HTTP ${response.status})`);
    io.out(id);
    return EXIT_OK;
  } catch (error) {
    const reason = error instanceof TypeError ? `nothing answers at ${api}: is npm start running (on VIGIE_PORT)?` : (error as Error).message;
    io.err(oneLine(`error: ${reason}`));
    return EXIT_FAILURE;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runDemoId(process.argv.slice(2));
}
