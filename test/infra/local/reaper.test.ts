import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../infra/local/paths';
import { processInfo } from '../../../infra/local/processes';
import { stopWithThisProcess } from '../../../infra/local/reaper';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigie-reaper-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function until(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe('stopWithThisProcess', () => {
  it('stops the child when its parent is killed with SIGKILL', { timeout: 20_000 }, async () => {
    const script = join(dir, 'parent.ts');
    await writeFile(
      script,
      `import { spawn } from 'node:child_process';
import { stopWithThisProcess } from ${JSON.stringify(join(REPO_ROOT, 'infra/local/reaper.ts'))};
const child = spawn('sleep', ['300'], { stdio: 'ignore' });
stopWithThisProcess(child);
console.log(child.pid);
setInterval(() => undefined, 1000);
`,
    );
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const [chunk] = (await once(parent.stdout, 'data')) as [Buffer];
    const childPid = Number(chunk.toString().trim());
    expect(processInfo(childPid)?.ppid).toBe(parent.pid);

    parent.kill('SIGKILL');
    expect(await until(() => processInfo(childPid) === undefined, 3_000)).toBe(true);
  });

  it('is dismissed as soon as the child exits on its own', async () => {
    const child = spawn('sleep', ['0.2'], { stdio: 'ignore' });
    const reaper = stopWithThisProcess(child)!;
    const [code, signal] = (await once(reaper, 'exit')) as [number | null, string | null];
    expect(child.exitCode).toBe(0);
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
  });
});
