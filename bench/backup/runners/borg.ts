// BorgBackup (Debian's 1.2), defaults: lz4 compression, buzhash chunker (2 MiB average), on a local repository
// made with `borg init -e repokey` (AES-256-CTR + HMAC-SHA256, key in the repository).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runMeasured, type Measured } from '../measure';
import { versionOf } from '../tools';
import { treeBytes, type BackupRunner, type RunnerContext } from './runner';

export class BorgRunner implements BackupRunner {
  readonly tool = 'borg' as const;
  readonly byteMethod = 'uploaded: growth of the repository folder; stored: its size at the end';
  private readonly repository: string;
  private readonly env: NodeJS.ProcessEnv;
  private latest = '';

  constructor(private readonly context: RunnerContext) {
    this.repository = join(context.workDir, 'repository');
    const passphraseFile = join(context.workDir, 'passphrase');
    mkdirSync(context.workDir, { recursive: true });
    writeFileSync(passphraseFile, randomBytes(24).toString('base64url'), { mode: 0o600 });
    this.env = {
      ...context.env,
      BORG_REPO: this.repository,
      BORG_PASSCOMMAND: `cat '${passphraseFile}'`,
      // Cache, keys and security folders of this run only.
      BORG_BASE_DIR: join(context.workDir, 'home'),
      BORG_DISPLAY_PASSPHRASE: 'no',
      BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
    };
  }

  async unavailable(): Promise<string | undefined> {
    return spawnSync('borg', ['--version'], { stdio: 'ignore' }).status === 0 ? undefined : 'borg is not installed';
  }

  async setUp(): Promise<void> {}

  init(): Promise<Measured> {
    return runMeasured(['borg', 'init', '--encryption', 'repokey'], { env: this.env, logFile: this.context.logFile });
  }

  backup(name: string): Promise<Measured> {
    this.latest = name;
    return runMeasured(['borg', 'create', `::${name}`, this.context.source], { env: this.env, logFile: this.context.logFile });
  }

  async restore(target: string): Promise<Measured & { restoredRoot: string }> {
    // borg extracts into the current folder, the archive's paths without their leading slash.
    const measured = await runMeasured(['borg', 'extract', `::${this.latest}`], { env: this.env, cwd: target, logFile: this.context.logFile });
    return { ...measured, restoredRoot: join(target, this.context.source.replace(/^\/+/, '')) };
  }

  async uploadedBytes(): Promise<number> {
    return existsSync(this.repository) ? treeBytes(this.repository) : 0;
  }

  async storedBytes(): Promise<number> {
    return treeBytes(this.repository);
  }

  settings(): Record<string, string> {
    return {
      version: versionOf('borg'),
      repository: 'local folder',
      encryption: 'repokey',
      compression: 'lz4 (the default of borg 1.x)',
      chunking: 'buzhash, 512 KiB–8 MiB, 2 MiB average (default chunker-params 19,23,21,4095)',
    };
  }

  async tearDown(): Promise<void> {}
}
