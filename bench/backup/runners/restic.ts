// restic 0.14 (Debian), default settings: repository format 2 with compression `auto` (zstd), content-defined
// chunks of 1 MiB on average, AES-256-CTR + Poly1305. Through its S3 backend against the project's S3 server, or
// on a local repository.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { S3Server } from '../../../infra/local/s3';
import { capture, runMeasured, type Measured } from '../measure';
import { LOCAL_CREDENTIALS, startBenchS3, storedVersionBytes, type RequestMeter } from '../s3';
import { versionOf } from '../tools';
import { treeBytes, type BackupRunner, type RunnerContext } from './runner';

const BUCKET = 'vigie-backup';
const PREFIX = 'restic';
/** restic records the host in each snapshot and picks the parent snapshot by host and paths: one fixed name. */
const HOST = 'vigie-bench';

export class ResticRunner implements BackupRunner {
  readonly tool;
  readonly byteMethod;
  private server?: S3Server;
  private repository = '';
  private readonly repositoryDir: string;
  private readonly env: NodeJS.ProcessEnv;
  private repositoryVersion = 'unknown';

  constructor(
    private readonly backend: 's3' | 'local',
    private readonly context: RunnerContext,
    private readonly meter: RequestMeter,
  ) {
    this.tool = backend === 's3' ? ('restic-s3' as const) : ('restic-local' as const);
    this.byteMethod =
      backend === 's3'
        ? 'uploaded: request bodies received by the S3 server (PUT/POST); stored: every object version in the bucket'
        : 'uploaded: growth of the repository folder; stored: its size at the end';
    this.repositoryDir = join(context.workDir, 'repository');
    const passwordFile = join(context.workDir, 'password');
    mkdirSync(context.workDir, { recursive: true });
    writeFileSync(passwordFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    this.env = {
      ...context.env,
      RESTIC_PASSWORD_FILE: passwordFile,
      RESTIC_CACHE_DIR: join(context.workDir, 'cache'),
      ...(backend === 's3' ? { AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey } : {}),
    };
  }

  async unavailable(): Promise<string | undefined> {
    return spawnSync('restic', ['version'], { stdio: 'ignore' }).status === 0 ? undefined : 'restic is not installed';
  }

  async setUp(): Promise<void> {
    if (this.backend === 's3') {
      this.server = await startBenchS3(join(this.context.workDir, 's3'), BUCKET);
      this.meter.watch(this.server.port);
      this.repository = `s3:${this.server.endpoint}/${BUCKET}/${PREFIX}`;
    } else {
      this.repository = this.repositoryDir;
    }
  }

  private run(args: string[]): Promise<Measured> {
    return runMeasured(['restic', '--repo', this.repository, ...args], { env: this.env, logFile: this.context.logFile });
  }

  async init(): Promise<Measured> {
    const measured = await this.run(['init']);
    const config = await capture(['restic', '--repo', this.repository, 'cat', 'config'], this.env);
    if (config.status === 0) this.repositoryVersion = String((JSON.parse(config.stdout) as { version?: number }).version ?? 'unknown');
    return measured;
  }

  backup(): Promise<Measured> {
    return this.run(['backup', '--host', HOST, this.context.source]);
  }

  async restore(target: string): Promise<Measured & { restoredRoot: string }> {
    const measured = await this.run(['restore', 'latest', '--host', HOST, '--target', target]);
    // restic restores a snapshot's absolute paths under the target.
    return { ...measured, restoredRoot: join(target, this.context.source) };
  }

  async uploadedBytes(): Promise<number> {
    if (this.server) return this.meter.figures(this.server.port).bodyBytes;
    return existsSync(this.repositoryDir) ? treeBytes(this.repositoryDir) : 0;
  }

  async storedBytes(): Promise<number> {
    return this.server ? (await storedVersionBytes(this.server.endpoint, BUCKET, `${PREFIX}/`)).bytes : treeBytes(this.repositoryDir);
  }

  settings(): Record<string, string> {
    return {
      version: versionOf('restic', ['version']),
      repository: this.backend === 's3' ? `s3 backend, the project's S3 server (versioned bucket ${BUCKET}, prefix ${PREFIX}/)` : 'local folder',
      'repository format': this.repositoryVersion,
      compression: 'auto (the default; zstd)',
      chunking: 'Rabin CDC, 512 KiB–8 MiB, 1 MiB average (fixed in restic)',
    };
  }

  async tearDown(): Promise<void> {
    await this.server?.close();
  }
}
