import { randomUUID } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { processInfo } from './processes';

/** The process holding a lock: its pid and start time, so a reused pid is not mistaken for it. */
interface Holder {
  pid: number;
  started: string;
}

export class InstanceLockedError extends Error {
  constructor(
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(`another instance (pid ${pid}) holds ${lockFile}`);
    this.name = 'InstanceLockedError';
  }
}

export interface InstanceLock {
  /** Pid of the dead holder whose lock was reclaimed, if any. */
  reclaimedFrom: number | undefined;
  release(): void;
}

/**
 * Takes the lock file of a folder only one process may use at a time (DynamoDB Local's files are not shared). A lock
 * whose holder is gone (killed with no chance to release it) is reclaimed. Released at exit, whatever the exit path.
 */
export async function acquireInstanceLock(lockFile: string): Promise<InstanceLock> {
  const self = processInfo(process.pid);
  const content = JSON.stringify({ pid: process.pid, started: self?.started ?? '' } satisfies Holder);
  await mkdir(dirname(lockFile), { recursive: true });
  let reclaimedFrom: number | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusively(lockFile, content)) {
      const release = () => releaseIfOurs(lockFile, content);
      process.once('exit', release);
      return { reclaimedFrom, release };
    }
    const found = await readFile(lockFile, 'utf8').catch(() => undefined);
    if (found === undefined) continue; // released meanwhile
    const holder = parseHolder(found);
    if (holder && isRunning(holder)) throw new InstanceLockedError(holder.pid, lockFile);
    if (await removeIfStill(lockFile, found)) reclaimedFrom = holder?.pid;
  }
  throw new Error(`could not take ${lockFile}: other processes keep taking it`);
}

/** The lock appears whole or not at all (a link cannot be made over an existing file), never half-written. */
async function createExclusively(lockFile: string, content: string): Promise<boolean> {
  const draft = `${lockFile}.${randomUUID()}.new`;
  await writeFile(draft, content);
  try {
    await link(draft, lockFile);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(draft, { force: true });
  }
}

/**
 * Removes the stale lock read as `stale`, unless another process reclaimed it first: it is moved aside, and put back
 * when what was moved is no longer the stale lock.
 */
async function removeIfStill(lockFile: string, stale: string): Promise<boolean> {
  const aside = `${lockFile}.${randomUUID()}.stale`;
  try {
    await rename(lockFile, aside);
  } catch {
    return false;
  }
  if ((await readFile(aside, 'utf8')) === stale) {
    await rm(aside, { force: true });
    return true;
  }
  await rename(aside, lockFile);
  return false;
}

function releaseIfOurs(lockFile: string, content: string): void {
  try {
    if (readFileSync(lockFile, 'utf8') === content) unlinkSync(lockFile);
  } catch {
    // already gone
  }
}

function parseHolder(text: string): Holder | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<Holder>;
    return Number.isInteger(parsed.pid) && typeof parsed.started === 'string' ? { pid: parsed.pid!, started: parsed.started } : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(holder: Holder): boolean {
  const info = processInfo(holder.pid);
  return info !== undefined && (holder.started === '' || info.started === holder.started);
}
