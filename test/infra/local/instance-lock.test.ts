import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireInstanceLock, InstanceLockedError } from '../../../infra/local/instance-lock';
import { processInfo } from '../../../infra/local/processes';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-lock-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));
const lockFile = () => join(dir, `data-${++n}.lock`);

/** A pid no process runs under any more. */
const deadPid = () => spawnSync('true').pid!;

describe('instance lock', () => {
  it('is held by one process at a time, and taken again once released', async () => {
    const file = lockFile();
    const lock = await acquireInstanceLock(file);
    expect(lock.reclaimedFrom).toBeUndefined();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
    const second = await acquireInstanceLock(file).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(InstanceLockedError);
    expect((second as InstanceLockedError).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(file)).toBe(false);
    (await acquireInstanceLock(file)).release();
  });

  it('is refused while another live process holds it, naming its pid', async () => {
    const file = lockFile();
    const other = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await writeFile(file, JSON.stringify({ pid: other.pid, started: processInfo(other.pid!)!.started }));
      await expect(acquireInstanceLock(file)).rejects.toMatchObject({ name: 'InstanceLockedError', pid: other.pid });
    } finally {
      other.kill('SIGKILL');
    }
  });

  it.each([
    ['its holder is dead', () => ({ pid: deadPid(), started: '1' })],
    ['its pid now names another process (other start time)', () => ({ pid: process.pid, started: 'another start' })],
  ])('is reclaimed when %s', async (_what, holder) => {
    const file = lockFile();
    const stale = holder();
    await writeFile(file, JSON.stringify(stale));
    const lock = await acquireInstanceLock(file);
    expect(lock.reclaimedFrom).toBe(stale.pid);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('is reclaimed when unreadable, and leaves no file behind', async () => {
    const file = lockFile();
    await writeFile(file, 'not json');
    (await acquireInstanceLock(file)).release();
    expect((await readdir(dir)).filter((name) => name.startsWith(file.split('/').pop()!))).toEqual([]);
  });

  it('one of two simultaneous takers of a stale lock wins', async () => {
    const file = lockFile();
    await writeFile(file, JSON.stringify({ pid: deadPid(), started: '1' }));
    const results = await Promise.allSettled([acquireInstanceLock(file), acquireInstanceLock(file)]);
    // Both run in this process, so the loser sees a live holder: itself.
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    for (const r of results) if (r.status === 'fulfilled') r.value.release();
  });

  it('is not removed by release once another process holds it', async () => {
    const file = lockFile();
    const lock = await acquireInstanceLock(file);
    await writeFile(file, JSON.stringify({ pid: deadPid(), started: '1' }));
    lock.release();
    expect(existsSync(file)).toBe(true);
  });
});
