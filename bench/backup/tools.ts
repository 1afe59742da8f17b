// The reference tools come from Debian: installed with apt-get when missing (and said so), versions recorded.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { GNU_TIME } from './measure';

interface Requirement {
  /** How to tell it is there. */
  command: string;
  debianPackage: string;
}

const REQUIREMENTS: Record<string, Requirement> = {
  time: { command: GNU_TIME, debianPackage: 'time' },
  restic: { command: 'restic', debianPackage: 'restic' },
  borg: { command: 'borg', debianPackage: 'borgbackup' },
  zstd: { command: 'zstd', debianPackage: 'zstd' },
};
export type Requirable = keyof typeof REQUIREMENTS;

function present(command: string): boolean {
  if (command.startsWith('/')) return existsSync(command);
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs the missing ones with apt-get (root only). Returns what is still missing, with why, so that callers
 * can skip or fail with a clear message.
 */
export function ensureTools(needed: Requirable[], log: (line: string) => void): Map<Requirable, string> {
  const missing = needed.filter((name) => !present(REQUIREMENTS[name]!.command));
  const unavailable = new Map<Requirable, string>();
  if (missing.length === 0) return unavailable;
  const packages = missing.map((name) => REQUIREMENTS[name]!.debianPackage);
  if (process.getuid?.() !== 0 || !present('apt-get')) {
    for (const name of missing) unavailable.set(name, `${REQUIREMENTS[name]!.command} is missing and apt-get cannot run here (needs root and Debian): apt-get install -y ${REQUIREMENTS[name]!.debianPackage}`);
    return unavailable;
  }
  log(`installing ${packages.join(' ')} with apt-get (missing: ${missing.map((name) => REQUIREMENTS[name]!.command).join(', ')})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...packages], { env, encoding: 'utf8' });
  let result = install();
  if (result.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { env, stdio: 'ignore' });
    result = install();
  }
  for (const name of missing) {
    if (!present(REQUIREMENTS[name]!.command)) unavailable.set(name, `apt-get install ${REQUIREMENTS[name]!.debianPackage} failed: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`);
  }
  return unavailable;
}

export function versionOf(command: string, args = ['--version']): string {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return result.status === 0 ? result.stdout.trim().split('\n')[0]! : 'unknown';
}
