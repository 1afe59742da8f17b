// vigie-agent against the local runtime, through the CLI contract of issue 7: `npx vigie-agent init
// --passphrase-file FILE`, `backup PATH…`, `restore --latest --target DIR`, configured by VIGIE_API and
// VIGIE_AGENT_KEY. Until the agent has those commands, `unavailable` says so and the report shows it as missing.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalRuntime } from '../../../infra/local/runtime';
import { runMeasured, type Measured } from '../measure';
import { portOf, storedVersionBytes, type RequestMeter } from '../s3';
import type { BackupRunner, RunnerContext } from './runner';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COMMANDS = ['init', 'backup', 'restore'] as const;
const BACKUP_BUCKET = 'vigie-backup';

/** The agent's host name: this machine's, when the API's host rule accepts it. */
function agentHost(): string {
  const name = hostname().split('.')[0] ?? '';
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name) ? name : 'vigie-bench';
}

export class VigieRunner implements BackupRunner {
  readonly tool = 'vigie' as const;
  readonly byteMethod = 'uploaded: request bodies received by the runtime\'s S3 server (presigned PUTs and any other PUT/POST); stored: every object version in the backup bucket';
  private runtime?: LocalRuntime;
  private env: NodeJS.ProcessEnv = {};
  private readonly passphraseFile: string;
  private version = 'unknown';

  constructor(
    private readonly context: RunnerContext,
    private readonly meter: RequestMeter,
  ) {
    this.passphraseFile = join(context.workDir, 'passphrase');
  }

  async unavailable(): Promise<string | undefined> {
    const help = spawnSync('npx', ['--no-install', 'vigie-agent', '--help'], { cwd: REPO_ROOT, env: this.context.env, encoding: 'utf8', timeout: 120_000 });
    if (help.error) return `npx vigie-agent --help could not run: ${help.error.message}`;
    if (help.status !== 0) return `npx vigie-agent --help exited with ${help.status}: ${(help.stderr || help.stdout).trim().split('\n').slice(-2).join(' ')}`;
    const missing = COMMANDS.filter((command) => !new RegExp(`^\\s+${command}\\b`, 'm').test(help.stdout));
    if (missing.length > 0) return `npx vigie-agent --help lists no ${missing.join(', ')} command yet`;
    const version = spawnSync('npx', ['--no-install', 'vigie-agent', '--version'], { cwd: REPO_ROOT, env: this.context.env, encoding: 'utf8', timeout: 120_000 });
    if (version.status === 0) this.version = version.stdout.trim();
    return undefined;
  }

  async setUp(): Promise<void> {
    mkdirSync(this.context.workDir, { recursive: true });
    // Loaded only when the agent can run: the runtime starts DynamoDB Local (Java) and sets this process's environment.
    const { startLocalRuntime } = await import('../../../infra/local/runtime');
    this.runtime = await startLocalRuntime({ home: join(this.context.workDir, 'runtime'), apiPort: 0, inMemory: true, logLevel: 'SILENT' });
    this.meter.watch(portOf(this.runtime.s3Endpoint));

    const clientId = this.runtime.demoContract?.clientId ?? 'demo-cabinet-durand';
    const token = await this.runtime.issuer.sign({ userId: 'local-admin', role: 'admin' });
    const response = await fetch(`${this.runtime.apiUrl}/v1/clients/${clientId}/agents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ host: agentHost() }),
    });
    const body = (await response.json()) as { apiKey?: string; message?: string };
    if (response.status !== 201 || !body.apiKey) throw new Error(`registering the agent failed: ${response.status} ${body.message ?? JSON.stringify(body)}`);

    writeFileSync(this.passphraseFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    const home = join(this.context.workDir, 'home');
    this.env = {
      ...this.context.env,
      VIGIE_API: this.runtime.apiUrl,
      VIGIE_AGENT_KEY: body.apiKey,
      // The agent's key file and index cache go under a home of this run: each run starts as a new host.
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_STATE_HOME: join(home, '.local', 'state'),
      npm_config_cache: this.context.env['npm_config_cache'] ?? join(homedir(), '.npm'),
      npm_config_update_notifier: 'false',
    };
  }

  private agent(args: string[], cwd = REPO_ROOT): Promise<Measured> {
    return runMeasured(['npx', '--no-install', 'vigie-agent', ...args], { env: this.env, cwd, logFile: this.context.logFile });
  }

  init(): Promise<Measured> {
    return this.agent(['init', '--passphrase-file', this.passphraseFile]);
  }

  backup(): Promise<Measured> {
    return this.agent(['backup', this.context.source]);
  }

  async restore(target: string): Promise<Measured & { restoredRoot: string }> {
    const measured = await this.agent(['restore', '--latest', '--target', target]);
    // Paths are stored in one portable form; like restic, the agent is expected to restore them whole under the target.
    return { ...measured, restoredRoot: join(target, this.context.source) };
  }

  async uploadedBytes(): Promise<number> {
    return this.runtime ? this.meter.figures(portOf(this.runtime.s3Endpoint)).bodyBytes : 0;
  }

  async storedBytes(): Promise<number> {
    if (!this.runtime) return 0;
    return (await storedVersionBytes(this.runtime.s3Endpoint, BACKUP_BUCKET)).bytes;
  }

  settings(): Record<string, string> {
    return { version: this.version, repository: `the runtime's versioned bucket ${BACKUP_BUCKET}, through presigned URLs` };
  }

  async tearDown(): Promise<void> {
    await this.runtime?.stop();
  }
}
